"""Problems users report with articles and centres, for editors; and the operators' standing
topics. A report carries no user key: it cannot be linked to who sent it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from storage.db import Database
from storage.models import OperatorsTopic, Report
from storage.scrub import scrub

REASONS = ("number", "closed", "outdated", "other")
ITEM_KINDS = ("article", "centre")


@dataclass(frozen=True)
class ListedReport:
    id: int
    at: dt.datetime
    item_kind: str
    item: str
    reason: str
    text: str | None
    locale: str | None
    item_reports: int  # open reports about the same item, this one included


class Reports:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        item_kind: str,
        item: str,
        reason: str,
        *,
        locale: str | None,
        text: str | None = None,
        at: dt.datetime | None = None,
    ) -> Report:
        if item_kind not in ITEM_KINDS or reason not in REASONS:
            raise ValueError(f"unknown report {item_kind}/{reason}")
        row = Report(
            at=at or dt.datetime.now(dt.UTC),
            item_kind=item_kind,
            item=item[:64],
            reason=reason,
            text=scrub(text) if text else None,
            locale=locale,
        )
        async with self._db.session() as session:
            session.add(row)
            await session.commit()
        return row

    async def listing(self, *, include_resolved: bool = False) -> list[ListedReport]:
        """Most reported items first, and within an item the newest first."""
        async with self._db.session() as session:
            query = select(Report)
            if not include_resolved:
                query = query.where(col(Report.resolved_at).is_(None))
            rows = list((await session.exec(query)).all())
        per_item: dict[tuple[str, str], int] = {}
        for row in rows:
            if row.resolved_at is None:
                per_item[(row.item_kind, row.item)] = per_item.get((row.item_kind, row.item), 0) + 1
        newest: dict[tuple[str, str], float] = {}
        for row in rows:
            key = (row.item_kind, row.item)
            newest[key] = max(newest.get(key, 0.0), _aware(row.at).timestamp())
        rows.sort(
            key=lambda r: (
                -per_item.get((r.item_kind, r.item), 0),
                -newest[(r.item_kind, r.item)],
                r.item,
                -_aware(r.at).timestamp(),
            )
        )
        return [
            ListedReport(
                r.id or 0,
                _aware(r.at),
                r.item_kind,
                r.item,
                r.reason,
                r.text,
                r.locale,
                per_item.get((r.item_kind, r.item), 0),
            )
            for r in rows
        ]

    async def resolve(self, report_id: int, at: dt.datetime | None = None) -> bool:
        async with self._db.engine.begin() as connection:
            done = await connection.execute(
                update(Report)
                .where(col(Report.id) == report_id, col(Report.resolved_at).is_(None))
                .values(resolved_at=at or dt.datetime.now(dt.UTC))
            )
        return done.rowcount == 1

    async def open_count(self, item_kind: str, item: str) -> int:
        async with self._db.session() as session:
            result = await session.exec(
                select(func.count()).where(
                    col(Report.item_kind) == item_kind,
                    col(Report.item) == item,
                    col(Report.resolved_at).is_(None),
                )
            )
            return int(result.one())


class OperatorsTopics:
    """Standing topics of the operators' group, created once and found by every replica."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, name: str) -> int | None:
        async with self._db.session() as session:
            row = await session.get(OperatorsTopic, name)
            return row.thread_id if row else None

    async def put(self, name: str, thread_id: int) -> int:
        """Remember a topic; if another replica made one first, theirs wins and is returned."""
        try:
            async with self._db.session() as session:
                session.add(OperatorsTopic(name=name, thread_id=thread_id))
                await session.commit()
            return thread_id
        except IntegrityError:
            found = await self.get(name)
            return found if found is not None else thread_id


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
