"""Open conversations with the operators, and blocks; the state every replica shares.

A conversation's row lives only while it is open: it holds the one raw chat id Jol keeps for
the hand-off, because a reply cannot be delivered without it. Closing deletes the row.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import case, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from storage.db import Database
from storage.models import Conversation, HandoffBlock

# Codes operators see instead of a name: no 0/O or 1/I to misread.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 5
WINDOW_SECONDS = 60


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _window(now: dt.datetime) -> int:
    return int(now.timestamp()) // WINDOW_SECONDS


class Conversations:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def open(
        self, user_key: str, chat_id: int, locale: str, now: dt.datetime
    ) -> Conversation:
        """The user's open conversation, or a new one; at most one per user, across replicas."""
        for _ in range(5):
            existing = await self.of_user(user_key)
            if existing is not None:
                return existing
            row = Conversation(
                code=new_code(),
                user_key=user_key,
                chat_id=chat_id,
                locale=locale,
                opened_at=now,
                active_at=now,
            )
            try:
                async with self._db.session() as session:
                    session.add(row)
                    await session.commit()
                return row
            except IntegrityError:
                continue  # another replica opened it, or the code was taken: look again
        raise RuntimeError("could not open a conversation")

    async def of_user(self, user_key: str) -> Conversation | None:
        async with self._db.session() as session:
            found = await session.exec(
                select(Conversation).where(col(Conversation.user_key) == user_key)
            )
            return found.first()

    async def of_topic(self, topic_id: int) -> Conversation | None:
        async with self._db.session() as session:
            found = await session.exec(
                select(Conversation).where(col(Conversation.topic_id) == topic_id)
            )
            return found.first()

    async def claim_topic(self, conversation_id: int, topic_id: int) -> bool:
        """Record the topic made for a conversation, unless another replica got there first."""
        async with self._db.engine.begin() as connection:
            done = await connection.execute(
                update(Conversation)
                .where(
                    col(Conversation.id) == conversation_id, col(Conversation.topic_id).is_(None)
                )
                .values(topic_id=topic_id)
            )
        return done.rowcount == 1

    async def touch(self, conversation_id: int, now: dt.datetime, *, asked: bool) -> None:
        values: dict[str, object] = {"active_at": now}
        if asked:
            values["asked_at"] = case(
                (col(Conversation.asked_at).is_(None), now),
                else_=col(Conversation.asked_at),
            )
        async with self._db.engine.begin() as connection:
            await connection.execute(
                update(Conversation).where(col(Conversation.id) == conversation_id).values(**values)
            )

    async def mark_answered(self, conversation_id: int, now: dt.datetime) -> bool:
        """True for the first operator's reply only (its time is what statistics count)."""
        async with self._db.engine.begin() as connection:
            done = await connection.execute(
                update(Conversation)
                .where(
                    col(Conversation.id) == conversation_id,
                    col(Conversation.answered_at).is_(None),
                )
                .values(answered_at=now, active_at=now)
            )
        return done.rowcount == 1

    async def count_message(self, conversation_id: int, now: dt.datetime, *, operator: bool) -> int:
        """Count one message in the current minute; the count so far, shared by all replicas."""
        window, count = (
            (col(Conversation.operator_window), col(Conversation.operator_count))
            if operator
            else (col(Conversation.user_window), col(Conversation.user_count))
        )
        current = _window(now)
        async with self._db.engine.begin() as connection:
            await connection.execute(
                update(Conversation)
                .where(col(Conversation.id) == conversation_id)
                .values(
                    {
                        count: case((window == current, count + 1), else_=1),
                        window: current,
                    }
                )
            )
            result = await connection.execute(
                select(count).where(col(Conversation.id) == conversation_id)
            )
            return result.scalar_one_or_none() or 0

    async def close(self, conversation_id: int) -> Conversation | None:
        """Delete the conversation, and its chat id with it; what it was, if it was open."""
        async with self._db.session() as session:
            row = await session.get(Conversation, conversation_id)
            if row is None:
                return None
            await session.delete(row)
            await session.commit()
            return row

    async def idle(self, before: dt.datetime) -> list[Conversation]:
        async with self._db.session() as session:
            found = await session.exec(
                select(Conversation).where(col(Conversation.active_at) < before)
            )
            return list(found.all())

    async def open_count(self) -> int:
        async with self._db.session() as session:
            found = await session.exec(select(Conversation.id))
            return len(found.all())

    # -- blocks -------------------------------------------------------------------------------

    async def block(self, user_key: str, until: dt.datetime) -> None:
        async with self._db.session() as session:
            row = await session.get(HandoffBlock, user_key)
            if row is None:
                session.add(HandoffBlock(blocked_key=user_key, until=until))
            else:
                row.until = until
                session.add(row)
            await session.commit()

    async def blocked(self, user_key: str, now: dt.datetime) -> bool:
        async with self._db.session() as session:
            row = await session.get(HandoffBlock, user_key)
        return row is not None and _aware(row.until) > now

    async def expire_blocks(self, now: dt.datetime) -> int:
        async with self._db.engine.begin() as connection:
            done = await connection.execute(
                delete(HandoffBlock).where(col(HandoffBlock.until) <= now)
            )
        return done.rowcount


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; every time Jol stores is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
