"""A database that hangs costs a reply `JOL_DATABASE_TIMEOUT` at most, never the whole reply."""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager

import pytest

from storage import Database, EventRecorder, OptIns, Privacy, UserStore
from storage.db import DATABASE_ERRORS
from storage.schema import upgrade
from tests.conftest import scaled
from tests.outage import silent_postgres

TIMEOUT = 0.3
# The timeout itself, plus time for the event loop and a slow machine to notice.
BUDGET = TIMEOUT + scaled(1.5)


async def bounded_failure(action) -> float:
    """Run `action`; it must fail with a database error; how long it took."""
    started = time.monotonic()
    with pytest.raises(DATABASE_ERRORS):
        await action()
    return time.monotonic() - started


async def test_a_server_that_accepts_and_never_answers_costs_at_most_the_timeout():
    async with silent_postgres() as url:
        db = Database(url, timeout=TIMEOUT)
        recorder = EventRecorder(db)
        try:
            for action in (
                lambda: UserStore(db).locale("k"),
                lambda: UserStore(db).set_locale("k", "kk"),
                lambda: OptIns(db).is_subscribed("k"),
                lambda: Privacy(db, recorder).describe("k"),
                lambda: Privacy(db, recorder).erase("k"),
            ):
                assert await bounded_failure(action) < BUDGET
        finally:
            await recorder.close()
            await db.close()


@asynccontextmanager
async def locked(url: str, table: str, sqlite: bool):
    """Another connection holds `table` (on SQLite: the whole database) for writing."""
    other = Database(url)
    async with other.engine.connect() as connection:
        if sqlite:
            await connection.exec_driver_sql("BEGIN EXCLUSIVE")
        else:
            await connection.begin()
            await connection.exec_driver_sql(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
        yield
        await connection.rollback()
    await other.close()


async def test_a_locked_table_costs_at_most_the_timeout(database_url):
    db = Database(database_url, timeout=TIMEOUT)
    await upgrade(db)
    try:
        async with locked(database_url, "user_preference", db.is_sqlite):
            assert await bounded_failure(lambda: UserStore(db).set_locale("k", "kk")) < BUDGET
            if not db.is_sqlite:  # SQLite's readers are not held by a writer (WAL)
                assert await bounded_failure(lambda: UserStore(db).locale("k")) < BUDGET
        # ... and once it is free, everything works again.
        await UserStore(db).set_locale("k", "kk")
        assert await UserStore(db).locale("k") == "kk"
    finally:
        await db.close()


async def test_the_pool_waits_no_longer_than_the_timeout_for_a_free_connection(database_url):
    db = Database(database_url, timeout=TIMEOUT)
    await upgrade(db)
    held = []
    try:
        size = db.engine.pool.size() + db.engine.pool._max_overflow  # type: ignore[attr-defined]
        for _ in range(size):
            held.append(await db.engine.connect())
        assert await bounded_failure(lambda: UserStore(db).locale("k")) < BUDGET
    finally:
        for connection in held:
            await connection.close()
        await db.close()
    await asyncio.sleep(0)
