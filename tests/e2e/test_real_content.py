"""The real content store, walked through the real bot: every article in every language."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

import pytest

from bot.catalog import loader
from bot.locales import LOCALES
from tests.conftest import CONTENT_DIR
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.harness import BotProcess, Driver

CATALOG = loader.load(CONTENT_DIR)


@pytest.fixture(scope="module")
def real_bot(
    fake_telegram: FakeTelegram, tmp_path_factory: pytest.TempPathFactory, runtime: str
) -> Iterator[Driver]:
    root = tmp_path_factory.mktemp("e2e-real")
    process = BotProcess(
        fake_telegram,
        root / "data",
        root / "logs",
        runtime=runtime,
        JOL_CONTENT_DIR=str(CONTENT_DIR),
    ).start()
    yield Driver(fake_telegram, process)
    process.stop_and_check()


@pytest.mark.parametrize("locale", LOCALES)
async def test_every_article_opens_in_every_language(real_bot: Driver, locale: str) -> None:
    bot = real_bot
    user = bot.user(locale)
    screen = await bot.reply(user, bot.send_text(user, "/menu"))
    opened = 0
    for section in CATALOG.sections:
        if section.kind != "articles":
            continue
        press = bot.press(user, screen, f"1|s|{section.id}")
        listing = await bot.reply(user, press, "editMessageText")
        for article in CATALOG.articles_in(section.id):
            press = bot.press(user, listing, f"1|a|{article.id}")
            shown = await bot.reply(user, press, "editMessageText")
            text, fallback = article.text(locale)
            assert not fallback, f"{article.id} has no {locale} text"
            assert shown.text.startswith(f"<b>{escape(text.title)}</b>"), shown.text[:200]
            assert escape(article.sources[0].shown(locale)) in shown.text
            assert len(shown.text) <= 4096 * 2  # HTML included; the check counts visible text
            listing = await bot.reply(
                user, bot.press(user, shown, f"1|s|{section.id}"), "editMessageText"
            )
            opened += 1
        screen = await bot.reply(user, bot.press(user, listing, "1|m|"), "editMessageText")
    assert opened == len(CATALOG.articles) >= 30


# One question per language, typed the way people type: mixed script, no special letters.
QUESTIONS = {
    "kk": ("жумыс берушi паспортымды алып койды", "passport-taken"),
    "ru": ("не платят зарплату 2 месяца", "unpaid-wages"),
    "uz": ("xo'jayin pasportimni olib qoydi", "passport-taken"),
    "tg": ("шиносномаро гум кардам", "lost-documents"),
}


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_typed_question_finds_its_article(real_bot: Driver, locale: str) -> None:
    bot = real_bot
    user = bot.user(locale)
    question, expected = QUESTIONS[locale]
    answer = await bot.reply(user, bot.send_text(user, question))
    first = answer.keyboard[0][0]
    assert first[1] == f"1|a|{expected}", answer.keyboard
    title = CATALOG.articles[expected].text(locale)[0].title
    assert escape(title) in answer.text
    opened = await bot.reply(user, bot.press(user, answer, 0), "editMessageText")
    assert opened.text.startswith(f"<b>{escape(title)}</b>")
