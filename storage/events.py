"""Events for operators' statistics, written in the background in batches.

`record()` only appends to a queue in memory: a reply never waits for the database. A task
writes the queue in batches, and nothing is lost without being counted in `dropped`:

- strings lose what a database refuses to store (NUL, lone surrogates) before they are written;
- a batch the database refuses is written again row by row, so one bad row costs one event;
- while the database is away the queue is kept and retried with a growing pause, up to
  `capacity` events; beyond that new events are dropped;
- `close()` asks the writer to stop after its current write, then writes what is left.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import logging
import re
import traceback
from collections import deque
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy import bindparam, insert, update
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import col

from storage.db import DATABASE_ERRORS, Database, DatabaseUnavailable
from storage.models import RecordedEvent, UnansweredQuery, UserPreference

log = logging.getLogger(__name__)

__all__ = ["DATABASE_ERRORS", "EventRecord", "EventRecorder", "write_events"]

BATCH_SIZE = 500
INTERVAL = 2.0  # seconds between writes when the queue is not full
CAPACITY = 50_000  # events held while the database is away; beyond that they are dropped
WRITE_TIMEOUT = 15.0  # seconds; a database that hangs must not hold the queue for ever
RETRY_MAX = 60.0  # seconds: the longest pause between tries while the database is away
CLOSE_TIMEOUT = 10.0  # seconds the last write at shutdown may take
# Only an unanswered search keeps its text (scrubbed once, by the application layer, before it
# is queued); every other kind keeps none.
QUERY_KINDS = frozenset({"search_miss"})
# What no database stores in text: NUL (PostgreSQL) and halves of surrogate pairs (UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str | None, length: int) -> str | None:
    """`text` without what a database refuses, cut to the column's length."""
    if text is None:
        return None
    return _UNSTORABLE.sub("", text)[:length] or None


def is_outage(exc: BaseException) -> bool:
    """The database is away or stuck (try again later), as opposed to refusing these rows."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(
        exc, DatabaseUnavailable | TimeoutError | PoolTimeout | OperationalError | InterfaceError
    )


def _log_failure(message: str, exc: BaseException, *args: object) -> None:
    """The error's type and where it happened; never its text, which may quote the rows."""
    where = "".join(traceback.format_tb(exc.__traceback__)).rstrip()
    log.warning(message + " (%s)\n%s", *args, type(exc).__name__, where)


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
        query = self.query if self.query and self.kind in QUERY_KINDS else None
        at = self.at.astimezone(dt.UTC) if self.at.tzinfo else self.at.replace(tzinfo=dt.UTC)
        return {
            "at": at,
            "day": at.date(),
            "user_key": storable(self.user_key, 64) or "",
            "locale": storable(self.locale, 8),
            "kind": storable(self.kind, 16) or "",
            "subject": storable(self.subject, 64),
            "value": storable(self.value, 8),
            "query": storable(query, 200),
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
        .where(
            col(UserPreference.user_key) == bindparam("k"),
            col(UserPreference.last_seen) < bindparam("d"),
        )
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
        retry_max: float = RETRY_MAX,
        write_timeout: float = WRITE_TIMEOUT,
    ) -> None:
        self._db = db
        self._batch_size = batch_size
        self._interval = interval
        self._capacity = capacity
        self._retry_max = retry_max
        self._write_timeout = write_timeout
        self._queue: deque[EventRecord] = deque()
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._retry = 0.0  # the pause before the next try while the database is away
        self.written = 0
        self.dropped = 0  # every event lost, whatever the reason

    @property
    def pending(self) -> int:
        return len(self._queue)

    def record(self, records: Iterable[EventRecord]) -> None:
        """Queue events for writing; never waits, never raises for the database."""
        refused = 0
        for record in records:
            if len(self._queue) >= self._capacity:
                refused += 1
                continue
            self._queue.append(record)
        if refused:
            self.dropped += refused
            log.warning(
                "statistics: queue full (%d); %d events dropped, %d since start",
                self._capacity,
                refused,
                self.dropped,
            )
        if len(self._queue) >= self._batch_size:
            self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._stop.clear()
            self._task = asyncio.create_task(self._run(), name="jol-event-writer")

    async def _pause(self) -> None:
        """Until the next write: the interval, a full batch, or the stop; while the database is
        away, the retry pause (a full queue does not hurry a database that is down)."""
        stop = asyncio.ensure_future(self._stop.wait())
        waits = {stop}
        if not self._retry:
            waits.add(asyncio.ensure_future(self._wake.wait()))
        try:
            await asyncio.wait(
                waits, timeout=self._retry or self._interval, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for waiting in waits:
                waiting.cancel()
        self._wake.clear()

    async def _run(self) -> None:
        while not self._stop.is_set():
            await self._pause()
            if self._stop.is_set():
                return
            try:
                await self.flush()
            except Exception as exc:  # the writer must outlive any surprise
                _log_failure("statistics writer failed", exc)

    async def flush(self) -> bool:
        """Write everything queued now; True if the queue is empty afterwards.

        Never raises for the database: while it is away, the events stay queued for the next try.
        """
        async with self._lock:
            try:
                await self._write_queue()
            except DATABASE_ERRORS as exc:
                self._retry = min(max(2 * self._retry, self._interval), self._retry_max)
                _log_failure(
                    "statistics: database unavailable, %d events kept, next try in %.0f s",
                    exc,
                    len(self._queue),
                    self._retry,
                )
                return False
            self._retry = 0.0
            return True

    async def _write_queue(self) -> None:
        while self._queue:
            batch = list(itertools.islice(self._queue, self._batch_size))
            try:
                self.written += await self._write(batch)
            except Exception as exc:
                if isinstance(exc, DATABASE_ERRORS) and is_outage(exc):
                    raise  # the batch stays queued
                _log_failure(
                    "statistics: a batch of %d refused, written row by row", exc, len(batch)
                )
                await self._write_one_by_one(len(batch))
                continue
            for _ in batch:
                self._queue.popleft()

    async def _write(self, batch: list[EventRecord]) -> int:
        async with asyncio.timeout(self._write_timeout):
            return await write_events(self._db, batch)

    async def _write_one_by_one(self, count: int) -> None:
        """Write the first `count` queued events one at a time: a refused one is dropped and
        counted; on an outage the rest stay queued."""
        for _ in range(count):
            try:
                self.written += await self._write([self._queue[0]])
            except Exception as exc:
                if isinstance(exc, DATABASE_ERRORS) and is_outage(exc):
                    raise
                self.dropped += 1
                _log_failure("statistics: an event refused, %d lost since start", exc, self.dropped)
            self._queue.popleft()

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
        """Stop the writer after its current write, then write what is left (at shutdown).

        The writer is never cancelled in the middle of a write; what cannot be written now is
        counted as dropped.
        """
        if self._task is not None:
            self._stop.set()
            await self._task
            self._task = None
        try:
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await self.flush()
        except TimeoutError:
            log.warning("statistics: the last write did not finish in %.0f s", CLOSE_TIMEOUT)
        if self._queue:
            self.dropped += len(self._queue)
            log.warning("statistics: %d events not written at shutdown", len(self._queue))
            self._queue.clear()
