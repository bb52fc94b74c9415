"""Events are queued without waiting and written in batches; an outage drops and counts them."""

import asyncio
import datetime as dt

from sqlmodel import select

from storage import Database, EventRecorder, UserStore
from storage.events import EventRecord
from storage.models import RecordedEvent, UnansweredQuery, UserPreference
from tests.outage import outage


async def rows(db: Database) -> list[RecordedEvent]:
    async with db.session() as session:
        return list((await session.exec(select(RecordedEvent).order_by(RecordedEvent.id))).all())


async def until(condition, seconds: float = 10.0) -> None:
    """Wait for the background writer; fails the test if it never gets there."""
    for _ in range(int(seconds * 100)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the background writer never wrote")


async def test_the_background_writer_writes_batches_and_moves_last_seen(db):
    await UserStore(db).set_locale("known", "kk")
    async with db.session() as session:
        row = await session.get(UserPreference, "known")
        row.last_seen = row.first_seen = dt.date(2026, 1, 1)
        session.add(row)
        await session.commit()
    recorder = EventRecorder(db, batch_size=3, interval=0.05)
    recorder.start()
    recorder.record(EventRecord("known", "article", "kk", "work-permit") for _ in range(4))
    recorder.record(EventRecord("stranger", "section", "ru", "rights") for _ in range(3))
    await until(lambda: recorder.written == 7)
    await recorder.close()
    written = await rows(db)
    assert [(r.user_key, r.kind, r.subject) for r in written[:5]] == [
        ("known", "article", "work-permit")
    ] * 4 + [("stranger", "section", "rights")]
    assert all(r.day == dt.datetime.now(dt.UTC).date() for r in written)
    async with db.session() as session:
        known = await session.get(UserPreference, "known")
        assert known.last_seen == dt.datetime.now(dt.UTC).date() != known.first_seen
        # Events alone never create a preference row: that needs a language choice.
        assert await session.get(UserPreference, "stranger") is None
    assert recorder.dropped == 0


async def test_only_an_unanswered_search_keeps_text_scrubbed_and_apart_from_any_user_key(db):
    recorder = EventRecorder(db)
    recorder.record(
        [
            EventRecord("k", "search_miss", "ru", query="паспорт забрали, звоните +7 701 555 1234"),
            EventRecord("k", "search_hit", "ru", "work-permit", query="патент 2026"),
            EventRecord("k", "article", "ru", "work-permit", query="anything"),
        ]
    )
    await recorder.flush()
    assert [r.query for r in await rows(db)] == [None, None, None]
    async with db.session() as session:
        kept = (await session.exec(select(UnansweredQuery))).all()
    assert [(q.locale, q.query) for q in kept] == [("ru", "паспорт забрали, звоните")]
    assert "user_key" not in UnansweredQuery.__table__.c


async def test_an_outage_drops_and_counts_events_and_never_raises(db):
    recorder = EventRecorder(db, batch_size=2)
    with outage(db):
        recorder.record(EventRecord("k", "start") for _ in range(3))
        await recorder.flush()  # the first batch fails; the rest waits for the next try
        assert (recorder.dropped, recorder.pending) == (2, 1)
        await recorder.flush()
        assert (recorder.dropped, recorder.pending) == (3, 0)
    recorder.record([EventRecord("k", "start")])
    await recorder.flush()
    assert (recorder.written, len(await rows(db))) == (1, 1)


async def test_a_full_queue_drops_and_counts_instead_of_growing(db):
    recorder = EventRecorder(db, capacity=5)
    recorder.record(EventRecord("k", "start") for _ in range(8))
    assert (recorder.pending, recorder.dropped) == (5, 3)


async def test_closing_writes_what_is_still_queued(db):
    recorder = EventRecorder(db, interval=3600)
    recorder.start()
    recorder.record(EventRecord("k", "start") for _ in range(3))
    await recorder.close()
    assert len(await rows(db)) == 3


async def test_closing_during_an_outage_counts_what_is_left_as_dropped(db):
    recorder = EventRecorder(db, batch_size=2)
    recorder.record(EventRecord("k", "start") for _ in range(5))
    with outage(db):
        await recorder.close()
    assert (recorder.dropped, recorder.pending, recorder.written) == (5, 0, 0)
