"""What is kept about one user, and erasing all of it, on both databases."""

from sqlalchemy import select

from storage import Database, EventRecorder, OptIns, Privacy, UserStore
from storage.events import EventRecord
from storage.privacy import tables_about_users

NONE = {"user_preference": 0, "event": 0, "opt_in": 0, "conversation": 0, "pending_input": 0}
KEPT = {**NONE, "user_preference": 1, "event": 2, "opt_in": 1}


async def rows_about(db: Database, user_key: str) -> dict[str, int]:
    found = {}
    async with db.engine.connect() as connection:
        for table in tables_about_users():
            result = await connection.execute(select(table).where(table.c.user_key == user_key))
            found[table.name] = len(result.all())
    return found


async def test_every_table_with_a_user_key_is_covered():
    assert {t.name for t in tables_about_users()} == {
        "user_preference",
        "event",
        "opt_in",
        "conversation",
        "pending_input",
    }


async def test_a_user_sees_what_is_kept_including_events_not_yet_written(db):
    recorder = EventRecorder(db, interval=3600)
    privacy = Privacy(db, recorder)
    assert (await privacy.describe("someone")).locale is None
    await UserStore(db).set_locale("someone", "uz")
    await OptIns(db).subscribe("someone", 123456789)
    recorder.record(EventRecord("someone", "article", "uz", "x") for _ in range(3))
    kept = await privacy.describe("someone")
    assert (kept.locale, kept.events, kept.opted_in) == ("uz", 3, True)
    assert kept.first_seen == kept.last_seen is not None


async def test_erasing_removes_every_row_about_the_user_and_nobody_elses(db):
    recorder = EventRecorder(db, interval=3600)
    privacy = Privacy(db, recorder)
    for key in ("leaving", "staying"):
        await UserStore(db).set_locale(key, "kk")
        await OptIns(db).subscribe(key, 5551234)
        recorder.record(EventRecord(key, "start", "kk") for _ in range(2))
    await recorder.flush()
    recorder.record([EventRecord("leaving", "section", "kk", "rights")])  # still queued
    assert await rows_about(db, "leaving") == KEPT
    await privacy.erase("leaving")
    await recorder.flush()
    assert await rows_about(db, "leaving") == NONE
    assert await rows_about(db, "staying") == KEPT
    assert await OptIns(db).chat_ids() == [5551234]


async def test_opting_in_and_out(db):
    optins = OptIns(db)
    await optins.subscribe("k", 2**40)  # Telegram ids outgrow 32 bits
    await optins.subscribe("k", 2**40)
    assert await optins.is_subscribed("k") and await optins.chat_ids() == [2**40]
    await optins.unsubscribe("k")
    assert not await optins.is_subscribed("k") and await optins.chat_ids() == []
