"""What the application layer does around the core, seen through the real dispatcher: the saved
language from memory, a failed read that never overwrites a choice, and groups never read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from aiogram.types import Chat as TgChat
from aiogram.types import Message
from sqlalchemy import event

from bot.runtime.aiogram.updates import UpdateFactory
from tests.dispatcher.test_dispatcher import Chat


@contextmanager
def statements(services) -> Iterator[list[str]]:
    """Every SQL statement run on the database while inside (the statistics writer's too)."""
    seen: list[str] = []

    def watch(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    engine = services.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", watch)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", watch)


def language_reads(seen: list[str]) -> list[str]:
    return [s for s in seen if s.lstrip().upper().startswith("SELECT") and "user_preference" in s]


async def test_the_saved_language_is_read_once_then_served_from_memory(services):
    chat = Chat(services, language_code="kk", user_id=4001)
    with statements(services) as seen:
        await chat.say("/start")  # read, and Telegram's language saved as the choice
    assert language_reads(seen)
    with statements(services) as seen:
        await chat.say("/menu")
        await chat.press("Жолға")
        await chat.say("/help")
    assert language_reads(seen) == []


async def test_a_language_choice_is_served_from_memory_after_it_is_saved(services):
    chat = Chat(services, language_code="en", user_id=4002)
    await chat.say("/start")
    await chat.press("Oʻzbekcha")
    with statements(services) as seen:
        [menu] = await chat.say("/menu")
    assert "Xizmat koʻrsatish markazlari" in str(menu.reply_markup)
    assert language_reads(seen) == []


async def test_a_failed_read_never_overwrites_the_saved_language(services, monkeypatch):
    key = services.pseudonyms.key_for(4003)
    await services.users.set_locale(key, "tg")

    async def timed_out(user_key: str) -> str | None:
        raise TimeoutError  # the read of the saved language timed out

    monkeypatch.setattr(services.users, "locale", timed_out)
    chat = Chat(services, language_code="ru", user_id=4003)
    [menu] = await chat.say("/start")
    assert "Перед отъездом" in str(menu.reply_markup)  # Telegram's language, for now
    monkeypatch.undo()
    assert await services.users.locale(key) == "tg"
    [menu] = await chat.say("/menu")
    assert "Пеш аз сафар" in str(menu.reply_markup)


def group_message(message_id: int = 5) -> Message:
    return Message(
        message_id=message_id,
        date=dt.datetime.now(dt.UTC),
        chat=TgChat(id=-1005550001, type="supergroup", title="Migrants chat"),
        text="menu",
    )


async def test_group_messages_and_presses_are_dropped_before_any_database_read(services):
    chat = Chat(services, language_code="kk", user_id=4004)
    updates = UpdateFactory(user_id=4004, language_code="kk")
    with statements(services) as seen:
        assert await chat.feed(updates.in_group("/start")) == []
        assert await chat.feed(updates.press(group_message(), "1|m|")) == []
        assert await chat.feed(updates.press(group_message(), "1|s|before")) == []
    assert [s for s in seen if s.lstrip().upper().startswith("SELECT")] == []
