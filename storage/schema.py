"""Schema migrations: bring any database, empty or older, to the newest revision.

The migrations live in `storage/migrations/` inside the package, so an installed bot carries
them. They run on the bot's own async engine, through Alembic's programmatic API; the bot runs
them in a child process (`storage.migration`), so that it never loads Alembic. A new SQLite
database the bot makes itself, from the models, stamped at the newest revision (`create_new`,
Alembic's own way to start a database from scratch); a test checks that it is exactly what the
migrations make.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel

from storage.db import DATABASE_ERRORS, Database

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# Databases made before Alembic came in hold exactly this revision's table.
BASELINE = "0001"
# Several replicas may start at once; on PostgreSQL only one of them migrates at a time.
ADVISORY_LOCK = 0x4A4F4C  # "JOL"


class MigrationFailed(SQLAlchemyError):
    """The child process that migrates the database (`storage.migration`) failed: its last
    words."""


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    from alembic.script import ScriptDirectory

    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None
    return revision


def newest() -> str:
    """The newest revision, read from the migrations' file names as `jol db revision` writes
    them (`0003_...py` is revision 0003), without Alembic; equal to `head()`."""
    return max(path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def _current(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _upgrade(connection: Connection) -> str | None:
    from alembic import command

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


# Alembic's table of the revision a database is at, as Alembic makes it.
_VERSION = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def _made(connection: Connection) -> str | None:
    if inspect(connection).get_table_names():
        return None
    SQLModel.metadata.create_all(connection)
    _VERSION.create(connection)
    connection.execute(_VERSION.insert().values(version_num=newest()))
    return newest()


async def create_new(db: Database) -> str | None:
    """Make a database without a table yet at the newest revision, from the models; returns
    that revision, or None (and changes nothing) if the database has tables already."""
    async with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": ADVISORY_LOCK}
            )
        return await connection.run_sync(_made)


async def current(db: Database) -> str | None:
    async with db.engine.connect() as connection:
        return await connection.run_sync(_current)


async def new_revision(db: Database, message: str) -> list[Path]:
    """Write a migration for what the models changed since the newest one (source checkout)."""
    number = f"{int(head()) + 1:04d}"

    def write(connection: Connection) -> list[Path]:
        from alembic import command

        scripts = command.revision(
            _config(connection), message=message, autogenerate=True, rev_id=number
        )
        listed = scripts if isinstance(scripts, list) else [scripts]
        return [Path(script.path) for script in listed if script is not None]

    await upgrade(db)
    async with db.engine.begin() as connection:
        return await connection.run_sync(write)


def _applied(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


async def upgrade_if_old(db: Database) -> str | None:
    """`upgrade`, unless a plain query says the database is at the newest revision already
    (then Alembic is not even imported)."""
    async with db.engine.connect() as connection:
        revision = await connection.run_sync(_applied)
    return revision if revision == newest() else await upgrade(db)


def main() -> int:
    """`python -m storage.schema`, with `{"url": ..., "timeout": ...}` on stdin, as the bot
    runs it (`storage.migration`): `upgrade_if_old`, then prints the revision. A database
    error is one line on stderr and exit status 4, as `jol` has it."""
    asked = json.loads(sys.stdin.read())
    db = Database(asked["url"], timeout=asked["timeout"])

    async def migrate() -> str | None:
        try:
            return await upgrade_if_old(db)
        finally:
            await db.close()

    try:
        revision = asyncio.run(migrate())
    except DATABASE_ERRORS as exc:
        # The driver's own message, never SQLAlchemy's, which may quote statements and values.
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        print(f"{type(exc).__name__}: {reason[0][:200] if reason else ''}", file=sys.stderr)
        return 4
    print(revision or "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
