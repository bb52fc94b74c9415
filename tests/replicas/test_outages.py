"""PostgreSQL or Redis gone for a while, behind a proxy the test cuts: replies go on, and what
could not be shared or written is counted on /metrics and said by /healthz."""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import urlsplit, urlunsplit

from tests.e2e.fake_telegram import FakeTelegram
from tests.replicas.cluster import Replica, TcpProxy, Telegram
from tests.replicas.conftest import REDIS_HOST, REDIS_PORT, ClusterSettings
from tests.replicas.test_replicas import answers, baseline, check_exactly_once


def through(url: str, proxy: TcpProxy) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{proxy.port}"
    return urlunsplit(parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host))


async def health(replica: Replica) -> tuple[int, dict[str, str]]:
    status, body = await replica.get("/healthz")
    return status, json.loads(body)


async def test_replies_go_on_while_redis_and_then_postgres_are_away(
    fake_telegram: FakeTelegram, cluster_settings: ClusterSettings, runtime: str
) -> None:
    database = urlsplit(cluster_settings.env["DATABASE_URL"])
    pg_proxy = await TcpProxy(database.hostname or "127.0.0.1", database.port or 5432).start()
    redis_proxy = await TcpProxy(REDIS_HOST, REDIS_PORT).start()
    env = {
        **cluster_settings.env,
        "DATABASE_URL": through(cluster_settings.env["DATABASE_URL"], pg_proxy),
        "REDIS_URL": f"redis://127.0.0.1:{redis_proxy.port}/0",
    }
    replica = await Replica(fake_telegram, cluster_settings.root, "a", runtime, env).start()
    try:
        async with Telegram(fake_telegram, cluster_settings.secret) as telegram:
            per_update = await baseline(telegram, replica)
            assert await replica.metric("jol_unshared_total", what="dedup") == 0

            # Redis away: answered all the same, a redelivery still answered once (in memory).
            await redis_proxy.cut()
            away = [telegram.new_update() for _ in range(8)]
            await asyncio.gather(*(telegram.deliver(d, replica) for d in away))
            await telegram.deliver(away[0], replica)  # Telegram sends one again
            check_exactly_once(fake_telegram, away, per_update)
            assert await replica.metric("jol_unshared_total", what="dedup") >= len(away)
            status, found = await health(replica)
            assert (status, found["redis"]) == (503, "unavailable")
            assert found["database"] == "ok"
            logs = replica.process.logs()
            assert logs.count("Redis cannot be reached") == 1, "an outage is logged once"

            await redis_proxy.restore()
            deadline = time.monotonic() + 30
            while (await health(replica))[0] != 200:
                assert time.monotonic() < deadline, "Redis never came back"
                await asyncio.sleep(0.2)

            # PostgreSQL away: answered all the same; the events wait, counted, then are written.
            written = await replica.metric("jol_events_written_total")
            await pg_proxy.cut()
            cut = [telegram.new_update() for _ in range(6)]
            await asyncio.gather(*(telegram.deliver(d, replica) for d in cut))
            check_exactly_once(fake_telegram, cut, per_update)
            status, found = await health(replica)
            assert (status, found["database"]) == (503, "unavailable")
            await asyncio.sleep(3)  # the writer's interval: it has tried and failed by now
            assert await replica.metric("jol_events_pending") > 0
            assert await replica.metric("jol_events_written_total") == written

            await pg_proxy.restore()
            deadline = time.monotonic() + 60
            while await replica.metric("jol_events_pending") > 0:
                assert time.monotonic() < deadline, "the queued events were never written"
                await asyncio.sleep(0.5)
            assert await replica.metric("jol_events_written_total") > written
            assert await replica.metric("jol_events_dropped_total") == 0
            assert (await health(replica))[0] == 200
            assert sum(answers(fake_telegram).values()) == per_update * (1 + len(away) + len(cut))
        assert await replica.stop() == 0
        replica.check_logs()
    finally:
        replica.kill()
        await pg_proxy.close()
        await redis_proxy.close()
