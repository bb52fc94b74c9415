"""Old raw events become daily counts and go; the statistics they give do not change."""

import asyncio
import datetime as dt

import pytest
from sqlalchemy import func, select

from storage import Database
from storage.events import EventRecord, write_events
from storage.models import DailyCount, RecordedEvent
from storage.retention import roll_up, roll_up_daily, utc_today
from storage.schema import upgrade
from storage.stats import gather

from .known_events import TODAY, at, load

YEAR = TODAY - dt.timedelta(days=364)


@pytest.fixture
async def db(db):
    """The migrated database of tests/storage/conftest.py, holding a known history."""
    await load(db)
    return db


async def count(db: Database, model) -> int:
    async with db.session() as session:
        return await session.scalar(select(func.count()).select_from(model))


def without_queries(stats):
    data = stats.as_dict()
    data.pop("unanswered_queries")
    return data


async def test_old_events_are_rolled_up_and_deleted_and_the_counts_stay(db):
    before = await gather(db, YEAR, TODAY)
    assert await count(db, RecordedEvent) == 17
    done = await roll_up(db, keep_days=90, query_days=30, today=TODAY)
    assert (done.events, done.days) == (2, 1)  # user-e's two events, 100 days ago
    assert await count(db, RecordedEvent) == 15
    async with db.session() as session:
        oldest = await session.scalar(select(func.min(RecordedEvent.day)))
    assert oldest == TODAY - dt.timedelta(days=40)
    after = await gather(db, YEAR, TODAY)
    assert without_queries(after) == without_queries(before)
    assert after.articles == [("first-steps", 4), ("know-rights", 1)]
    assert after.daily_users["tg"][after.days.index(TODAY - dt.timedelta(days=100))] == 1


async def test_query_texts_are_cleared_sooner_but_the_searches_still_count(db):
    await roll_up(db, keep_days=365, query_days=30, today=TODAY)
    assert await count(db, RecordedEvent) == 17
    stats = await gather(db, YEAR, TODAY)
    assert stats.unanswered_queries == [("где получить патент", 1)]
    assert stats.searches_unanswered == 2


async def test_a_second_roll_up_changes_nothing(db):
    await roll_up(db, keep_days=30, query_days=30, today=TODAY)
    first = await gather(db, YEAR, TODAY)
    rows = await count(db, DailyCount)
    again = await roll_up(db, keep_days=30, query_days=30, today=TODAY)
    assert (again.events, again.queries) == (0, 0)
    assert await count(db, DailyCount) == rows
    assert await gather(db, YEAR, TODAY) == first


async def test_a_late_event_on_a_rolled_up_day_is_added_to_its_counts(db):
    await roll_up(db, keep_days=90, query_days=30, today=TODAY)
    await write_events(db, [EventRecord("user-f", "article", "tg", "first-steps", at=at(100))])
    await roll_up(db, keep_days=90, query_days=30, today=TODAY)
    stats = await gather(db, YEAR, TODAY)
    assert stats.articles == [("first-steps", 5), ("know-rights", 1)]
    assert stats.daily_users["tg"][stats.days.index(TODAY - dt.timedelta(days=100))] == 2


async def test_the_bot_rolls_up_when_it_starts(database_url, tmp_path):
    from bot.config import load_settings
    from bot.services import open_services
    from tests.conftest import FIXTURE_CONTENT

    db = Database(database_url)
    await upgrade(db)
    await load(db, utc_today())
    settings = load_settings(
        content_dir=FIXTURE_CONTENT, jol_data_dir=tmp_path, database_url=database_url
    )
    services = await open_services(settings)  # JOL_RETENTION_DAYS is 90 by default
    try:
        assert await count(db, RecordedEvent) == 15
        assert await count(db, DailyCount) > 0
    finally:
        await services.close()
        await db.close()


async def test_the_bot_rolls_up_again_each_day(db, monkeypatch):
    monkeypatch.setattr("storage.retention.DAY", 0.01)
    monkeypatch.setattr("storage.retention.utc_today", lambda: TODAY)
    task = asyncio.create_task(roll_up_daily(db, keep_days=30, query_days=30))
    try:
        for _ in range(500):
            if await count(db, RecordedEvent) == 14:
                break
            await asyncio.sleep(0.01)
    finally:
        task.cancel()
    assert await count(db, RecordedEvent) == 14  # all but the last 30 days' events
