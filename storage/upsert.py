"""`INSERT … ON CONFLICT`, in the dialect of the database at hand.

Reading a row and then inserting it races with another update doing the same; an upsert is one
statement, so two first updates from a new user at once both succeed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection


def insert(connection: AsyncConnection, table: Any) -> Any:
    """An INSERT on `table` (a Table or a SQLModel class) with `.on_conflict_do_*()`."""
    target: Table = getattr(table, "__table__", table)
    if connection.dialect.name == "postgresql":
        return postgresql.insert(target)
    if connection.dialect.name == "sqlite":
        return sqlite.insert(target)
    # Settings accept no other database (see `bot.config`); say so if one slips through.
    raise ValueError(f"{connection.dialect.name}: only SQLite and PostgreSQL are supported")
