"""Operators publish edited content with /reload; broken content never replaces good content."""

from __future__ import annotations

import shutil

import pytest

from bot.config import PROJECT_ROOT, load_settings
from bot.services import open_services
from tests.conftest import FIXTURE_CONTENT
from tests.dispatcher.test_dispatcher import Chat

ADMIN = 42


@pytest.fixture
async def editable(tmp_path):
    """Services over a copy of the content that the test can edit while the bot runs."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    settings = load_settings(content_dir=content, jol_data_dir=tmp_path, admin_ids=str(ADMIN))
    services = await open_services(settings)
    yield services, content
    await services.close()


def titles_of_section(chat: Chat) -> str:
    return str(chat.sent[-1].reply_markup)


async def test_reload_publishes_valid_edits_and_refuses_broken_ones(editable):
    services, content = editable
    admin = Chat(services, language_code="ru", user_id=ADMIN)
    user = Chat(services, language_code="ru", user_id=2002)
    ru = content / "articles" / "first-steps" / "ru.md"

    ru.write_text(ru.read_text().replace("<b>bold</b>", "<b>unclosed"), "utf-8")
    [answer] = await admin.say("/reload")
    assert answer.text.startswith("❌")
    assert "first-steps/ru.md" in answer.text
    await user.say("/menu")
    await user.press("Перед отъездом")
    assert "First steps (ru)" in titles_of_section(user)  # the old content is still served

    fixed = ru.read_text().replace("<b>unclosed", "<b>bold</b>")
    ru.write_text(fixed.replace("First steps (ru)", "Renamed steps (ru)"), "utf-8")
    [answer] = await admin.say("/reload")
    assert answer.text.startswith("✅")
    await user.say("/menu")
    await user.press("Перед отъездом")
    assert "Renamed steps (ru)" in titles_of_section(user)


async def test_reload_from_anyone_else_is_an_unknown_command(editable):
    services, _ = editable
    before = services.content.current
    [answer] = await Chat(services, language_code="ru", user_id=2003).say("/reload")
    assert answer.text.startswith(
        services.content.current.texts("ru").gettext("I do not know this command.")
    )
    assert services.content.current is before


@pytest.fixture
async def publishable(tmp_path):
    """Services over copies of the content (with four more articles) and of the locales."""
    content, locales = tmp_path / "content", tmp_path / "locales"
    shutil.copytree(FIXTURE_CONTENT, content)
    shutil.copytree(PROJECT_ROOT / "locales", locales)
    for extra in ("extra-1", "extra-2", "extra-3", "extra-4"):
        shutil.copytree(content / "articles" / "first-steps", content / "articles" / extra)
    settings = load_settings(
        content_dir=content, locales_dir=locales, jol_data_dir=tmp_path, admin_ids=str(ADMIN)
    )
    services = await open_services(settings)
    yield services, content, locales
    await services.close()


async def test_reload_refuses_a_po_file_that_cannot_be_read_and_russian_stays(publishable):
    services, _, locales = publishable
    admin = Chat(services, language_code="ru", user_id=ADMIN)
    po = locales / "ru" / "LC_MESSAGES" / "messages.po"
    po.write_bytes(
        po.read_bytes().replace("Опубликовано".encode(), "Опубликовано".encode("cp1251"))
    )
    [answer] = await admin.say("/reload")
    assert answer.text.startswith("❌")
    assert "locales/ru/LC_MESSAGES/messages.po:" in answer.text and "UTF-8" in answer.text
    [menu] = await Chat(services, language_code="ru", user_id=2004).say("/menu")
    assert "Перед отъездом" in str(menu.reply_markup)  # still Russian, not English


async def test_reload_refuses_losing_most_articles_unless_forced(publishable):
    services, content, _ = publishable
    admin = Chat(services, language_code="ru", user_id=ADMIN)
    for extra in ("extra-1", "extra-2", "extra-3", "extra-4"):
        shutil.rmtree(content / "articles" / extra)
    [refused] = await admin.say("/reload")
    assert refused.text.startswith("❌") and "only 2 of the 6 articles" in refused.text
    assert len(services.content.current.catalog.articles) == 6
    [forced] = await admin.say("/reload force")
    assert forced.text.startswith("✅") and "2" in forced.text
    assert len(services.content.current.catalog.articles) == 2
