"""A question the bot asked and whose answer is the user's next text (a report's details).

Held in the database, not in memory, so that whichever replica gets the answer knows it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete

from storage.db import Database
from storage.models import PendingInput

LIFETIME = dt.timedelta(minutes=30)


class PendingInputs:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def expect(self, user_key: str, purpose: str, now: dt.datetime) -> None:
        async with self._db.session() as session:
            row = await session.get(PendingInput, user_key)
            if row is None:
                row = PendingInput(user_key=user_key, purpose=purpose, expires_at=now + LIFETIME)
            else:
                row.purpose, row.expires_at = purpose, now + LIFETIME
            session.add(row)
            await session.commit()

    async def take(self, user_key: str, now: dt.datetime) -> str | None:
        """What the user's text answers, if anything; asked once only."""
        async with self._db.session() as session:
            row = await session.get(PendingInput, user_key)
            if row is None:
                return None
            await session.delete(row)
            await session.commit()
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
        return row.purpose if expires > now else None

    async def peek(self, user_key: str) -> bool:
        async with self._db.session() as session:
            return await session.get(PendingInput, user_key) is not None

    async def expire(self, now: dt.datetime) -> int:
        async with self._db.engine.begin() as connection:
            done = await connection.execute(
                delete(PendingInput).where(PendingInput.expires_at <= now)  # type: ignore[arg-type]
            )
        return done.rowcount
