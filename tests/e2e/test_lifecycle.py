"""The bot process across restarts, and with a token Telegram refuses. Each test runs its own."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.harness import (
    START_TIMEOUT,
    TOKEN,
    BotProcess,
    Driver,
    is_main_menu,
    running_bot,
)


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(TOKEN) as server:
        yield server


async def test_the_language_choice_survives_a_restart(
    fake: FakeTelegram, tmp_path: Path, runtime: str
) -> None:
    data, logs = tmp_path / "data", tmp_path / "logs"
    user = Driver.user("en")
    # Ctrl-C (SIGINT) stops it as cleanly as SIGTERM.
    with running_bot(fake, data, logs, runtime, stop_with=signal.SIGINT) as process:
        bot = Driver(fake, process)
        picker = await bot.reply(user, bot.send_text(user, "/start"))
        assert [data for data in picker.callback_data] == ["1|L|kk", "1|L|ru", "1|L|uz", "1|L|tg"]
        chosen = await bot.reply(user, bot.press(user, picker, "1|L|uz"), "editMessageText")
        assert is_main_menu(chosen, "uz")
    # running_bot stopped it with SIGINT and checked it exited with 0.
    assert (data / "jol.sqlite3").exists()
    assert not fake.pending_updates  # every update was confirmed: none is replayed

    with running_bot(fake, data, logs, runtime) as process:
        bot = Driver(fake, process)
        menu = await bot.reply(user, bot.send_text(user, "/menu"))
        assert is_main_menu(menu, "uz"), menu.keyboard
        # Someone new with the same Telegram language is still asked.
        stranger = Driver.user("en")
        picker = await bot.reply(stranger, bot.send_text(stranger, "/menu"))
        assert picker.callback_data == ["1|L|kk", "1|L|ru", "1|L|uz", "1|L|tg"]


async def test_a_refused_token_stops_the_bot_with_a_clear_error(
    fake: FakeTelegram, tmp_path: Path, runtime: str
) -> None:
    wrong = "123456:WRONG-secret-xyz"
    process = BotProcess(
        fake, tmp_path / "data", tmp_path / "logs", token=wrong, runtime=runtime
    ).launch()
    try:
        assert process.proc is not None
        code = process.proc.wait(START_TIMEOUT)
    finally:
        process.kill()
    logs = process.logs()
    assert code == 2, logs[-3000:]
    refused = fake.calls()
    assert refused and all(call.status == 401 for call in refused)
    assert "BOT_TOKEN" in process.stderr_path.read_text(encoding="utf-8")
    assert "Traceback" not in logs, logs[-3000:]
    assert "Unclosed" not in logs, logs[-3000:]
    assert "WRONG-secret-xyz" not in logs


async def test_unreachable_telegram_stops_the_bot_with_a_clear_error(
    tmp_path: Path, runtime: str
) -> None:
    closed = FakeTelegram(TOKEN).start()
    closed.stop()  # its port is closed now: nothing answers there
    process = BotProcess(closed, tmp_path / "data", tmp_path / "logs", runtime=runtime).launch()
    try:
        assert process.proc is not None
        code = process.proc.wait(60)
    finally:
        process.kill()
    logs = process.logs()
    stderr = process.stderr_path.read_text(encoding="utf-8")
    assert code == 2, logs[-3000:]
    assert f"TELEGRAM_API_BASE: Telegram cannot be reached at {closed.api_base}" in stderr
    # Said once, by the start-up check (bot/startup.py), before any framework is loaded.
    assert stderr.count("cannot be reached") == 1, logs[-3000:]
    assert "Traceback" not in logs, logs[-3000:]
    assert "Unclosed" not in logs, logs[-3000:]
