"""Users who asked for messages from the bot, such as announcements or reminders.

The only place a raw chat id is kept, and only for as long as the user wants the messages.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from storage.db import Database
from storage.models import OptIn
from storage.upsert import insert


class OptIns:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def subscribe(self, user_key: str, chat_id: int) -> None:
        today = dt.datetime.now(dt.UTC).date()
        async with self._db.bounded(), self._db.engine.begin() as connection:
            statement = insert(connection, OptIn).values(
                user_key=user_key, chat_id=chat_id, since=today
            )
            await connection.execute(statement.on_conflict_do_nothing(index_elements=["user_key"]))

    async def unsubscribe(self, user_key: str) -> None:
        async with self._db.bounded(), self._db.session() as session:
            row = await session.get(OptIn, user_key)
            if row is not None:
                await session.delete(row)
                await session.commit()

    async def is_subscribed(self, user_key: str) -> bool:
        async with self._db.bounded(), self._db.session() as session:
            return await session.get(OptIn, user_key) is not None

    async def chat_ids(self) -> list[int]:
        async with self._db.bounded(), self._db.session() as session:
            return list((await session.exec(select(OptIn.chat_id))).all())
