"""Schema migrations: bring any database, empty or older, to the newest revision.

The migrations live in `storage/migrations/` inside the package, so an installed bot carries
them. They run on the bot's own async engine, through Alembic's programmatic API.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from storage.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"
# Databases made before Alembic came in hold exactly this revision's table.
BASELINE = "0001"
# Several replicas may start at once; on PostgreSQL only one of them migrates at a time.
ADVISORY_LOCK = 0x4A4F4C  # "JOL"


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None
    return revision


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(connection: Connection) -> str | None:
    config = _config(connection)
    tables = set(inspect(connection).get_table_names())
    if "user_preference" in tables and "alembic_version" not in tables:
        command.stamp(config, BASELINE)
    command.upgrade(config, "head")
    return _current(connection)


async def upgrade(db: Database) -> str | None:
    """Apply every migration not yet applied; returns the revision the database is now at."""
    async with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": ADVISORY_LOCK}
            )
        return await connection.run_sync(_upgrade)


async def current(db: Database) -> str | None:
    async with db.engine.connect() as connection:
        return await connection.run_sync(_current)


async def new_revision(db: Database, message: str) -> list[Path]:
    """Write a migration for what the models changed since the newest one (source checkout)."""
    number = f"{int(head()) + 1:04d}"

    def write(connection: Connection) -> list[Path]:
        scripts = command.revision(
            _config(connection), message=message, autogenerate=True, rev_id=number
        )
        listed = scripts if isinstance(scripts, list) else [scripts]
        return [Path(script.path) for script in listed if script is not None]

    await upgrade(db)
    async with db.engine.begin() as connection:
        return await connection.run_sync(write)
