"""Two webhook replicas of the real bot, one PostgreSQL database, one Redis key prefix."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import need_service
from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.harness import RUNTIMES, TOKEN
from tests.replicas.cluster import random_prefix

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


@pytest.fixture(params=RUNTIMES)
def runtime(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A key prefix of this test's own, and every key under it deleted afterwards."""
    need_service("Redis", REDIS_HOST, REDIS_PORT)
    from redis.asyncio import Redis

    prefix = random_prefix()
    yield prefix
    client = Redis(host=REDIS_HOST, port=REDIS_PORT)
    try:
        keys = [key async for key in client.scan_iter(f"{prefix}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@dataclass
class ClusterSettings:
    root: Path
    secret: str
    env: dict[str, str]


@pytest.fixture
async def cluster_settings(tmp_path: Path, postgres_url: str, redis_prefix: str) -> ClusterSettings:
    secret = secrets.token_urlsafe(24)
    env = {
        "DATABASE_URL": postgres_url,
        "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/0",
        "JOL_REDIS_PREFIX": redis_prefix,
        "JOL_PSEUDONYM_KEY": secrets.token_hex(16),
        "WEBHOOK_URL": "https://jol.example/telegram",
        "WEBHOOK_SECRET": secret,
        "JOL_CLAIM_SECONDS": "3",
        # On loopback a replica answers faster than Telegram's limit allows; that budget is
        # tested on its own (test_shared), and here every answer may travel in a response.
        "JOL_RESPONSE_RATE": "1000",
    }
    return ClusterSettings(tmp_path, secret, env)
