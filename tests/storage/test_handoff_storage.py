"""Conversations, blocks, pending questions and reports, on both databases."""

import datetime as dt

from storage.conversations import CODE_ALPHABET, CODE_LENGTH, Conversations
from storage.events import EventRecorder
from storage.pending import PendingInputs
from storage.privacy import Privacy
from storage.reports import OperatorsTopics, Reports
from storage.retention import roll_up

NOW = dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)


async def test_one_open_conversation_per_user_and_its_topic_claimed_once(db):
    conversations = Conversations(db)
    opened = await conversations.open("k1", 5_000_000_001, "uz", NOW)
    again = await conversations.open("k1", 5_000_000_001, "uz", NOW)
    assert again.id == opened.id
    assert len(opened.code) == CODE_LENGTH and set(opened.code) <= set(CODE_ALPHABET)
    assert await conversations.claim_topic(opened.id, 77)
    assert not await conversations.claim_topic(opened.id, 78)  # a second replica loses
    found = await conversations.of_topic(77)
    assert found is not None and found.chat_id == 5_000_000_001  # ids outgrow 32 bits
    closed = await conversations.close(opened.id)
    assert closed is not None and closed.user_key == "k1"
    assert await conversations.close(opened.id) is None
    assert await conversations.of_user("k1") is None


async def test_rate_windows_count_per_minute_and_side(db):
    conversations = Conversations(db)
    c = await conversations.open("k2", 2, "ru", NOW)
    counts = [await conversations.count_message(c.id, NOW, operator=False) for _ in range(3)]
    assert counts == [1, 2, 3]
    assert await conversations.count_message(c.id, NOW, operator=True) == 1
    later = NOW + dt.timedelta(minutes=1)
    assert await conversations.count_message(c.id, later, operator=False) == 1


async def test_first_reply_once_blocks_expire_and_idle_conversations_are_found(db):
    conversations = Conversations(db)
    c = await conversations.open("k3", 3, "kk", NOW)
    assert await conversations.mark_answered(c.id, NOW)
    assert not await conversations.mark_answered(c.id, NOW)
    assert [i.id for i in await conversations.idle(NOW + dt.timedelta(days=8))] == [c.id]
    await conversations.block("k3", NOW + dt.timedelta(days=30))
    assert await conversations.blocked("k3", NOW + dt.timedelta(days=29))
    assert not await conversations.blocked("k3", NOW + dt.timedelta(days=31))
    assert await conversations.expire_blocks(NOW + dt.timedelta(days=31)) == 1


async def test_forget_erases_the_conversation_but_not_a_block(db):
    conversations = Conversations(db)
    await conversations.open("k4", 4, "tg", NOW)
    await conversations.block("k4", NOW + dt.timedelta(days=30))
    await PendingInputs(db).expect("k4", "report:a:x", NOW)
    privacy = Privacy(db, EventRecorder(db, interval=3600))
    kept = await privacy.describe("k4")
    assert kept.talking and kept.reporting
    await privacy.erase("k4")
    assert await conversations.of_user("k4") is None
    assert not await PendingInputs(db).peek("k4")
    assert await conversations.blocked("k4", NOW)


async def test_a_pending_question_is_answered_once_and_expires(db):
    pending = PendingInputs(db)
    await pending.expect("k5", "report:a:x", NOW)
    assert await pending.take("k5", NOW) == "report:a:x"
    assert await pending.take("k5", NOW) is None
    await pending.expect("k5", "report:a:x", NOW)
    assert await pending.take("k5", NOW + dt.timedelta(hours=1)) is None


async def test_reports_are_listed_most_reported_first_and_resolved(db):
    reports = Reports(db)
    await reports.add("centre", "c1", "closed", locale="ru", at=NOW)
    await reports.add("article", "a1", "number", locale="uz", at=NOW)
    second = await reports.add(
        "article", "a1", "other", locale="ru", text="Звонил 8 701 555 12 34, не берут", at=NOW
    )
    listed = await reports.listing()
    assert [(r.item, r.item_reports) for r in listed] == [("a1", 2), ("a1", 2), ("c1", 1)]
    assert second.text == "звонил не берут"
    assert await reports.resolve(second.id)
    assert not await reports.resolve(second.id)
    assert await reports.open_count("article", "a1") == 1
    assert len(await reports.listing(include_resolved=True)) == 3


async def test_the_reports_topic_is_made_once_across_replicas(db):
    topics = OperatorsTopics(db)
    assert await topics.get("reports") is None
    assert await topics.put("reports", 10) == 10
    assert await topics.put("reports", 11) == 10  # the later replica uses the first topic


async def test_retention_removes_old_reports_ended_blocks_and_forgotten_conversations(db):
    today = NOW.date()
    reports, conversations = Reports(db), Conversations(db)
    await reports.add("article", "old", "outdated", locale="ru", at=NOW - dt.timedelta(days=100))
    await reports.add("article", "new", "outdated", locale="ru", at=NOW)
    await conversations.open("left-open", 9, "ru", NOW - dt.timedelta(days=20))
    await conversations.block("ended", NOW - dt.timedelta(days=1))
    await roll_up(db, keep_days=90, query_days=30, idle_days=7, today=today)
    assert [r.item for r in await reports.listing()] == ["new"]
    assert await conversations.of_user("left-open") is None
    assert await conversations.expire_blocks(NOW) == 0
