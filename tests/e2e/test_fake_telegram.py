"""The fake Bot API server itself: what the end-to-end tests rely on, without the bot."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable, Iterator

import aiohttp
import pytest

from tests.conftest import scaled
from tests.e2e.fake_telegram import CANT_EDIT, NOT_MODIFIED, FakeTelegram
from tests.e2e.harness import TOKEN


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(TOKEN) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def call(
    http: aiohttp.ClientSession, fake: FakeTelegram, method: str, token: str = TOKEN, **data: str
) -> tuple[int, dict]:
    async with http.post(f"{fake.api_base}/bot{token}/{method}", data=data) as response:
        return response.status, await response.json()


def wait_until(condition: Callable[[], bool], within: float = scaled(5.0)) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


async def test_a_wrong_token_gets_401(fake: FakeTelegram, http: aiohttp.ClientSession) -> None:
    status, answer = await call(http, fake, "getMe", token="123456:wrong")
    assert status == 401
    assert answer == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    status, answer = await call(http, fake, "getMe")
    assert status == 200
    assert answer["result"]["id"] == 123456
    assert answer["result"]["is_bot"] is True


async def test_form_fields_are_decoded(fake: FakeTelegram, http: aiohttp.ClientSession) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "1|m|"}]]}
    status, answer = await call(
        http, fake, "sendMessage", chat_id="42", text="[1]", reply_markup=json.dumps(markup)
    )
    assert status == 200
    sent = fake.calls("sendMessage")[0]
    assert sent.params == {"chat_id": 42, "text": "[1]", "reply_markup": markup}
    assert answer["result"]["reply_markup"] == markup
    assert fake.message(42, answer["result"]["message_id"])["text"] == "[1]"


async def test_json_and_get_requests(fake: FakeTelegram, http: aiohttp.ClientSession) -> None:
    url = f"{fake.api_base}/bot{TOKEN}"
    async with http.post(f"{url}/sendVenue", json={"chat_id": 7, "latitude": 1.5}) as response:
        assert response.status == 400  # no title nor address
    async with http.get(f"{url}/sendMessage", params={"chat_id": "7", "text": "hi"}) as response:
        assert (await response.json())["result"]["text"] == "hi"
    async with http.post(f"{url}/setChatMenuButton") as response:
        assert await response.json() == {"ok": True, "result": True}


async def test_long_poll_waits_for_an_update(
    fake: FakeTelegram, http: aiohttp.ClientSession
) -> None:
    started = time.monotonic()
    _, answer = await call(http, fake, "getUpdates", timeout="1")
    assert answer["result"] == []
    assert 0.9 <= time.monotonic() - started < 3

    async def push_later() -> None:
        await asyncio.sleep(0.2)
        fake.push_update(message={"text": "hello"})

    started = time.monotonic()
    pusher = asyncio.create_task(push_later())
    status, answer = await call(http, fake, "getUpdates", timeout="10")
    await pusher
    assert status == 200
    assert time.monotonic() - started < 2
    [update] = answer["result"]
    # Until an offset confirms it, the update is delivered again; after, never.
    _, again = await call(http, fake, "getUpdates", timeout="0")
    assert again["result"] == [update]
    _, after = await call(
        http, fake, "getUpdates", timeout="0", offset=str(update["update_id"] + 1)
    )
    assert after["result"] == []
    assert fake.pending_updates == []


async def test_stopping_answers_a_pending_long_poll(fake: FakeTelegram) -> None:
    async with aiohttp.ClientSession() as session:
        poll = asyncio.create_task(
            session.post(f"{fake.api_base}/bot{TOKEN}/getUpdates", data={"timeout": "30"})
        )
        await asyncio.to_thread(wait_until, lambda: bool(fake.calls("getUpdates")))
        started = time.monotonic()
        await asyncio.to_thread(fake.stop)
        response = await poll
        assert (await response.json())["result"] == []
        assert time.monotonic() - started < 3


async def test_scheduled_failures(fake: FakeTelegram, http: aiohttp.ClientSession) -> None:
    fake.flood("sendMessage", retry_after=1)
    status, answer = await call(http, fake, "sendMessage", chat_id="5", text="a")
    assert status == 429
    assert answer["parameters"] == {"retry_after": 1}
    status, answer = await call(http, fake, "sendMessage", chat_id="5", text="a")
    assert status == 200  # only once

    fake.fail(
        "editMessageText", status=400, description=CANT_EDIT, when=lambda p: p["chat_id"] == 5
    )
    message_id = str(answer["result"]["message_id"])
    status, answer = await call(
        http, fake, "editMessageText", chat_id="5", message_id=message_id, text="b"
    )
    assert (status, answer["description"]) == (400, CANT_EDIT)
    status, answer = await call(
        http, fake, "editMessageText", chat_id="5", message_id=message_id, text="b"
    )
    assert status == 200
    assert fake.message(5, int(message_id))["text"] == "b"
    # Editing to the same content is refused, as Telegram does.
    status, answer = await call(
        http, fake, "editMessageText", chat_id="5", message_id=message_id, text="b"
    )
    assert (status, answer["description"]) == (400, NOT_MODIFIED)


async def test_a_call_in_a_webhooks_answer_is_made_as_the_bot_in_any_encoding(
    fake: FakeTelegram, http: aiohttp.ClientSession
) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "1|m|"}]]}
    form = f"method=sendMessage&chat_id=42&text=hi&reply_markup={json.dumps(markup)}"
    await fake.carry_out(http, form.encode(), "application/x-www-form-urlencoded")
    as_json = {"method": "sendVenue", "chat_id": 42, "latitude": 43.2, "longitude": 76.9}
    as_json |= {"title": "T", "address": "A"}
    await fake.carry_out(http, json.dumps(as_json).encode(), "application/json")
    await fake.carry_out(http, b"", "text/plain")  # an empty 200: nothing to make
    message, venue = fake.calls()
    assert (message.method, message.chat_id, message.text) == ("sendMessage", 42, "hi")
    assert message.reply_markup == markup and message.ok and message.in_response
    assert "method" not in message.params
    assert venue.method == "sendVenue" and venue.ok and venue.in_response
    assert fake.message(42, message.result["message_id"])["text"] == "hi"
    # Telegram's own checks apply, and a failure is told to nobody.
    wrong = b"method=sendMessage&chat_id=42&text=x&parse_mode=HTM"
    await fake.carry_out(http, wrong, "application/x-www-form-urlencoded")
    assert fake.calls()[-1].status == 400


async def test_a_held_call_is_made_once_released_and_never_once_lost(
    fake: FakeTelegram, http: aiohttp.ClientSession
) -> None:
    async def send(text: str) -> int:
        url = f"{fake.api_base}/bot{TOKEN}/sendMessage"
        async with http.post(url, data={"chat_id": "1", "text": text}) as response:
            return response.status

    kept = fake.hold("sendMessage", when=lambda params: params.get("text") == "kept")
    lost = fake.hold("sendMessage", when=lambda params: params.get("text") == "lost")
    first, second = asyncio.create_task(send("kept")), asyncio.create_task(send("lost"))
    for held in (kept, lost):
        assert await asyncio.to_thread(held.reached.wait, scaled(5.0))
    assert fake.calls() == []
    lost.lose()
    kept.release()
    assert (await first, await second) == (200, 502)
    assert [c.text for c in fake.calls()] == ["kept"]
