"""What replicas share, in process: two applications on one PostgreSQL database and one Redis
key prefix, as two replicas have them. Each assertion fails if the sharing is taken away."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App, Incoming
from bot.config import load_settings
from bot.core import Command, Press
from bot.core.actions import ConfirmForget, SetLanguage, encode
from bot.replicas import Claim, Replicas
from bot.services import Services, open_services
from storage.models import RecordedEvent
from tests.conftest import FIXTURE_CONTENT
from tests.replicas.cluster import free_port
from tests.replicas.conftest import REDIS_HOST, REDIS_PORT

ADMIN = 42
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/0"


def said(event, user_id: int = 5001) -> Incoming:  # type: ignore[no-untyped-def]
    return Incoming(user_id, user_id, True, event, "ru", press=isinstance(event, Press))


async def eventually(check: Callable[[], bool], within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.02)
    return True


@pytest.fixture
async def pair(
    tmp_path: Path, postgres_url: str, redis_prefix: str
) -> AsyncIterator[tuple[App, App]]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    key = secrets.token_hex(16)
    opened: list[Services] = []
    apps: list[App] = []
    tasks = []
    for name in ("a", "b"):
        settings = load_settings(
            content_dir=content,
            jol_data_dir=tmp_path / name,
            database_url=postgres_url,
            admin_ids=str(ADMIN),
            redis_url=REDIS_URL,
            redis_prefix=redis_prefix,
            pseudonym_key=key,
        )
        services = await open_services(settings)
        opened.append(services)
        app = App(services)
        apps.append(app)
        tasks.append(asyncio.create_task(services.replicas.listen(app.heard)))
    assert await eventually(lambda: all(s.replicas.subscribed for s in opened))
    yield apps[0], apps[1]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for services in opened:
        await services.close()


async def test_a_language_chosen_on_one_replica_is_served_by_the_other(pair) -> None:
    a, b = pair
    key = b.user_key(5001)
    assert await b.languages.get(key) is None  # B now remembers: nothing saved
    await a.handle(said(Press(encode(SetLanguage("kk")))))
    assert await eventually(lambda: key not in b.languages._known)
    assert await b.languages.get(key) == "kk"


async def test_forget_on_one_replica_drops_the_others_queued_events(pair) -> None:
    a, b = pair
    user = 5002
    await b.handle(said(Command("start"), user))  # queued on B, not yet written
    assert b.services.events.pending > 0
    await a.handle(said(Press(encode(ConfirmForget())), user))
    key = a.user_key(user)
    assert await eventually(lambda: b.services.events.pending == 0)
    await b.services.events.flush()
    await a.services.events.flush()
    async with a.services.db.engine.connect() as connection:
        rows = await connection.scalar(
            select(func.count()).select_from(RecordedEvent).where(RecordedEvent.user_key == key)
        )
    assert rows == 0


async def test_reload_on_one_replica_publishes_on_every_replica(pair) -> None:
    a, b = pair
    before = b.services.content.version
    sections = a.services.content.content_dir / "sections.yaml"
    sections.write_text(sections.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    [told] = (await a.handle(said(Command("reload"), ADMIN))).outputs
    assert told.text.startswith("✅")
    assert a.services.content.version != before
    assert await eventually(lambda: b.services.content.version == a.services.content.version)


async def test_an_update_is_claimed_once_across_replicas_and_done_is_remembered(
    redis_prefix: str,
) -> None:
    one = Replicas.from_url(REDIS_URL, prefix=redis_prefix, claim_seconds=0.5)
    two = Replicas.from_url(REDIS_URL, prefix=redis_prefix, claim_seconds=0.5)
    try:
        assert await one.claim(1) is Claim.NEW
        assert await two.claim(1) is Claim.PROCESSING
        assert await one.claim(1) is Claim.PROCESSING  # a redelivery to the same replica
        await one.done(1)
        assert await two.claim(1) is Claim.DONE
        # A replica that dies holding a claim holds it only claim_seconds.
        assert await one.claim(2) is Claim.NEW
        await asyncio.sleep(0.7)
        assert await two.claim(2) is Claim.NEW
        assert one.unshared == two.unshared == {}
    finally:
        await one.close()
        await two.close()


async def test_what_one_replica_made_for_an_update_is_seen_by_another_until_it_is_done(
    redis_prefix: str,
) -> None:
    """The resumption a redelivered update relies on (`bot.runtime.answering`), and the
    per-second budget of answers in webhook responses, counted across replicas."""
    one = Replicas.from_url(REDIS_URL, prefix=redis_prefix)
    two = Replicas.from_url(REDIS_URL, prefix=redis_prefix)
    try:
        assert await two.sent(3) == {}
        await one.record(3, 0, "aaaa")
        await one.record(3, 1, "bbbb")
        await two.record(3, 1, "cccc")  # a later delivery whose second step differed
        assert await two.sent(3) == {0: "aaaa", 1: "cccc"}
        await two.done(3)
        assert await one.sent(3) == {}
        for _ in range(3):  # again if a new second began meanwhile: counted from zero then
            second = int(time.time())
            within = [await r.within("answered", 3) for r in (one, two, one, two)]
            if int(time.time()) == second:
                break
        assert within == [True, True, True, False]
        assert one.unshared == two.unshared == {}
    finally:
        await one.close()
        await two.close()


async def test_a_redelivered_update_skips_the_calls_made_before_as_long_as_they_match(
    redis_prefix: str,
) -> None:
    """Two deliveries of one update on two replicas: the second makes only what the first did
    not record; from the first step that differs, it makes everything."""
    from bot.runtime.answering import CURRENT, Answering, Turn, step
    from bot.runtime.retrying import Retries

    one = Replicas.from_url(REDIS_URL, prefix=redis_prefix)
    two = Replicas.from_url(REDIS_URL, prefix=redis_prefix)
    made: list[str] = []

    async def deliver(replicas: Replicas, update_id: int, *steps: str) -> Turn:
        turn = Turn(update_id, Answering(replicas, Retries(), rate=10))
        current = CURRENT.set(turn)
        try:
            for name in steps:

                async def call(name: str = name) -> None:
                    made.append(name)

                await step(("copy", name), call)  # as the hand-off's relay makes a copy
        finally:
            CURRENT.reset(current)
        return turn

    try:
        await deliver(one, 21, "copy", "first")  # then killed before the rest
        again = await deliver(two, 21, "copy", "first", "second")
        assert made == ["copy", "first", "second"] and again.resumed == 2
        made.clear()
        await deliver(one, 22, "copy", "first")
        again = await deliver(two, 22, "copy", "other", "first")  # the answer differs now
        assert made == ["copy", "first", "other", "first"] and again.resumed == 1
    finally:
        await one.close()
        await two.close()


async def test_without_redis_updates_are_deduplicated_in_memory_and_counted() -> None:
    away = Replicas.from_url(f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    try:
        assert await away.claim(7) is Claim.NEW
        assert await away.claim(7) is Claim.PROCESSING
        await away.done(7)
        assert await away.claim(7) is Claim.DONE
        assert await away.announce("reload") is False
        assert away.unshared["dedup"] >= 2 and away.unshared["reload"] == 1
        await away.record(7, 0, "aaaa")
        assert await away.sent(7) == {}  # nothing to resume from: a redelivery sends it all
        assert await away.within("answered", 1) and not await away.within("answered", 1)
        assert away.unshared["progress"] == 2 and away.unshared["rate"] == 2
        assert await away.ping() is False
    finally:
        await away.close()
    alone = Replicas(None)
    assert await alone.claim(7) is Claim.NEW and await alone.ping() is None
    assert alone.unshared == {}


async def test_the_roll_up_of_two_replicas_at_once_counts_each_event_once(postgres_url) -> None:
    """Both replicas run the daily roll-up; the PostgreSQL advisory lock makes them take turns,
    so the second finds nothing left and no day is counted twice."""
    import datetime as dt

    from storage import Database
    from storage.events import EventRecord, write_events
    from storage.models import DailyCount
    from storage.retention import roll_up
    from storage.schema import upgrade

    one, two = Database(postgres_url, timeout=10), Database(postgres_url, timeout=10)
    try:
        await upgrade(one)
        old = dt.datetime.now(dt.UTC) - dt.timedelta(days=200)
        await write_events(
            one, [EventRecord(f"user-{i % 7}", "article", "ru", "a1", at=old) for i in range(50)]
        )
        done = await asyncio.gather(
            roll_up(one, keep_days=90, query_days=30), roll_up(two, keep_days=90, query_days=30)
        )
        assert sorted(d.events for d in done) == [0, 50]
        async with one.engine.connect() as connection:
            counted = await connection.scalar(
                select(func.sum(DailyCount.events)).where(DailyCount.kind == "article")
            )
        assert counted == 50
    finally:
        await one.close()
        await two.close()
