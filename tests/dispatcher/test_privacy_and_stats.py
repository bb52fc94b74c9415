"""Storage seen through the real dispatcher: what a conversation leaves in the database, /forget,
an outage mid-conversation, feedback buttons and the operators' /stats."""

from __future__ import annotations

import threading
import time

import asyncpg
import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile
from sqlalchemy import inspect, select, table, text

from bot.config import load_settings
from bot.runtime.aiogram.updates import UpdateFactory
from bot.services import open_services
from storage.models import RecordedEvent
from storage.privacy import tables_about_users
from tests.conftest import FIXTURE_CONTENT, fresh_postgres, scaled
from tests.outage import hung, outage

from .test_dispatcher import Chat

ADMIN = 42
USER_ID = 987654321
FIRST_NAME = "Zarina"
USERNAME = "zarina_tashkent"
# A question the test catalog does not answer (it has an article on passports since search
# learned to read them), so that it is kept for editors, scrubbed.
TYPED = "Dollar kursi qancha, +998 90 123 45 67 ga qoʻngʻiroq qiling"
LOCATION = (43.2565, 76.9284)


async def open_on(url: str, tmp_path):
    settings = load_settings(
        content_dir=FIXTURE_CONTENT, jol_data_dir=tmp_path, database_url=url, admin_ids=str(ADMIN)
    )
    return await open_services(settings)


@pytest.fixture
async def services_db(database_url, tmp_path):
    """The whole bot's services on SQLite, then on the real PostgreSQL."""
    opened = await open_on(database_url, tmp_path)
    yield opened
    await opened.close()


def person(services, user_id: int = USER_ID, language_code: str = "uz") -> Chat:
    chat = Chat(services, language_code=language_code, user_id=user_id)
    chat.updates = UpdateFactory(
        user_id=user_id, language_code=language_code, first_name=FIRST_NAME, username=USERNAME
    )
    return chat


async def a_whole_conversation(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("Yoʻlga")
    await chat.press("First steps (uz)")
    await chat.press("👍")
    await chat.say("/menu")
    await chat.press("Xizmat")
    await chat.press("Olmaota")
    await chat.press("Exact uz")
    await chat.say("/menu")
    await chat.press("Xizmat")
    await chat.press("📍")
    await chat.feed(chat.updates.location(*LOCATION))
    await chat.say(TYPED)
    await chat.say(f"my name is {FIRST_NAME}, write to @{USERNAME}")
    await chat.say("/stats")
    await chat.feed(chat.updates.sticker())
    await chat.say("/forget")
    await chat.press("✖️")


async def every_value(services) -> list[str]:
    """Every value of every column of every table, as text."""
    values = []
    async with services.db.engine.connect() as connection:
        names = await connection.run_sync(lambda c: inspect(c).get_table_names())
        for name in names:
            for row in await connection.execute(select(text("*")).select_from(table(name))):
                values += [str(value) for value in row if value is not None]
    return values


async def test_a_conversation_leaves_no_id_name_username_text_or_location(services_db):
    chat = person(services_db)
    await a_whole_conversation(chat)
    await services_db.events.flush()
    values = "\n".join(await every_value(services_db)).lower()
    key = services_db.pseudonyms.key_for(USER_ID)
    assert key in values, "the conversation should have been recorded under the pseudonym"
    for kind in ("start", "section", "article", "feedback", "centre", "nearest"):
        assert kind in values
    secrets = [str(USER_ID), FIRST_NAME, USERNAME, TYPED, "+998 90 123 45 67", "90 123 45 67"]
    secrets += [str(LOCATION[0]), str(LOCATION[1])]
    for secret in secrets:
        assert secret.lower() not in values, f"{secret!r} reached the database"
    # Questions nobody could answer are kept for editors, scrubbed, without the asker's names.
    assert "dollar kursi qancha, ga qoʻngʻiroq qiling" in values
    assert "my name is write to" in values


async def recorded_kinds(services) -> list[str]:
    async with services.db.engine.connect() as connection:
        return sorted((await connection.scalars(select(RecordedEvent.kind))).all())


async def rows_about(services, user_key: str) -> dict[str, int]:
    async with services.db.engine.connect() as connection:
        return {
            t.name: len((await connection.execute(select(t).where(t.c.user_key == user_key))).all())
            for t in tables_about_users()
        }


async def test_forget_shows_what_is_kept_then_erases_every_row_about_the_user(services_db):
    chat = person(services_db)
    other = person(services_db, user_id=1001, language_code="ru")
    await a_whole_conversation(chat)
    await other.say("/start")
    key = services_db.pseudonyms.key_for(USER_ID)
    await services_db.optins.subscribe(key, USER_ID)
    [screen] = await chat.say("/forget")
    assert "Oʻzbekcha" in screen.text
    assert "Jol xabarlarini olishga obunangiz" in screen.text
    await services_db.events.flush()
    before = await rows_about(services_db, key)
    assert before["user_preference"] == before["opt_in"] == 1 and before["event"] > 5
    assert f"{before['event']} ta yozuv" in screen.text
    toast, done = await chat.press("🗑")
    assert isinstance(toast, AnswerCallbackQuery) and isinstance(done, EditMessageText)
    assert done.text.startswith("Tayyor")
    await services_db.events.flush()
    erased = await rows_about(services_db, key)
    assert set(erased) >= {"user_preference", "event", "opt_in"} and not any(erased.values())
    assert (await rows_about(services_db, services_db.pseudonyms.key_for(1001)))["event"] == 1


async def test_an_outage_mid_conversation_does_not_stop_replies_or_lose_events(services_db):
    chat = person(services_db, language_code="kk")
    await chat.say("/start")
    await services_db.events.flush()
    with outage(services_db.db):
        [menu] = await chat.say("/menu")
        assert "Жолға шықпас бұрын" in str(menu.reply_markup)
        await chat.press("Жолға")
        await chat.press("First steps (kk)")
        assert chat.sent[-1].text.startswith("<b>First steps (kk)</b>")
        [thanks] = await chat.press("👍")
        assert thanks.text  # the toast still comes
        [unreadable] = await chat.say("/forget")
        assert "/forget" in unreadable.text and "🗑" not in str(unreadable.reply_markup)
        assert await services_db.events.flush() is False
        assert services_db.events.pending == 3  # section, article, feedback: kept
    await chat.press("Жолға")  # the database is back
    assert await services_db.events.flush() is True
    kinds = ["article", "feedback", "section", "section", "start"]
    assert await recorded_kinds(services_db) == kinds
    assert services_db.events.dropped == 0


async def test_postgresql_connections_killed_mid_conversation_are_replaced(tmp_path):
    async with fresh_postgres() as url:
        services = await open_on(url, tmp_path)
        try:
            chat = person(services, language_code="ru")
            await chat.say("/start")
            await services.events.flush()
            name = url.rsplit("/", 1)[1]
            admin = await asyncpg.connect(url)
            try:
                killed = await admin.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = $1 AND pid <> pg_backend_pid()",
                    name,
                )
            finally:
                await admin.close()
            assert killed >= 1
            [menu] = await chat.say("/menu")
            assert "Перед отъездом" in str(menu.reply_markup)
            await chat.press("Перед отъездом")
            await services.events.flush()
            assert await recorded_kinds(services) == ["section", "start"]
            assert services.events.dropped == 0
        finally:
            await services.close()


async def test_a_thumb_is_acknowledged_with_a_toast_and_nothing_is_resent(services):
    chat = Chat(services, language_code="ru")
    await chat.say("/menu")
    await chat.press("Перед отъездом")
    await chat.press("First steps (ru)")
    [toast] = await chat.press("👎")
    assert isinstance(toast, AnswerCallbackQuery)
    assert toast.text == "Спасибо! Это помогает нам улучшать Jol."
    await services.events.flush()
    async with services.db.engine.connect() as connection:
        [feedback] = await connection.execute(
            select(RecordedEvent.subject, RecordedEvent.value, RecordedEvent.locale).where(
                RecordedEvent.kind == "feedback"
            )
        )
    assert tuple(feedback) == ("first-steps", "down", "ru")


async def test_stats_is_refused_to_everyone_but_operators_without_a_hint(services):
    chat = Chat(services, language_code="ru", user_id=1001)
    [unknown] = await chat.say("/nosuchcommand")
    for attempt in ("/stats", "/stats 7d", "/stats@jol_bot"):
        [answer] = await chat.say(attempt)
        assert isinstance(answer, SendMessage)
        assert answer.text == unknown.text
        assert "Статистика" not in answer.text


async def test_an_operator_gets_a_summary_and_a_chart(services_db):
    visitor = person(services_db, user_id=1001, language_code="ru")
    await visitor.say("/start")
    await visitor.press("Перед отъездом")
    await visitor.press("First steps (ru)")
    await visitor.press("👍")
    operator = Chat(services_db, language_code="ru", user_id=ADMIN)
    summary, chart = await operator.say("/stats 7d")
    assert isinstance(summary, SendMessage) and isinstance(chart, SendPhoto)
    assert "Статистика Jol" in summary.text
    assert "Новые пользователи: 1" in summary.text
    assert "first-steps: 1" in summary.text
    assert "first-steps (Русский): 👍 1 👎 0" in summary.text
    assert isinstance(chart.photo, BufferedInputFile)
    assert chart.photo.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert chart.caption == "Активные пользователи по дням и языкам"
    [hint] = await operator.say("/stats whenever")
    assert "/stats 7d" in hint.text


async def test_an_operator_is_told_when_the_statistics_cannot_be_read(services):
    operator = Chat(services, language_code="ru", user_id=ADMIN)
    with outage(services.db):
        [answer] = await operator.say("/stats")
    assert answer.text == "Статистика недоступна: нет связи с базой данных."


async def test_the_chart_is_drawn_off_the_event_loop(services, monkeypatch):
    from bot.operators.chart import render_daily_users

    drawn_in = []

    def watched(*args):
        drawn_in.append(threading.current_thread())
        return render_daily_users(*args)

    monkeypatch.setattr("bot.app.operators.render_daily_users", watched)
    sent = await Chat(services, language_code="ru", user_id=ADMIN).say("/stats")
    assert isinstance(sent[-1], SendPhoto)
    assert len(drawn_in) == 1 and drawn_in[0] is not threading.main_thread()


async def test_a_database_that_never_answers_delays_replies_by_the_timeout_at_most(services_db):
    chat = person(services_db, language_code="kk")
    await chat.say("/start")
    # Per reply: reading the saved language, then saving or erasing, each bounded.
    budget = 2 * services_db.db.timeout + scaled(1.5)

    async def timed(step):
        started = time.monotonic()
        replies = await step()
        assert time.monotonic() - started < budget
        return replies

    async with hung(services_db.db):
        [menu] = await timed(lambda: chat.say("/menu"))
        assert "Жолға шықпас бұрын" in str(menu.reply_markup)
        await timed(lambda: chat.say("/language"))
        await timed(lambda: chat.press("Русский"))
        [forget] = await timed(lambda: chat.say("/forget"))
    assert "/forget" in forget.text and "🗑" not in str(forget.reply_markup)
