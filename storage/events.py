"""Events for operators' statistics, written in the background in batches.

`record()` only appends to a queue in memory: a reply never waits for the database. A task
writes the queue in batches; if the database cannot be reached the batch is dropped and
counted, and the bot goes on answering.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import deque
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy import bindparam, insert, update
from sqlalchemy.exc import SQLAlchemyError

from storage.db import Database
from storage.models import RecordedEvent, UnansweredQuery, UserPreference
from storage.scrub import scrub

log = logging.getLogger(__name__)

BATCH_SIZE = 500
INTERVAL = 2.0  # seconds between writes when the queue is not full
CAPACITY = 50_000  # events held while the database is away; beyond that they are dropped
WRITE_TIMEOUT = 15.0  # seconds; a database that hangs must not hold the queue for ever
DATABASE_ERRORS = (SQLAlchemyError, OSError, TimeoutError)
# Only an unanswered search keeps its (scrubbed) text; every other kind keeps none.
QUERY_KINDS = frozenset({"search_miss"})


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class EventRecord:
    user_key: str
    kind: str
    locale: str | None = None
    subject: str | None = None
    value: str | None = None
    query: str | None = None
    at: dt.datetime = field(default_factory=_now)  # UTC

    def row(self) -> dict[str, object]:
        query = scrub(self.query) if self.query and self.kind in QUERY_KINDS else None
        at = self.at.astimezone(dt.UTC) if self.at.tzinfo else self.at.replace(tzinfo=dt.UTC)
        return {
            "at": at,
            "day": at.date(),
            "user_key": self.user_key[:64],
            "locale": self.locale[:8] if self.locale else None,
            "kind": self.kind[:16],
            "subject": self.subject[:64] if self.subject else None,
            "value": self.value[:8] if self.value else None,
            "query": query,
        }


async def write_events(db: Database, records: Iterable[EventRecord]) -> int:
    """Insert events and move their users' last-seen day, in one transaction."""
    rows = [record.row() for record in records]
    if not rows:
        return 0
    seen: dict[str, dt.date] = {}
    for row in rows:
        key, day = row["user_key"], row["day"]
        assert isinstance(key, str) and isinstance(day, dt.date)
        seen[key] = max(day, seen.get(key, day))
    touch = (
        update(UserPreference)
        .where(UserPreference.user_key == bindparam("k"), UserPreference.last_seen < bindparam("d"))
        .values(last_seen=bindparam("d"))
    )
    # The text of an unanswered question goes to its own table, with no user key: editors
    # need what was asked, never who asked it. The event itself only counts the miss.
    queries = [
        {"day": row["day"], "locale": row["locale"], "query": row.pop("query")}
        for row in rows
        if row["query"] is not None
    ]
    for row in rows:
        row["query"] = None
    async with db.engine.begin() as connection:
        await connection.execute(insert(RecordedEvent), rows)
        if queries:
            await connection.execute(insert(UnansweredQuery), queries)
        await connection.execute(touch, [{"k": k, "d": d} for k, d in seen.items()])
    return len(rows)


class EventRecorder:
    def __init__(
        self,
        db: Database,
        *,
        batch_size: int = BATCH_SIZE,
        interval: float = INTERVAL,
        capacity: int = CAPACITY,
    ) -> None:
        self._db = db
        self._batch_size = batch_size
        self._interval = interval
        self._capacity = capacity
        self._queue: deque[EventRecord] = deque()
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self.written = 0
        self.dropped = 0

    @property
    def pending(self) -> int:
        return len(self._queue)

    def record(self, records: Iterable[EventRecord]) -> None:
        """Queue events for writing; never waits, never raises for the database."""
        for record in records:
            if len(self._queue) >= self._capacity:
                self.dropped += 1
                continue
            self._queue.append(record)
        if len(self._queue) >= self._batch_size:
            self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="jol-event-writer")

    async def _run(self) -> None:
        while True:
            try:
                await asyncio.wait_for(self._wake.wait(), self._interval)
            except TimeoutError:
                pass
            self._wake.clear()
            try:
                await self.flush()
            except Exception as exc:  # the writer must outlive any surprise
                log.error("statistics writer failed: %s", type(exc).__name__)

    async def flush(self) -> None:
        """Write everything queued now. A batch the database refuses is dropped and counted."""
        async with self._lock:
            while self._queue:
                count = min(self._batch_size, len(self._queue))
                batch = [self._queue.popleft() for _ in range(count)]
                try:
                    async with asyncio.timeout(WRITE_TIMEOUT):
                        self.written += await write_events(self._db, batch)
                except DATABASE_ERRORS as exc:
                    self.dropped += len(batch)
                    # Counts and the error's type only: the error's text may quote the rows.
                    log.warning(
                        "statistics: %d events not written (%s); %d dropped since start",
                        len(batch),
                        type(exc).__name__,
                        self.dropped,
                    )
                    return

    @asynccontextmanager
    async def paused(self) -> AsyncIterator[None]:
        """Hold the writer still, e.g. while a user's rows are erased."""
        async with self._lock:
            yield

    def discard(self, user_key: str) -> int:
        """Forget a user's events that are still waiting to be written. Hold `paused()`."""
        kept = deque(r for r in self._queue if r.user_key != user_key)
        removed = len(self._queue) - len(kept)
        self._queue = kept
        return removed

    async def close(self) -> None:
        """Stop the writer and write what is left (at shutdown)."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
        await self.flush()
        if self._queue:
            self.dropped += len(self._queue)
            log.warning("statistics: %d events not written at shutdown", len(self._queue))
            self._queue.clear()
