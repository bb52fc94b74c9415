"""Daily counts in one shape, whether computed from raw events or read back once rolled up.

Statistics are always built from these rows, so a period counts the same before and after its
raw events are rolled up and deleted.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import DailyCount, RecordedEvent

ACTIVE = "active"  # the kind under which users active on a day are counted
ALL_LOCALES = "*"


class DailyRow(NamedTuple):
    day: dt.date
    kind: str
    subject: str
    locale: str
    value: str
    events: int
    users: int

    @property
    def key(self) -> tuple[dt.date, str, str, str, str]:
        return self.day, self.kind, self.subject, self.locale, self.value


async def from_events(
    connection: AsyncConnection, condition: ColumnElement[bool]
) -> list[DailyRow]:
    """Raw events that match `condition`, counted per day as the roll-up keeps them."""
    e = RecordedEvent.__table__.c  # type: ignore[attr-defined]
    count, users = func.count(), func.count(distinct(e.user_key))
    by_kind = (
        select(e.day, e.kind, e.subject, e.locale, e.value, count, users)
        .where(condition)
        .group_by(e.day, e.kind, e.subject, e.locale, e.value)
    )
    by_locale = select(e.day, e.locale, count, users).where(condition).group_by(e.day, e.locale)
    overall = select(e.day, count, users).where(condition).group_by(e.day)
    rows = [
        DailyRow(day, kind, subject or "", locale or "", value or "", n, u)
        for day, kind, subject, locale, value, n, u in await connection.execute(by_kind)
    ]
    rows += [
        DailyRow(day, ACTIVE, "", locale or "", "", n, u)
        for day, locale, n, u in await connection.execute(by_locale)
    ]
    rows += [
        DailyRow(day, ACTIVE, "", ALL_LOCALES, "", n, u)
        for day, n, u in await connection.execute(overall)
    ]
    return rows


async def from_aggregates(connection: AsyncConnection, since: dt.date) -> list[DailyRow]:
    d = DailyCount.__table__.c  # type: ignore[attr-defined]
    query = select(d.day, d.kind, d.subject, d.locale, d.value, d.events, d.users).where(
        d.day >= since
    )
    return [DailyRow(*row) for row in await connection.execute(query)]


async def counted(connection: AsyncConnection, since: dt.date) -> list[DailyRow]:
    """Every day from `since` on: rolled-up days and raw days (they never overlap)."""
    e = RecordedEvent.__table__.c  # type: ignore[attr-defined]
    return await from_aggregates(connection, since) + await from_events(connection, e.day >= since)
