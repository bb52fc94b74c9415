"""Which call of a webhook turn travels in the webhook's answer, and when it goes as a call."""

from __future__ import annotations

import time
from functools import partial
from urllib.parse import parse_qsl

from bot.replicas import Replicas
from bot.runtime.answering import FLOOD_CALM, LATE, Answer, Answering, Turn
from bot.runtime.retrying import Retries

MESSAGE = {"chat_id": "5", "text": "<b>hi</b> & more"}


def answering(rate: int = 10, retries: Retries | None = None) -> Answering:
    return Answering(Replicas(None), retries or Retries(), rate=rate)


class Runtime:
    """Stands where a runtime's choke point does: offers each call, makes what is refused."""

    def __init__(self, turn: Turn) -> None:
        self.turn, self.made = turn, []

    async def call(self, method: str, fields: dict[str, str] | None = MESSAGE) -> None:
        if not await self.turn.offer(method, lambda: fields):
            self.made.append(method)


async def test_only_the_last_step_goes_in_the_answer_form_encoded_with_its_method():
    turn = Turn(1, answering())
    runtime = Runtime(turn)
    await turn.step("first", partial(runtime.call, "sendMessage"))
    await turn.step("last", partial(runtime.call, "sendMessage"), last=True)
    assert runtime.made == ["sendMessage"]
    assert turn.answer == Answer("sendMessage", MESSAGE) and turn.via == "response"
    assert dict(parse_qsl(turn.answer.body().decode())) == {"method": "sendMessage", **MESSAGE}


async def test_a_refused_edit_falls_back_to_a_message_which_goes_in_the_answer():
    turn = Turn(1, answering())
    runtime = Runtime(turn)

    async def edit_then_send() -> None:
        await runtime.call("editMessageText")  # refused by Telegram, say: a new message instead
        await runtime.call("sendMessage")

    await turn.step("screen", edit_then_send, last=True)
    assert runtime.made == ["editMessageText"] and turn.via == "response"


async def test_calls_whose_failure_must_be_seen_are_made():
    for method, fields, why in (
        ("editMessageText", MESSAGE, "method"),
        ("copyMessage", MESSAGE, "method"),
        ("sendPhoto", MESSAGE, "method"),
        ("sendMessage", None, "file"),
    ):
        turn = Turn(1, answering())
        runtime = Runtime(turn)
        await turn.step("last", partial(runtime.call, method, fields), last=True)
        assert (runtime.made, turn.answer, turn.via) == ([method], None, why)


async def test_near_a_flood_wait_and_when_switched_off_the_last_call_is_made():
    retries = Retries()
    retries.flood_until = time.monotonic() + 1
    assert await answering(retries=retries).refusal("sendMessage", 0) == "flood"
    retries.flood_until = time.monotonic() - FLOOD_CALM + 5  # a minute ago, nearly
    assert await answering(retries=retries).refusal("answerCallbackQuery", 0) == "flood"
    retries.flood_until = time.monotonic() - FLOOD_CALM - 1
    assert await answering(retries=retries).refusal("sendMessage", 0) is None
    assert await answering(rate=0).refusal("answerCallbackQuery", 0) == "off"
    assert await answering().refusal("sendMessage", LATE + 1) == "late"


async def test_messages_beyond_the_rate_are_made_and_acknowledgements_are_not_counted():
    for _ in range(3):  # again if a new second began meanwhile: counted from zero then
        policy, second = answering(rate=3), int(time.time())
        found = [await policy.refusal("sendMessage", 0) for _ in range(4)]
        found.append(await policy.refusal("answerCallbackQuery", 0))
        if int(time.time()) == second:
            break
    assert found == [None, None, None, "rate", None]


async def test_outside_a_turns_last_step_nothing_is_offered():
    turn = Turn(1, answering())
    assert not await turn.offer("sendMessage", lambda: MESSAGE)
    assert turn.answer is None and turn.via is None
