"""A database that has gone away, of the same kind as the one a test runs on."""

from __future__ import annotations

import socket
from contextlib import contextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage import Database


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable_engine(db: Database) -> AsyncEngine:
    if db.is_sqlite:
        return create_async_engine("sqlite+aiosqlite:////nonexistent/folder/jol.sqlite3")
    # Made as the bot makes its engine, so the driver's errors arrive as the bot sees them.
    return Database(f"postgresql://postgres@127.0.0.1:{closed_port()}/gone").engine


@contextmanager
def outage(db: Database):
    """While inside, every use of `db` fails as it would with the server down."""
    working = db.engine
    db.engine = unreachable_engine(db)
    try:
        yield
    finally:
        db.engine = working
