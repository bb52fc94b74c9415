"""Retention: raw events older than the kept period become daily counts and are deleted, and
unanswered queries lose their text sooner."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import delete, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.daily import DailyRow, from_events
from storage.db import Database
from storage.events import DATABASE_ERRORS
from storage.models import DailyCount, RecordedEvent
from storage.upsert import insert

log = logging.getLogger(__name__)

DAY = 24 * 60 * 60
ROLLUP_LOCK = 0x4A4F4D  # on PostgreSQL, one roll-up at a time across replicas


def utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


@dataclass(frozen=True)
class RollUp:
    events: int  # raw events rolled up and deleted
    days: int  # days they covered
    queries: int  # unanswered queries whose text was cleared


async def _merge(connection: AsyncConnection, rows: list[DailyRow]) -> None:
    """Add rows to the daily counts, adding to a day already rolled up rather than failing."""
    if not rows:
        return
    table = DailyCount.__table__  # type: ignore[attr-defined]
    statement = insert(connection, table)
    await connection.execute(
        statement.on_conflict_do_update(
            index_elements=[c.name for c in table.primary_key.columns],
            set_={
                "events": table.c.events + statement.excluded.events,
                "users": table.c.users + statement.excluded.users,
            },
        ),
        [row._asdict() for row in rows],
    )


async def roll_up(
    db: Database, *, keep_days: int, query_days: int, today: dt.date | None = None
) -> RollUp:
    """Roll up and delete raw events from before `today - keep_days`; clear query texts from
    before `today - query_days`. Whole UTC days only, so a day is never split."""
    today = today or utc_today()
    cutoff = today - dt.timedelta(days=keep_days)
    query_cutoff = today - dt.timedelta(days=query_days)
    e = RecordedEvent.__table__.c  # type: ignore[attr-defined]
    async with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": ROLLUP_LOCK})
        rows = await from_events(connection, e.day < cutoff)
        await _merge(connection, rows)
        deleted = await connection.execute(delete(RecordedEvent).where(e.day < cutoff))
        cleared = await connection.execute(
            update(RecordedEvent)
            .where(e.query.is_not(None), e.day < query_cutoff)
            .values(query=None)
        )
    return RollUp(deleted.rowcount, len({row.day for row in rows}), cleared.rowcount)


async def roll_up_daily(db: Database, *, keep_days: int, query_days: int) -> None:
    """Run in the bot: a roll-up every day; a failed one is tried again the next day."""
    while True:
        await asyncio.sleep(DAY)
        try:
            done = await roll_up(db, keep_days=keep_days, query_days=query_days)
            log.info(
                "retention: %d events rolled up, %d queries cleared", done.events, done.queries
            )
        except DATABASE_ERRORS as exc:
            log.warning("retention: roll-up failed (%s); next try in a day", type(exc).__name__)
