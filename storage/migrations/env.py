"""Alembic's environment: runs on the connection `storage.schema` hands over, so migrations go
through `jol db upgrade` (or any start of the bot) with the bot's own engine and settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import storage.models  # noqa: F401  - registers the tables on SQLModel.metadata

config = context.config
connection: Connection | None = config.attributes.get("connection")
if connection is None:
    raise SystemExit("run the migrations with `jol db upgrade`")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot alter a table in place; batch mode copies it instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
