"""The async engine and its sessions. The schema is made and migrated by `storage.schema`."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

import storage.models  # noqa: F401  - registers the tables on SQLModel.metadata
from storage.files import private_file

DEFAULT_TIMEOUT = 1.0  # seconds; JOL_DATABASE_TIMEOUT


class DatabaseUnavailable(Exception):
    """The database could not be reached: refused, unknown host, or no answer in time."""


# What "the database failed" means, and nothing else: an `OSError` raised by other code (a file,
# the Bot API's connection) must not be mistaken for it. The driver's own socket errors on
# connecting are turned into `DatabaseUnavailable` where the connection is made.
DATABASE_ERRORS: tuple[type[Exception], ...] = (
    SQLAlchemyError,
    DatabaseUnavailable,
    TimeoutError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    sqlite3.Error,
)


def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """Connect as SQLAlchemy would, naming a refused or unresolvable server a database error."""
    try:
        return dialect.loaded_dbapi.connect(*cargs, **cparams)
    except (OSError, TimeoutError) as exc:
        raise DatabaseUnavailable(f"cannot connect ({type(exc).__name__})") from exc


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL lets the statistics writer and readers work at the same time.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def normalise_url(url: str) -> str:
    """Accept the plain URLs operators write and pick the async driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        url = "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


class Database:
    """The engine, and how long a reply may wait for it.

    `timeout` bounds connecting, waiting for a pooled connection, SQLite's wait for a lock, and
    (through `bounded()`) every read and write made while a user waits for a reply. Statements
    of background work (migrations, roll-ups, the statistics writer) are not cut at `timeout`:
    they may legitimately take longer, and no reply waits for them.
    """

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.url = normalise_url(url)
        self.timeout = timeout
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        # What may be shown to an operator: the URL without its password.
        self.display = parsed.render_as_string(hide_password=True)
        in_memory = not parsed.database or parsed.database == ":memory:"
        if self.is_sqlite and not in_memory:
            private_file(Path(str(parsed.database)))
        options: dict[str, Any] = {"connect_args": {"timeout": timeout}}
        if not (self.is_sqlite and in_memory):
            options["pool_timeout"] = timeout
        self.engine: AsyncEngine = create_async_engine(
            self.url, pool_pre_ping=not self.is_sqlite, **options
        )
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            event.listen(self.engine.sync_engine, "do_connect", _connect)

    @asynccontextmanager
    async def bounded(self) -> AsyncIterator[None]:
        """Give up after `timeout` seconds with `DatabaseUnavailable`: for work a reply waits on.

        A database that accepts connections but never answers, or a table locked by someone
        else, then costs a reply this long at most.
        """
        try:
            async with asyncio.timeout(self.timeout):
                yield
        except TimeoutError as exc:
            raise DatabaseUnavailable(f"no answer within {self.timeout:g} s") from exc

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with AsyncSession(self.engine, expire_on_commit=False) as session:
            yield session

    async def close(self) -> None:
        await self.engine.dispose()
