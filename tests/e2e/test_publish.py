"""Publishing edited content to the running bot, with no restart: SIGHUP and /reload."""

from __future__ import annotations

import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.harness import FIXTURE_CONTENT, BotProcess, Driver, TgUser

ADMIN = TgUser(555_000_001, "ru")


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory, runtime: str) -> Path:
    """A copy of the fixture content the tests edit: a fresh one for each runtime."""
    copy = tmp_path_factory.mktemp(f"publish-{runtime}") / "content"
    shutil.copytree(FIXTURE_CONTENT, copy)
    return copy


@pytest.fixture(scope="module")
def editable_bot(
    fake_telegram: FakeTelegram,
    content: Path,
    tmp_path_factory: pytest.TempPathFactory,
    runtime: str,
) -> Iterator[Driver]:
    root = tmp_path_factory.mktemp("e2e-publish")
    process = BotProcess(
        fake_telegram,
        root / "data",
        root / "logs",
        runtime=runtime,
        JOL_CONTENT_DIR=str(content),
        ADMIN_IDS=str(ADMIN.id),
    ).start()
    yield Driver(fake_telegram, process)
    process.stop_and_check()


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


async def section_titles(bot: Driver, user: TgUser) -> list[str]:
    menu = await bot.reply(user, bot.send_text(user, "/menu"))
    listing = await bot.reply(user, bot.press(user, menu, "1|s|before"), "editMessageText")
    return listing.button_texts


async def test_sighup_refuses_broken_content_and_publishes_fixed_content(
    editable_bot: Driver, content: Path
) -> None:
    bot, user = editable_bot, editable_bot.user("ru")
    ru = content / "articles" / "first-steps" / "ru.md"

    rewrite(ru, "<b>bold</b>", "<b>bold")
    mark = bot.mark()
    bot.process.proc.send_signal(signal.SIGHUP)
    refused = await bot.reply(ADMIN, mark)
    assert refused.text.startswith("❌") and "first-steps/ru.md" in refused.text
    assert "First steps (ru)" in await section_titles(bot, user)  # the last good content

    rewrite(ru, "<b>bold", "<b>bold</b>")
    rewrite(ru, "First steps (ru)", "Renamed steps (ru)")
    mark = bot.mark()
    bot.process.proc.send_signal(signal.SIGHUP)
    published = await bot.reply(ADMIN, mark)
    assert published.text.startswith("✅")
    assert "Renamed steps (ru)" in await section_titles(bot, user)
    assert bot.process.alive


async def test_reload_command_publishes_for_an_operator_only(
    editable_bot: Driver, content: Path
) -> None:
    bot, user = editable_bot, editable_bot.user("ru")
    ru = content / "articles" / "first-steps" / "ru.md"
    title = "Renamed steps (ru)" if "Renamed" in ru.read_text() else "First steps (ru)"
    rewrite(ru, title, "Third title (ru)")

    stranger = await bot.reply(user, bot.send_text(user, "/reload"))
    assert not stranger.text.startswith(("✅", "❌"))
    assert "Third title (ru)" not in await section_titles(bot, user)

    answer = await bot.reply(ADMIN, bot.send_text(ADMIN, "/reload"))
    assert answer.text.startswith("✅")
    assert "Third title (ru)" in await section_titles(bot, user)


async def test_stats_gives_an_operator_the_summary_and_the_chart(editable_bot: Driver) -> None:
    bot, user = editable_bot, editable_bot.user("ru")
    await bot.reply(user, bot.send_text(user, "/start"))  # someone to count
    asked = bot.send_text(ADMIN, "/stats 7d")
    summary = await bot.reply(ADMIN, asked)
    chart = await bot.reply(ADMIN, asked, "sendPhoto")
    assert summary.index < chart.index and summary.text.strip()
    assert chart.params["photo"]["filename"] == "jol-daily-users.png"
    assert chart.params["photo"]["size"] > 1000  # a real PNG, not an empty upload
    assert chart.params.get("caption") and chart.result["photo"]

    stranger = bot.send_text(user, "/stats")
    await bot.reply(user, stranger)
    end = await bot.sentinel(user)
    assert not bot.calls("sendPhoto", since=stranger, until=end)
