"""What is kept about one user, shown to them, and erased on their word (`/forget`)."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Table, delete, func, select
from sqlmodel import SQLModel, col

from storage.db import Database
from storage.events import EventRecorder
from storage.models import OptIn, RecordedEvent, UserPreference

USER_KEY = "user_key"


@dataclass(frozen=True)
class UserRecord:
    locale: str | None
    first_seen: dt.date | None
    last_seen: dt.date | None
    events: int
    opted_in: bool


def tables_about_users() -> list[Table]:
    """Every table with a row per user: a new one is erased too without anyone listing it."""
    return [table for table in SQLModel.metadata.sorted_tables if USER_KEY in table.c]


class Privacy:
    def __init__(self, db: Database, recorder: EventRecorder) -> None:
        self._db = db
        self._recorder = recorder

    async def describe(self, user_key: str) -> UserRecord:
        async with self._db.bounded():
            return await self._describe(user_key)

    async def _describe(self, user_key: str) -> UserRecord:
        # Write what is queued first, so the count shown is the whole count. Shielded: a reply
        # that gives up waiting must not cut a write in half.
        await asyncio.shield(self._recorder.flush())
        async with self._db.session() as session:
            preference = await session.get(UserPreference, user_key)
            count = select(func.count()).where(col(RecordedEvent.user_key) == user_key)
            events = await session.scalar(count) or 0
            opted_in = await session.get(OptIn, user_key) is not None
        return UserRecord(
            locale=preference.locale if preference else None,
            first_seen=preference.first_seen if preference else None,
            last_seen=preference.last_seen if preference else None,
            events=events,
            opted_in=opted_in,
        )

    async def erase(self, user_key: str) -> None:
        """Delete every row about the user, and their events not yet written, or nothing (when
        the database does not answer in time).

        Daily counts already rolled up stay: they hold no user key and cannot be traced back.
        """
        async with self._db.bounded(), self._recorder.paused():
            self._recorder.discard(user_key)
            async with self._db.engine.begin() as connection:
                for table in tables_about_users():
                    await connection.execute(delete(table).where(table.c[USER_KEY] == user_key))
