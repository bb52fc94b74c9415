"""Operators publish edited content with /reload; broken content never replaces good content."""

from __future__ import annotations

import shutil

import pytest

from bot.config import load_settings
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
