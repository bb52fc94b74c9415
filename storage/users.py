"""Users' saved choices, by pseudonymous key."""

from __future__ import annotations

import datetime as dt

from storage.db import Database
from storage.models import UserPreference
from storage.upsert import insert


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


class UserStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def locale(self, user_key: str) -> str | None:
        async with self._db.bounded(), self._db.session() as session:
            row = await session.get(UserPreference, user_key)
            return row.locale if row else None

    async def set_locale(self, user_key: str, locale: str) -> None:
        today = _today()
        async with self._db.bounded(), self._db.engine.begin() as connection:
            statement = insert(connection, UserPreference).values(
                user_key=user_key, locale=locale, first_seen=today, last_seen=today
            )
            await connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["user_key"],
                    set_={"locale": statement.excluded.locale, "last_seen": today},
                )
            )
