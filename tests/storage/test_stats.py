"""Statistics from a known history, on both databases."""

import datetime as dt

import pytest

from storage import Database, EventRecorder
from storage.events import EventRecord
from storage.schema import upgrade
from storage.stats import Feedback, Talks, gather

from .known_events import LAST_30_DAYS, TODAY, load


@pytest.fixture
async def db(db):
    """The migrated database of tests/storage/conftest.py, holding a known history."""
    await load(db)
    return db


async def test_the_last_30_days_of_a_known_history(db):
    stats = await gather(db, TODAY - dt.timedelta(days=29), TODAY)
    for name, expected in LAST_30_DAYS.items():
        assert getattr(stats, name) == expected, name
    assert stats.feedback == [
        Feedback("first-steps", "ru", up=1, down=0),
        Feedback("first-steps", "uz", up=0, down=1),
    ]
    daily = stats.daily_users["*"]
    assert len(daily) == 30 == len(stats.days)
    assert [(stats.days[i], n) for i, n in enumerate(daily) if n] == [
        (TODAY - dt.timedelta(days=10), 1),
        (TODAY - dt.timedelta(days=1), 1),
        (TODAY, 1),
    ]
    assert stats.daily_users["uz"][stats.days.index(TODAY - dt.timedelta(days=10))] == 1


async def test_a_longer_period_reaches_older_events(db):
    stats = await gather(db, TODAY - dt.timedelta(days=364), TODAY)
    assert stats.articles == [("first-steps", 4), ("know-rights", 1)]
    assert stats.new_users == 5
    assert stats.weekly_active == 2 and stats.monthly_active == 3  # always the last 7 and 30
    assert sorted(q for q, _ in stats.unanswered_queries) == ["old question", "где получить патент"]


async def test_an_empty_database_gives_zeros(database_url):
    empty = Database(database_url)
    await upgrade(empty)
    try:
        stats = await gather(empty, TODAY - dt.timedelta(days=6), TODAY)
    finally:
        await empty.close()
    assert (stats.new_users, stats.daily_active, stats.monthly_active) == (0, 0.0, 0)
    assert stats.articles == [] and stats.daily_users == {} and len(stats.days) == 7


async def test_conversations_with_operators_by_language_reply_time_and_outcome(database_url):
    fresh = Database(database_url)
    await upgrade(fresh)
    try:
        recorder = EventRecorder(fresh)
        recorder.record(
            [
                EventRecord("a", "talk_open", "ru"),
                EventRecord("b", "talk_open", "ru"),
                EventRecord("c", "talk_open", "kk"),
                EventRecord("a", "talk_reply", "ru", subject="3"),
                EventRecord("b", "talk_reply", "ru", subject="9"),
                EventRecord("a", "talk_close", "ru", value="operator"),
                EventRecord("b", "talk_close", "ru", value="gone"),
                EventRecord("c", "talk_close", "kk", value="user"),
            ]
        )
        await recorder.flush()
        today = dt.datetime.now(dt.UTC).date()
        stats = await gather(fresh, today - dt.timedelta(days=6), today)
    finally:
        await fresh.close()
    assert stats.conversations == [
        Talks("kk", opened=1, answered=0, median_reply_minutes=None, outcomes={"user": 1}),
        Talks("ru", 2, 2, 6.0, {"gone": 1, "operator": 1}),
    ]
