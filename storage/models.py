"""Tables. Kept portable between SQLite and PostgreSQL: no database-specific column types.

No table holds a name, a username, a phone number, a location or what a user typed; the one
exception to "no raw Telegram id" is `opt_in`, for users who asked to receive messages.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Column, DateTime
from sqlmodel import Field, SQLModel


class UserPreference(SQLModel, table=True):
    """What the bot remembers about a user: a pseudonymous key and the chosen language."""

    __tablename__ = "user_preference"

    user_key: str = Field(primary_key=True, max_length=64)
    locale: str = Field(max_length=8)
    first_seen: dt.date
    last_seen: dt.date


class RecordedEvent(SQLModel, table=True):
    """One countable thing a user did, kept raw for the retention period, then rolled up."""

    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))  # UTC
    day: dt.date = Field(index=True)  # UTC day of `at`: grouping by it is portable
    user_key: str = Field(index=True, max_length=64)
    locale: str | None = Field(default=None, max_length=8)
    kind: str = Field(max_length=16)
    subject: str | None = Field(default=None, max_length=64)  # an article, centre, city... id
    value: str | None = Field(default=None, max_length=8)  # feedback: up or down
    query: str | None = Field(default=None, max_length=200)  # unanswered searches, scrubbed


class DailyCount(SQLModel, table=True):
    """Raw events of one day rolled up: how many, and by how many different users.

    Empty strings stand for "none" so that the key columns can be a primary key on both
    databases. Kind `active` counts users active that day per locale, and over all locales
    under locale `*`.
    """

    __tablename__ = "daily_count"

    day: dt.date = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=16)
    subject: str = Field(default="", primary_key=True, max_length=64)
    locale: str = Field(default="", primary_key=True, max_length=8)
    value: str = Field(default="", primary_key=True, max_length=8)
    events: int = 0
    users: int = 0


class OptIn(SQLModel, table=True):
    """Users who asked for messages from the bot (announcements, reminders).

    The only table with a raw chat id: a message cannot be sent without it.
    """

    __tablename__ = "opt_in"

    user_key: str = Field(primary_key=True, max_length=64)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    since: dt.date
