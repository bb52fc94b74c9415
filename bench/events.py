"""How fast statistics are written: in batches (as the bot does) against one transaction per
event (what writing on the reply path would cost). Ratios are against that baseline, measured
in the same run on the same database.

    .venv/bin/python -m bench.events                      # a SQLite file in a temporary folder
    .venv/bin/python -m bench.events --database-url postgresql://postgres@127.0.0.1:5432/scratch
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete

from storage import Database, EventRecorder
from storage.events import EventRecord, write_events
from storage.models import RecordedEvent
from storage.schema import upgrade

BASELINE_EVENTS = 300
BATCHED_EVENTS = 20_000


def events(count: int, prefix: str) -> list[EventRecord]:
    return [
        EventRecord(f"{prefix}-{n % 500}", "article", "ru", f"article-{n % 31}")
        for n in range(count)
    ]


async def measure(url: str) -> None:
    db = Database(url)
    await upgrade(db)
    try:
        started = time.perf_counter()
        for record in events(BASELINE_EVENTS, "bench-single"):
            await write_events(db, [record])
        single = BASELINE_EVENTS / (time.perf_counter() - started)

        recorder = EventRecorder(db)
        batch = events(BATCHED_EVENTS, "bench-batch")
        started = time.perf_counter()
        for record in batch:  # as the reply path does: one call per update
            recorder.record((record,))
        queued = (time.perf_counter() - started) / BATCHED_EVENTS
        await recorder.flush()
        batched = BATCHED_EVENTS / (time.perf_counter() - started)
        assert recorder.written == BATCHED_EVENTS and recorder.dropped == 0

        print(f"database: {db.display}")
        print(f"one transaction per event: {single:10,.0f} events/s   (baseline, 1.0x)")
        print(f"batches of 500:            {batched:10,.0f} events/s   ({batched / single:,.0f}x)")
        write = 1 / single
        print(
            f"on the reply path:         {queued * 1e6:10.2f} µs to queue an event, against "
            f"{write * 1e6:,.0f} µs to write it ({write / queued:,.0f}x)"
        )
    finally:
        async with db.engine.begin() as connection:
            await connection.execute(
                delete(RecordedEvent).where(RecordedEvent.user_key.like("bench-%"))
            )
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a scratch database (default: SQLite, temporary)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.sqlite3'}"
        asyncio.run(measure(url))


if __name__ == "__main__":
    main()
