"""Tables. Kept portable between SQLite and PostgreSQL: no database-specific column types."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class UserPreference(SQLModel, table=True):
    """What the bot remembers about a user: a pseudonymous key and the chosen language."""

    __tablename__ = "user_preference"

    user_key: str = Field(primary_key=True, max_length=64)
    locale: str = Field(max_length=8)
    first_seen: dt.date
    last_seen: dt.date
