"""Two `jol run --webhook` replicas behind one PostgreSQL and one Redis, on loopback.

Every update must be answered exactly once, whatever happens to the replicas: posted to both,
a replica killed mid-run (its unacknowledged updates redelivered to the other), a rolling
restart. Counts are of the fake Bot API server's `sendMessage` calls per chat, those Telegram
made from a webhook's answer included.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from tests.e2e.fake_telegram import FakeTelegram
from tests.replicas.cluster import ANSWER_TIMEOUT, READY_TIMEOUT, Delivery, Replica, Telegram
from tests.replicas.conftest import ClusterSettings


def answers(fake: FakeTelegram) -> Counter[int]:
    return Counter(call.chat_id for call in fake.calls("sendMessage") if call.ok)


def check_exactly_once(fake: FakeTelegram, deliveries: list[Delivery], per_update: int) -> None:
    sent = answers(fake)
    counts = Counter(sent[d.chat_id] for d in deliveries)
    lost = [d.update["update_id"] for d in deliveries if sent[d.chat_id] == 0]
    doubled = [d.update["update_id"] for d in deliveries if sent[d.chat_id] > per_update]
    assert not lost, f"{len(lost)} of {len(deliveries)} updates never answered: {lost}"
    how = {
        d.update["update_id"]: (
            d.statuses,
            [c.in_response for c in fake.calls("sendMessage") if c.chat_id == d.chat_id],
        )
        for d in deliveries
        if sent[d.chat_id] > per_update
    }
    assert not doubled, f"{len(doubled)} updates answered more than once: {how}"
    assert counts == Counter({per_update: len(deliveries)}), counts


async def baseline(telegram: Telegram, replica: Replica) -> int:
    """How many messages one /start gets, from a replica on its own."""
    first = telegram.new_update()
    await telegram.deliver(first, replica)
    count = answers(telegram.fake)[first.chat_id]
    assert count >= 1
    return count


async def test_every_update_answered_once_through_duplicates_a_kill_and_a_rolling_restart(
    fake_telegram: FakeTelegram, cluster_settings: ClusterSettings, runtime: str
) -> None:
    root, env = cluster_settings.root, cluster_settings.env
    a = await Replica(fake_telegram, root, "a", runtime, env).start()
    b = await Replica(fake_telegram, root, "b", runtime, env).start()
    assert fake_telegram.calls("setWebhook"), "the webhook was never registered"
    hook = fake_telegram.calls("setWebhook")[-1].params
    assert hook["url"] == env["WEBHOOK_URL"]
    assert hook["secret_token"] == cluster_settings.secret
    assert hook["allowed_updates"] == ["message", "callback_query"]
    everything: list[Delivery] = []
    async with Telegram(fake_telegram, cluster_settings.secret) as telegram:
        per_update = await baseline(telegram, a)

        # 1. Alternately to each replica; every third one to both at once.
        batch = [telegram.new_update() for _ in range(30)]
        jobs = []
        for i, delivery in enumerate(batch):
            first, other = (a, b) if i % 2 else (b, a)
            jobs.append(telegram.deliver(delivery, first))
            if i % 3 == 0:
                jobs.append(telegram.deliver(delivery, other))
        await asyncio.gather(*jobs)
        everything += batch
        check_exactly_once(fake_telegram, everything, per_update)
        posted_twice = sum(1 for i in range(30) if i % 3 == 0)
        duplicates = await a.metric(
            "jol_updates_total", kind="message", outcome="duplicate"
        ) + await b.metric("jol_updates_total", kind="message", outcome="duplicate")
        busy = await a.metric("jol_updates_total", kind="message", outcome="busy") + await b.metric(
            "jol_updates_total", kind="message", outcome="busy"
        )
        assert duplicates + busy >= posted_twice

        # 2. A killed while it handles a burst; what it never acknowledged goes to B. Each
        # answer travels in the webhook's answer, so A's answer and its acknowledgement reach
        # Telegram together or not at all: none is lost, none is answered twice.
        burst = [telegram.new_update() for _ in range(20)]
        posts = [asyncio.create_task(telegram.post(a, d.update)) for d in burst]
        for _ in range(20_000):  # until a few are answered (a minute at most)
            if sum(answers(fake_telegram)[d.chat_id] > 0 for d in burst) >= 3:
                break
            await asyncio.sleep(0.003)
        a.kill()  # some answered, some being handled, some not yet read
        first_answers = await asyncio.gather(*posts)
        unacknowledged = [
            d for d, status in zip(burst, first_answers, strict=True) if status != 200
        ]
        await asyncio.gather(*(telegram.deliver(d, b) for d in unacknowledged))
        everything += burst
        check_exactly_once(fake_telegram, everything, per_update)
        burst_chats = {d.chat_id for d in burst}
        made = [c for c in fake_telegram.calls("sendMessage") if c.chat_id in burst_chats]
        assert all(c.in_response for c in made), "an answer of the burst went as a call"
        assert await b.metric("jol_last_calls_total", via="response") >= len(unacknowledged)

        # 3. A rolling restart: A comes back, B stops (SIGTERM) while it is busy, and so on.
        a = await Replica(fake_telegram, root, "a2", runtime, env).start()
        for stopping, staying, name in ((b, a, "b2"), (a, None, "a3")):
            wave = [telegram.new_update() for _ in range(15)]
            targets = (stopping, staying) if staying else (stopping,)
            posts = [asyncio.create_task(telegram.deliver(d, *targets)) for d in wave]
            await asyncio.sleep(0.1)
            stopping.terminate()
            if staying is None:  # the last one: its successor starts while it drains
                fresh = await Replica(fake_telegram, root, name, runtime, env).start()
                posts += [asyncio.create_task(telegram.deliver(d, fresh)) for d in wave]
            await asyncio.gather(*posts)
            assert await stopping.stop() == 0  # SIGTERM again: still the one exit, 0
            stopping.check_logs()
            everything += wave
            if staying is not None:
                b = await Replica(fake_telegram, root, name, runtime, env).start()
            else:
                a = fresh
        check_exactly_once(fake_telegram, everything, per_update)

    print(
        f"{runtime}: {len(everything) + 1} updates posted, each answered exactly once (0 lost, "
        f"0 twice); after the SIGKILL {len(unacknowledged)} of {len(burst)} redelivered"
    )
    for replica in (a, b):
        assert await replica.stop() == 0
        replica.check_logs()


async def test_a_replica_killed_between_two_messages_of_an_answer_leaves_only_the_second(
    fake_telegram: FakeTelegram, cluster_settings: ClusterSettings, runtime: str
) -> None:
    """Cancel is answered with two messages. A is given a 429 for the first, so it sends
    both as calls (it risks no message in a webhook's answer right after a flood wait): the
    first is made and recorded, the second is held on its way when A is killed, and lost. B
    takes the redelivery, skips what A recorded and sends only the second, in its answer."""
    root, env = cluster_settings.root, cluster_settings.env
    a = await Replica(fake_telegram, root, "a", runtime, env).start()
    b = await Replica(fake_telegram, root, "b", runtime, env).start()
    async with Telegram(fake_telegram, cluster_settings.secret) as telegram:
        cancel = telegram.new_update("✖️ Отмена")
        fake_telegram.flood("sendMessage", retry_after=1)
        held = fake_telegram.hold(
            "sendMessage", when=lambda p: "inline_keyboard" in (p.get("reply_markup") or {})
        )
        post = asyncio.create_task(telegram.post(a, cancel.update))
        assert await asyncio.to_thread(held.reached.wait, ANSWER_TIMEOUT), "A never got there"
        a.kill()
        held.lose()
        assert await post is None  # no acknowledgement: Telegram posts it again
        await telegram.deliver(cancel, b)
    sent = [c for c in fake_telegram.calls("sendMessage") if c.ok and c.chat_id == cancel.chat_id]
    assert [c.text for c in sent] == ["Отменено.", sent[1].text], sent
    assert sent[1].keyboard and sent[1].in_response and not sent[0].in_response
    assert await b.metric("jol_calls_resumed_total") == 1
    assert await b.metric("jol_last_calls_total", via="response") == 1
    assert await b.stop() == 0
    b.check_logs()


async def test_a_wrong_secret_gets_401_and_nothing_happens(
    fake_telegram: FakeTelegram, cluster_settings: ClusterSettings, runtime: str
) -> None:
    from redis.asyncio import Redis

    replica = await Replica(
        fake_telegram, cluster_settings.root, "a", runtime, cluster_settings.env
    ).start()
    # A replica listens while it still registers its commands and webhook: those calls are not
    # the wrong secrets' doing, so they are waited out first.
    for _ in range(int(READY_TIMEOUT / 0.05)):
        if fake_telegram.calls("setWebhook"):
            break
        await asyncio.sleep(0.05)
    async with Telegram(fake_telegram, cluster_settings.secret) as telegram:
        delivery = telegram.new_update()
        before = fake_telegram.call_count
        for secret in ("", "wrong", cluster_settings.secret[:-1], cluster_settings.secret + "x"):
            assert await telegram.post(replica, delivery.update, secret=secret) == 401
        await asyncio.sleep(0.5)
        assert fake_telegram.calls(since=before) == []
        redis = Redis.from_url(cluster_settings.env["REDIS_URL"])
        try:
            prefix = cluster_settings.env["JOL_REDIS_PREFIX"]
            assert [k async for k in redis.scan_iter(f"{prefix}update:*")] == []
        finally:
            await redis.aclose()
        assert await replica.metric("jol_webhook_refused_total") == 4
        assert await replica.metric("jol_updates_total", kind="message", outcome="answered") == 0
        # The same update with the right secret is then answered, once.
        await telegram.deliver(delivery, replica)
        assert answers(fake_telegram)[delivery.chat_id] >= 1
        # A body that is not an update is acknowledged and skipped, never retried for ever.
        assert await telegram.post(replica, None, raw=b"{not json") == 200
        assert await telegram.post(replica, {"update_id": "x"}) == 200
        assert await telegram.post(replica, {"update_id": 10**9, "message": {"x": 1}}) == 200
        assert await replica.metric("jol_updates_total", kind="unknown", outcome="unreadable") == 2
        assert await replica.metric("jol_updates_total", kind="message", outcome="unreadable") == 1
    assert await replica.stop() == 0
    logs = replica.check_logs()
    assert "not json" not in logs
