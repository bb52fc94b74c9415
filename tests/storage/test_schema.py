"""Migrations bring an empty or an older database to the newest schema, on both databases."""

import asyncio
import datetime as dt
import subprocess
import sys

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from storage import Database, UserStore, migration
from storage.db import DatabaseUnavailable
from storage.migration import Migration
from storage.schema import BASELINE, MigrationFailed, current, head, newest, upgrade
from tests.outage import closed_port

TABLES = {
    "alembic_version",
    "user_preference",
    "event",
    "daily_count",
    "opt_in",
    "conversation",
    "handoff_block",
    "pending_input",
    "report",
    "operators_topic",
    "unanswered_query",
}


async def test_migrations_run_up_from_empty_and_again_without_change(database_url):
    db = Database(database_url)
    try:
        assert await current(db) is None
        assert await upgrade(db) == head()
        assert await upgrade(db) == head()  # every start runs it; the second does nothing
        async with db.engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert tables == TABLES
    finally:
        await db.close()


async def test_the_migrations_make_exactly_what_the_models_describe(database_url):
    db = Database(database_url)
    try:
        await upgrade(db)
        async with db.engine.connect() as connection:
            differences = await connection.run_sync(
                lambda c: compare_metadata(
                    MigrationContext.configure(c, opts={"compare_type": True}), SQLModel.metadata
                )
            )
        assert differences == []
    finally:
        await db.close()


async def test_a_database_from_before_migrations_keeps_its_users(database_url):
    """The first release made `user_preference` without Alembic; upgrading adopts it."""
    db = Database(database_url)
    try:
        async with db.engine.begin() as connection:
            await connection.execute(
                text(
                    "CREATE TABLE user_preference (user_key VARCHAR(64) PRIMARY KEY, "
                    "locale VARCHAR(8) NOT NULL, first_seen DATE NOT NULL, last_seen DATE NOT NULL)"
                )
            )
            await connection.execute(
                text("INSERT INTO user_preference VALUES ('k1', 'tg', :d, :d)"),
                {"d": dt.date(2026, 1, 5)},
            )
        assert await upgrade(db) == head() != BASELINE
        assert await UserStore(db).locale("k1") == "tg"
    finally:
        await db.close()


async def test_a_developer_can_write_the_next_migration(tmp_path, monkeypatch):
    import shutil

    import storage.schema

    copy = tmp_path / "migrations"
    shutil.copytree(storage.schema.MIGRATIONS, copy)
    monkeypatch.setattr(storage.schema, "MIGRATIONS", copy)
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'jol.sqlite3'}")
    try:
        [path] = await storage.schema.new_revision(db, "nothing changed")
    finally:
        await db.close()
    assert path == copy / "versions" / "0004_nothing_changed.py"
    written = path.read_text()
    assert "revision = '0004'" in written and "down_revision = '0003'" in written


def test_the_newest_revision_read_from_the_file_names_is_alembics_head():
    assert newest() == head()


async def test_the_bot_migrates_in_a_child_and_only_asks_once_the_schema_is_current(
    database_url,
):
    db = Database(database_url)
    try:
        assert await Migration(db.url, db.timeout).done(db) == head()
        async with db.engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert tables == TABLES
        assert await Migration(db.url, db.timeout).done(db) == head()
    finally:
        await db.close()
    # At the newest revision, the child asks which revision it is at and never loads Alembic.
    script = (
        "import asyncio, sys\n"
        "from storage import Database\n"
        "from storage.schema import upgrade_if_old\n"
        f"db = Database({database_url!r})\n"
        "print(asyncio.run(upgrade_if_old(db)), 'alembic' in sys.modules)\n"
    )
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-c", script], capture_output=True, text=True
    )
    assert done.stdout.split() == [head(), "False"], done.stderr


async def test_a_migration_that_fails_says_why_and_never_shows_the_password(tmp_path):
    url = f"postgresql://jol:s3cret@127.0.0.1:{closed_port()}/jol"
    db = Database(url)
    try:
        with pytest.raises(DatabaseUnavailable) as unreachable:
            await Migration(db.url, db.timeout).done(db)
    finally:
        await db.close()
    assert "cannot connect" in str(unreachable.value) and "s3cret" not in str(unreachable.value)
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'jol.sqlite3'}")
    crash = "raise SystemExit('KeyError: the migration broke')"
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(migration, "PYTHON", [sys.executable, "-c", crash])
            failing = Migration(db.url, db.timeout)
        with pytest.raises(MigrationFailed, match="KeyError: the migration broke"):
            await failing.done(db)
    finally:
        await db.close()
