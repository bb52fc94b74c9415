"""Alembic's environment: runs on the connection `storage.schema` hands over.

Run through `jol db upgrade` (or any start of the bot); the `alembic` command line works too
with `-x url=...`.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import storage.models  # noqa: F401  - registers the tables on SQLModel.metadata
from storage.db import normalise_url

config = context.config
target_metadata = SQLModel.metadata


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot alter a table in place; batch mode copies it instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_with_own_engine(url: str) -> None:
    engine = create_async_engine(normalise_url(url))
    async with engine.begin() as connection:
        await connection.run_sync(run_on)
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("give the database with -x url=... or use `jol db upgrade`")
    asyncio.run(run_with_own_engine(url))
