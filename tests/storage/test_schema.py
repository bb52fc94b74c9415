"""Migrations bring an empty or an older database to the newest schema, on both databases."""

import asyncio
import datetime as dt
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from storage import Database, UserStore, migration, schema
from storage.db import DatabaseUnavailable
from storage.migration import Migration
from storage.schema import (
    BASELINE,
    MigrationFailed,
    create_new,
    current,
    head,
    newest,
    upgrade,
)
from tests.conftest import fresh_postgres
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


def _schema(connection: Connection) -> dict:
    """Every table as the database describes it: columns, keys, indexes, constraints and their
    names (the order of columns aside: a migration adds a column at the end)."""
    found = inspect(connection)
    described = {}
    for table in found.get_table_names():
        columns = found.get_columns(table)
        described[table] = {
            "columns": sorted(
                (c["name"], str(c["type"]), c["nullable"], str(c.get("default"))) for c in columns
            ),
            "primary key": found.get_pk_constraint(table),
            "foreign keys": sorted(map(repr, found.get_foreign_keys(table))),
            "indexes": sorted(map(repr, found.get_indexes(table))),
            "unique": sorted(map(repr, found.get_unique_constraints(table))),
            "checks": sorted(map(repr, found.get_check_constraints(table))),
        }
    return described


async def _at(db: Database, revision: str) -> None:
    def migrate(connection: Connection) -> None:
        from alembic import command

        command.upgrade(schema._config(connection), revision)

    async with db.engine.begin() as connection:
        await connection.run_sync(migrate)


@asynccontextmanager
async def _another(database_url: str, tmp_path) -> AsyncIterator[Database]:
    """A second new database of the same kind."""
    if database_url.startswith("sqlite"):
        other = Database(f"sqlite+aiosqlite:///{tmp_path / 'other.sqlite3'}")
        yield other
        await other.close()
        return
    async with fresh_postgres() as url:
        other = Database(url)
        yield other
        await other.close()


async def test_a_new_database_made_from_the_models_is_what_the_migrations_make(
    database_url, tmp_path
):
    made, migrated = Database(database_url), None
    try:
        assert await create_new(made) == head()
        assert await create_new(made) is None  # it has tables now: left alone
        assert await upgrade(made) == head()  # and Alembic finds nothing to do
        async with _another(database_url, tmp_path) as migrated:
            assert await upgrade(migrated) == head()
            async with made.engine.connect() as one, migrated.engine.connect() as other:
                assert await one.run_sync(_schema) == await other.run_sync(_schema)
    finally:
        await made.close()


def test_the_bot_makes_a_new_sqlite_database_itself_without_alembic(tmp_path):
    script = (
        "import asyncio, sys\n"
        "from storage import Database\n"
        "from storage.migration import Migration\n"
        f"url = 'sqlite+aiosqlite:///{tmp_path / 'jol.sqlite3'}'\n"
        "migration = Migration(url, 1.0)\n"
        "db = Database(url)\n"
        "print(asyncio.run(migration.done(db)), migration._child, 'alembic' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == [head(), "None", "False"], done.stderr


async def test_an_older_database_is_migrated_by_a_child_that_only_asks_once_it_is_current(
    database_url,
):
    db = Database(database_url)
    try:
        await _at(db, BASELINE)
        migration = Migration(db.url, db.timeout)
        assert migration._child is not None
        assert await migration.done(db) == head()
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
        await _at(db, BASELINE)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(migration, "PYTHON", [sys.executable, "-c", crash])
            failing = Migration(db.url, db.timeout)
        with pytest.raises(MigrationFailed, match="KeyError: the migration broke"):
            await failing.done(db)
    finally:
        await db.close()
