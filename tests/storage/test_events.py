"""Events are queued without waiting and written in batches; an outage drops and counts them."""

import asyncio
import datetime as dt
import logging

from sqlmodel import select

from storage import Database, EventRecorder, UserStore
from storage.events import EventRecord
from storage.models import RecordedEvent, UnansweredQuery, UserPreference
from tests.conftest import scaled
from tests.outage import outage


async def rows(db: Database) -> list[RecordedEvent]:
    async with db.session() as session:
        return list((await session.exec(select(RecordedEvent).order_by(RecordedEvent.id))).all())


async def until(condition, seconds: float = scaled(10.0)) -> None:
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


async def test_only_an_unanswered_search_keeps_its_text_and_apart_from_any_user_key(db):
    # The application layer scrubs the text once before queueing it (tests/app); storage keeps
    # what it is given, only for an unanswered search.
    recorder = EventRecorder(db)
    recorder.record(
        [
            EventRecord("k", "search_miss", "ru", query="паспорт забрали, звоните"),
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


async def test_an_outage_keeps_the_events_until_the_database_is_back(db):
    recorder = EventRecorder(db, batch_size=2)
    with outage(db):
        recorder.record(EventRecord("k", "start") for _ in range(3))
        assert await recorder.flush() is False  # never raises; nothing is lost
        assert (recorder.dropped, recorder.pending) == (0, 3)
        assert await recorder.flush() is False
    recorder.record([EventRecord("k", "start")])
    assert await recorder.flush() is True
    assert (recorder.written, recorder.dropped, len(await rows(db))) == (4, 0, 4)


async def test_the_writer_retries_while_the_database_is_away(db):
    recorder = EventRecorder(db, batch_size=2, interval=0.02, retry_max=0.05)
    recorder.start()
    with outage(db):
        recorder.record(EventRecord("k", "start") for _ in range(5))
        await asyncio.sleep(0.3)  # several tries fail meanwhile
        assert (recorder.written, recorder.pending) == (0, 5)
    await until(lambda: recorder.written == 5)
    await recorder.close()
    assert (recorder.dropped, len(await rows(db))) == (0, 5)


async def test_beyond_the_queue_bound_an_outage_drops_and_counts(db):
    recorder = EventRecorder(db, capacity=4)
    with outage(db):
        recorder.record(EventRecord("k", "start") for _ in range(3))
        await recorder.flush()
        recorder.record(EventRecord("k", "start") for _ in range(3))
    assert (recorder.pending, recorder.dropped) == (4, 2)
    await recorder.flush()
    assert (recorder.written, len(await rows(db))) == (4, 4)


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


async def test_a_full_batch_is_written_without_waiting_for_the_interval(db):
    recorder = EventRecorder(db, batch_size=2, interval=3600)
    recorder.start()
    await asyncio.sleep(0.05)  # the writer is in its pause now
    recorder.record(EventRecord("k", "start") for _ in range(2))
    await until(lambda: recorder.written == 2)
    await recorder.close()


async def test_closing_interrupts_the_writers_pause(db):
    recorder = EventRecorder(db, interval=3600)
    recorder.start()
    await asyncio.sleep(0.05)  # the writer is in its pause now
    recorder.record([EventRecord("k", "start")])
    # Not a speed check: without the stop waking it, the writer would sleep for an hour.
    async with asyncio.timeout(scaled(10.0)):
        await recorder.close()
    assert len(await rows(db)) == 1


async def test_closing_during_an_outage_counts_what_is_left_as_dropped(db):
    recorder = EventRecorder(db, batch_size=2)
    recorder.record(EventRecord("k", "start") for _ in range(5))
    with outage(db):
        await recorder.close()
    assert (recorder.dropped, recorder.pending, recorder.written) == (5, 0, 0)


async def refuse_value(db: Database, value: str) -> None:
    """Make the database itself refuse rows with this value, as it refuses bad data."""
    async with db.engine.begin() as connection:
        if db.is_sqlite:
            await connection.exec_driver_sql(
                "CREATE TRIGGER refuse BEFORE INSERT ON event "
                f"WHEN NEW.value = '{value}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        else:
            await connection.exec_driver_sql(
                f"ALTER TABLE event ADD CONSTRAINT refuse CHECK (value <> '{value}')"
            )


async def test_text_a_database_cannot_store_is_cleaned_not_lost(db):
    recorder = EventRecorder(db)
    recorder.record(
        [
            EventRecord("k", "search_miss", "ru", query="патент\x00 где"),
            EventRecord("k", "search_miss", "ru", query="виза \ud800продлить"),
            EventRecord("k\x00", "article", "ru\udfff", "first-steps\x00"),
        ]
    )
    assert await recorder.flush() is True
    assert (recorder.written, recorder.dropped) == (3, 0)
    written = await rows(db)
    async with db.session() as session:
        kept = (await session.exec(select(UnansweredQuery))).all()
    assert sorted(q.query for q in kept) == ["виза продлить", "патент где"]
    assert (written[2].user_key, written[2].locale, written[2].subject) == (
        "k",
        "ru",
        "first-steps",
    )


async def test_one_row_the_database_refuses_costs_one_event_and_logs_no_data(db, caplog):
    await refuse_value(db, "bad")
    recorder = EventRecorder(db)
    events = [EventRecord("k", "search_miss", "ru", query=f"вопрос номер {i}") for i in range(300)]
    events.insert(150, EventRecord("k-secret", "feedback", "ru", "first-steps", value="bad"))
    recorder.record(events)
    with caplog.at_level(logging.WARNING, logger="storage.events"):
        assert await recorder.flush() is True
    assert (recorder.written, recorder.dropped, recorder.pending) == (300, 1, 0)
    assert len(await rows(db)) == 300
    log = caplog.text
    assert "Traceback" not in log and 'File "' in log  # where it failed, not what it held
    assert "k-secret" not in log and "вопрос" not in log and "first-steps" not in log


async def test_closing_while_a_write_waits_for_a_lock_loses_nothing(db, database_url):
    recorder = EventRecorder(db, interval=0.01)
    recorder.start()
    # Another connection holds the table, so the writer's insert waits in the middle of a write.
    blocker = Database(database_url)
    async with blocker.engine.connect() as connection:
        if db.is_sqlite:
            await connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            await connection.begin()
            await connection.exec_driver_sql("LOCK TABLE event IN ACCESS EXCLUSIVE MODE")
        recorder.record(EventRecord("k", "start") for _ in range(7))
        await asyncio.sleep(0.2)  # the writer is inside its write now
        closing = asyncio.create_task(recorder.close())
        await asyncio.sleep(0.2)
        assert not closing.done()
        await connection.rollback()
    await closing
    await blocker.close()
    assert (recorder.written, recorder.dropped, len(await rows(db))) == (7, 0, 7)
