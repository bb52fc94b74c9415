"""A database that has gone away, of the same kind as the one a test runs on."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, contextmanager

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


@asynccontextmanager
async def silent_postgres() -> AsyncIterator[str]:
    """The URL of a "PostgreSQL" that accepts connections and never says a word."""
    held: list[asyncio.StreamWriter] = []

    async def accept(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # kept open, never answered

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/silent"
    finally:
        for writer in held:
            writer.close()
        server.close()


@asynccontextmanager
async def hung(db: Database) -> AsyncIterator[None]:
    """While inside, `db` connects to a server that never answers."""
    async with silent_postgres() as url:
        working, silent = db.engine, Database(url, timeout=db.timeout)
        db.engine = silent.engine
        try:
            yield
        finally:
            db.engine = working
            await silent.close()
