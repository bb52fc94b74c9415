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


class Conversation(SQLModel, table=True):
    """An open conversation with the operators ("talk to a person").

    The row exists only while the conversation is open: closing it, by either side, by
    retention or by `/forget`, deletes it, and with it the one raw chat id Jol keeps for it.
    The messages themselves are never stored: they live in the operators' group.
    """

    __tablename__ = "conversation"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=8, unique=True)  # what operators see: pseudonymous
    user_key: str = Field(max_length=64, unique=True)
    chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    locale: str = Field(max_length=8)
    topic_id: int | None = Field(default=None, index=True)  # the operators' forum topic
    opened_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    asked_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )  # the user's first message, from which the reply time counts
    answered_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
    active_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # Fixed one-minute windows for the rate limits, shared by every replica.
    user_window: int = 0
    user_count: int = 0
    operator_window: int = 0
    operator_count: int = 0


class HandoffBlock(SQLModel, table=True):
    """Someone operators blocked for abuse, by pseudonymous key, until a day.

    Deliberately not named `user_key`: `/forget` must not be a way round a block.
    """

    __tablename__ = "handoff_block"

    blocked_key: str = Field(primary_key=True, max_length=64)
    until: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class PendingInput(SQLModel, table=True):
    """The next text a user types answers a question the bot asked (a report's details)."""

    __tablename__ = "pending_input"

    user_key: str = Field(primary_key=True, max_length=64)
    purpose: str = Field(max_length=64)
    expires_at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class Report(SQLModel, table=True):
    """A problem a user reported with an article or a centre. Not linked to who reported it."""

    __tablename__ = "report"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    item_kind: str = Field(max_length=8)  # article or centre
    item: str = Field(max_length=64, index=True)
    reason: str = Field(max_length=16)  # number, closed, outdated, other
    text: str | None = Field(default=None, max_length=200)  # scrubbed, for "other"
    locale: str | None = Field(default=None, max_length=8)
    resolved_at: dt.datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class OperatorsTopic(SQLModel, table=True):
    """Standing topics of the operators' group (such as "Reports"), found by every replica."""

    __tablename__ = "operators_topic"

    name: str = Field(primary_key=True, max_length=32)
    thread_id: int


class UnansweredQuery(SQLModel, table=True):
    """A question search could not answer, scrubbed, for editors; deliberately without any user
    key, so it cannot be linked to who asked (and so `/forget` cannot find it either)."""

    __tablename__ = "unanswered_query"

    id: int | None = Field(default=None, primary_key=True)
    day: dt.date = Field(index=True)
    locale: str | None = Field(default=None, max_length=8)
    query: str = Field(max_length=200)
