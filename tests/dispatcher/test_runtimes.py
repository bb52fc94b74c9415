"""The core flows through each runtime's real dispatcher (aiogram's `Dispatcher`, PTB's
`Application.process_update`) with Telegram replaced offline, and the two compared call by call.

Calls are seen as Telegram would read them: the method and its JSON parameters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.runtime.updates import Raw, RawUpdates
from bot.terminal import offline_bot
from tests.dispatcher.test_app import language_reads, statements

RUNTIMES = ["aiogram", "ptb"]
# What a user sees of a call; the rest (parse_mode, link previews) is checked end to end.
SEEN = (
    "chat_id", "message_id", "text", "reply_markup", "latitude", "longitude", "title", "address",
    "caption", "callback_query_id", "language_code", "commands",
)  # fmt: skip


class Call:
    def __init__(self, method: str, params: dict[str, Any], result: Any) -> None:
        self.method, self.params, self.result = method, params, result

    @property
    def seen(self) -> tuple[str, dict[str, Any]]:
        params = {k: self.params[k] for k in SEEN if k in self.params}
        if self.method == "answerCallbackQuery":
            params.pop("callback_query_id")  # each runtime's press has its own id
        if self.method == "sendPhoto":
            params["photo"] = self.params["photo"]["filename"]
        return self.method, params

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [button for row in rows for button in row]


class Chat:
    def __init__(self, services, runtime: str, language_code: str | None = "ru", user_id=1001):
        self.bot = offline_bot(services, runtime)
        self.bot.listeners.append(self._record)
        self.updates = RawUpdates(user_id=user_id, language_code=language_code)
        self.calls: list[Call] = []
        self.sent: list[Call] = []

    def _record(self, method: str, params: dict[str, Any], result: Any) -> None:
        if method != "getMe":  # PTB asks once when it starts, aiogram when first needed
            self.calls.append(Call(method, params, result))

    async def feed(self, update: Raw) -> list[Call]:
        before = len(self.calls)
        await self.bot.send(update)
        self.sent = self.calls[before:]
        return self.sent

    async def say(self, text: str) -> list[Call]:
        return await self.feed(self.updates.text(text))

    async def press(self, label: str) -> list[Call]:
        for call in reversed(self.calls):
            if isinstance(call.result, dict) and "inline_keyboard" in (
                call.params.get("reply_markup") or {}
            ):
                for button in call.buttons:
                    if label in button["text"]:
                        update = self.updates.press(call.result, button["callback_data"])
                        return await self.feed(update)
                raise AssertionError(f"no button {label!r} in {call.buttons}")
        raise AssertionError("no inline keyboard was sent")


@pytest.fixture(params=RUNTIMES)
async def chat(request, services):
    chat = Chat(services, request.param)
    await chat.bot.start()
    yield chat
    await chat.bot.close()


async def test_start_sends_the_menu_in_the_users_telegram_language(services):
    for runtime in RUNTIMES:
        chat = Chat(services, runtime, language_code="kk", user_id=2001 + len(runtime))
        await chat.bot.start()
        [menu] = await chat.say("/start")
        assert menu.method == "sendMessage"
        assert "🧳 Жолға шықпас бұрын" in [b["text"] for b in menu.buttons]
        await chat.bot.close()


async def test_browsing_edits_one_message_in_place(chat):
    [menu] = await chat.say("/menu")
    [ack, section] = await chat.press("Перед отъездом")
    assert ack.method == "answerCallbackQuery"
    assert section.method == "editMessageText"
    assert section.params["message_id"] == menu.result["message_id"]
    [_, article] = await chat.press("First steps (ru)")
    assert article.params["message_id"] == menu.result["message_id"]
    assert article.params["text"].startswith("<b>First steps (ru)</b>")


async def test_a_map_button_sends_a_venue(chat):
    await chat.say("/menu")
    for label in ("Центры", "Алматы", "Exact ru", "🗺"):
        await chat.press(label)
    venue = chat.sent[-1]
    assert venue.method == "sendVenue"
    assert (venue.params["latitude"], venue.params["longitude"]) == (43.25, 76.92)
    assert venue.params["title"] == "Exact ru"


async def test_nearest_asks_for_location_then_answers_and_removes_the_keyboard(chat):
    await chat.say("/menu")
    await chat.press("Центры")
    await chat.press("📍")
    ask = chat.sent[-1]
    assert ask.buttons[0]["request_location"] is True
    listing, choice = await chat.feed(chat.updates.location(43.2565, 76.9284))
    assert listing.params["reply_markup"] == {"remove_keyboard": True}
    assert "Exact ru" in listing.params["text"]
    assert "inline_keyboard" in choice.params["reply_markup"]


@pytest.mark.parametrize("make", ["sticker", "voice", "photo"])
async def test_media_gets_a_polite_answer(chat, make):
    [answer] = await chat.feed(getattr(chat.updates, make)())
    assert answer.method == "sendMessage" and answer.buttons


async def test_a_forged_button_gets_a_toast_and_the_menu(chat):
    [menu] = await chat.say("/menu")
    toast, fresh = await chat.feed(chat.updates.press(menu.result, "hack|x|y"))
    assert toast.method == "answerCallbackQuery" and toast.params["text"]
    assert fresh.method == "editMessageText"


async def test_a_group_gets_no_answer_and_no_database_read(chat, services):
    with statements(services) as seen:
        assert await chat.feed(chat.updates.in_group("/start")) == []
    assert language_reads(seen) == []


async def test_operators_get_the_chart_as_a_photo(services):
    for runtime in RUNTIMES:
        operator = Chat(services, runtime, language_code="ru", user_id=42)
        await operator.bot.start()
        summary, chart = await operator.say("/stats")
        assert summary.method == "sendMessage"
        assert chart.method == "sendPhoto" and chart.params["photo"]["data"][:4] == b"\x89PNG"
        await operator.bot.close()


async def test_the_command_menu_is_registered_in_every_language(services):
    from bot.runtime.aiogram.app import register_commands as aiogram_commands
    from bot.runtime.ptb.app import register_commands as ptb_commands

    registered = []
    for runtime, register in (("aiogram", aiogram_commands), ("ptb", ptb_commands)):
        chat = Chat(services, runtime)
        await chat.bot.start()
        bot = chat.bot.bot if runtime == "aiogram" else chat.bot.application.bot
        await register(bot, services)
        registered.append([c.seen for c in chat.calls])
        assert [c.params.get("language_code") for c in chat.calls] == ["kk", "ru", "uz", "tg", None]
        await chat.bot.close()
    assert registered[0] == registered[1]


async def a_conversation(chat: Chat) -> list[tuple[str, dict[str, Any]]]:
    await chat.say("/start")
    for label in ("Перед отъездом", "First steps (ru)", "👍"):
        await chat.press(label)
    await chat.say("/menu")
    for label in ("Центры", "Алматы", "Exact ru", "🗺"):
        await chat.press(label)
    await chat.say("/menu")
    await chat.press("Центры")
    await chat.press("📍")
    await chat.feed(chat.updates.location(43.2565, 76.9284))
    await chat.feed(chat.updates.sticker())
    await chat.say("how do I register")
    await chat.say("/language")
    await chat.press("Oʻzbekcha")
    await chat.say("/forget")
    return [call.seen for call in chat.calls]


@asynccontextmanager
async def a_chat(tmp_path: Path, runtime: str, user_id: int) -> AsyncIterator[Chat]:
    """A chat in Russian with the fixture content on `runtime`, on a database of its own."""
    from bot.config import load_settings
    from bot.services import open_services
    from tests.conftest import FIXTURE_CONTENT

    settings = load_settings(
        content_dir=FIXTURE_CONTENT, jol_data_dir=tmp_path / runtime, database_url=None
    )
    (tmp_path / runtime).mkdir()
    services = await open_services(settings)
    chat = Chat(services, runtime, language_code="ru", user_id=user_id)
    await chat.bot.start()
    try:
        yield chat
    finally:
        await chat.bot.close()
        await services.close()


async def test_both_runtimes_make_the_same_calls(tmp_path):
    """One conversation, each runtime on a database of its own: the same calls, in order."""
    transcripts = []
    for runtime in RUNTIMES:
        async with a_chat(tmp_path, runtime, user_id=3003) as chat:
            transcripts.append(await a_conversation(chat))
    aiogram, ptb = transcripts
    assert len(aiogram) > 20
    assert aiogram == ptb


async def in_webhook_turns(chat: Chat, updates: list[Raw]) -> list[tuple[object, ...]]:
    """Each update fed as a webhook turn: the calls made, and the one left for the webhook's
    answer as Telegram would read it (the fake server's decoding), with why if there is none."""
    from bot.replicas import Replicas
    from bot.runtime.answering import CURRENT, Answering, Turn
    from bot.runtime.retrying import Retries
    from tests.e2e.fake_telegram import decode_field

    answering = Answering(Replicas(None), Retries(), rate=100)
    seen: list[tuple[object, ...]] = []
    for update in updates:
        turn = Turn(update["update_id"], answering)
        current = CURRENT.set(turn)
        try:
            made = await chat.feed(update)
        finally:
            CURRENT.reset(current)
        answer = None
        if turn.answer is not None:
            fields = {k: decode_field(k, v) for k, v in turn.answer.fields.items()}
            answer = (turn.answer.method, fields)
        seen.append((tuple(c.seen for c in made), answer, turn.via))
    return seen


async def test_in_webhook_mode_both_runtimes_leave_the_same_last_call_for_the_answer(tmp_path):
    """The call put in a webhook's answer is the one the runtime would have made, field for
    field as Telegram reads it (the link previews and HTML mode included), on both runtimes;
    an edit is made as a call, a press's lone acknowledgement travels in the answer."""
    from bot.core.actions import LikeArticle, OpenMenu, encode

    transcripts = []
    for runtime in RUNTIMES:
        async with a_chat(tmp_path, runtime, user_id=3004) as chat:
            menu = {"message_id": 7, "date": 0, "chat": chat.updates.chat, "text": "menu"}
            updates = [
                chat.updates.text("/start"),
                chat.updates.text("/help"),
                chat.updates.sticker(),
                chat.updates.text("✖️ Отмена"),
                chat.updates.location(43.2565, 76.9284),
                chat.updates.press(menu, encode(OpenMenu())),
                chat.updates.press(menu, encode(LikeArticle("first-steps"))),
            ]
            transcripts.append(await in_webhook_turns(chat, updates))
    aiogram, ptb = transcripts
    assert aiogram == ptb
    start, _, _, cancel, nearest, press, like = aiogram
    assert start[0] == () and start[1][0] == "sendMessage" and start[2] == "response"
    assert start[1][1]["parse_mode"] == "HTML"
    assert start[1][1]["link_preview_options"] == {"is_disabled": True}
    assert [m for m, _ in cancel[0]] == ["sendMessage"] and cancel[1][0] == "sendMessage"
    assert [m for m, _ in nearest[0]] == ["sendMessage"] and nearest[1][0] == "sendMessage"
    assert [m for m, _ in press[0]] == ["answerCallbackQuery", "editMessageText"]
    assert press[1] is None and press[2] == "method"
    assert like[0] == () and like[1][0] == "answerCallbackQuery" and like[1][1]["text"]
