"""Migrations bring an empty or an older database to the newest schema, on both databases."""

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from storage import Database, UserStore
from storage.schema import BASELINE, current, head, upgrade

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
