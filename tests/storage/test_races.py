"""Two updates at once for a key nobody has written yet: both succeed, on both databases."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from storage import Database, OptIns, UserStore
from storage.daily import DailyRow
from storage.models import DailyCount
from storage.retention import _merge
from storage.schema import upgrade

TASKS = 12
DAY = dt.date(2026, 11, 1)


@pytest.fixture
async def two(db, database_url):
    """Two engines on the same database, as two replicas (or two pooled connections) have."""
    other = Database(database_url)
    await upgrade(other)
    yield db, other
    await other.close()


async def test_first_updates_from_a_new_user_at_once_all_save_the_language(two):
    stores = [UserStore(db) for db in two]
    locales = ["kk", "ru", "uz", "tg"]
    await asyncio.gather(
        *(stores[i % 2].set_locale("new-user", locales[i % 4]) for i in range(TASKS))
    )
    assert await stores[0].locale("new-user") in locales
    await stores[1].set_locale("new-user", "tg")
    assert await stores[0].locale("new-user") == "tg"


async def test_subscribing_twice_at_once_keeps_one_opt_in(two):
    optins = [OptIns(db) for db in two]
    await asyncio.gather(*(optins[i % 2].subscribe("new-user", 555) for i in range(TASKS)))
    assert await optins[0].chat_ids() == [555]


async def test_roll_ups_of_the_same_day_at_once_add_up(two):
    async def merge(db: Database) -> None:
        async with db.engine.begin() as connection:
            await _merge(connection, [DailyRow(DAY, "article", "first-steps", "kk", "", 2, 1)])

    await asyncio.gather(*(merge(two[i % 2]) for i in range(TASKS)))
    async with two[0].session() as session:
        row = await session.get(DailyCount, (DAY, "article", "first-steps", "kk", ""))
    assert row is not None and (row.events, row.users) == (2 * TASKS, TASKS)
