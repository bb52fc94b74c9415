"""No log line carries the token, a configured secret or a Telegram id: not in the message, not
in its arguments, not in an exception's text or its traceback."""

from __future__ import annotations

import io
import logging

import aiohttp
import pytest
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendMessage
from aiohttp import web

from bot.config import load_settings
from bot.logs import redact, setup_logging

TOKEN = "7012345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECRET = TOKEN.split(":", 1)[1]
CHAT_ID = 123456789
PSEUDONYM_KEY = "pseudonym-key-0123456789abcdef"
DB_PASSWORD = "s3cret-pw"

log = logging.getLogger("jol.test.redaction")


@pytest.fixture
def logged(restore_logging, monkeypatch):
    """Logging as `jol run` sets it up; returns a function giving what was written so far."""
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("JOL_PSEUDONYM_KEY", PSEUDONYM_KEY)
    monkeypatch.setenv("DATABASE_URL", f"postgresql://jol:{DB_PASSWORD}@db.internal:5432/jol")
    monkeypatch.chdir("/")
    setup_logging("DEBUG", load_settings().secrets())
    written = io.StringIO()
    logging.getLogger().handlers[0].setStream(written)  # type: ignore[attr-defined]
    return written.getvalue


def assert_clean(text: str) -> None:
    for leak in (TOKEN, SECRET, str(CHAT_ID), PSEUDONYM_KEY, DB_PASSWORD):
        assert leak not in text, leak


async def test_a_failed_bot_api_call_logs_no_token_even_in_the_traceback(logged, aiohttp_429):
    url = f"{aiohttp_429}/bot{TOKEN}/sendMessage"
    async with aiohttp.ClientSession() as session:
        try:
            async with session.post(url, data={"chat_id": CHAT_ID}) as response:
                response.raise_for_status()
        except aiohttp.ClientResponseError:
            log.exception("sending failed")
    out = logged()
    assert "ClientResponseError" in out and "/bot***/sendMessage" in out and "429" in out
    assert "Traceback" in out
    assert_clean(out)


async def test_flood_control_naming_the_chat_logs_no_id(logged):
    method = SendMessage(chat_id=CHAT_ID, text="hello")
    try:
        raise TelegramRetryAfter(method=method, message="Too Many Requests", retry_after=5)
    except TelegramRetryAfter as exc:
        try:
            raise RuntimeError(f"giving up on {method!r}") from exc
        except RuntimeError:
            log.exception("delivery failed")
    out = logged()
    assert "Flood control exceeded" in out and "in chat ***" in out
    assert "The above exception was the direct cause" in out  # the chain is there, redacted
    assert_clean(out)


def test_ids_and_secrets_in_messages_and_arguments_are_redacted(logged):
    log.warning("no answer for chat_id=%s", CHAT_ID)
    log.warning("user %s wrote to chat %d", {"id": CHAT_ID}, -1000000000000 - CHAT_ID)
    log.error("database at postgresql://jol:%s@db.internal/jol refused", DB_PASSWORD)
    log.info("key %s, token %s", PSEUDONYM_KEY, TOKEN)
    log.info("update 987654321 failed: KeyError")  # update ids are how an update is found again
    out = logged()
    assert out.count(REDACTED_MARK) >= 6
    assert "update 987654321 failed" in out
    assert_clean(out)


REDACTED_MARK = "***"


def test_a_stray_token_and_a_long_number_are_redacted_without_configuration():
    text = "GET https://api.telegram.org/bot999:abc/getMe for 5123456789 at 10:30, port 8443"
    assert redact(text) == "GET https://api.telegram.org/bot***/getMe for *** at 10:30, port 8443"


@pytest.fixture
async def aiohttp_429():
    async def flood(request: web.Request) -> web.Response:
        return web.json_response(
            {"ok": False, "error_code": 429, "description": "Too Many Requests"}, status=429
        )

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", flood)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()
