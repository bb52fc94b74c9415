"""Shared fixtures: catalogs, contexts and services built from real files, never mocks."""

from __future__ import annotations

import gc
import os
import secrets
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bot.config import PROJECT_ROOT, load_settings
from bot.core import Context
from bot.services import Services, open_services
from bot.snapshot import load_context

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
LOCALES_DIR = PROJECT_ROOT / "locales"
CONTENT_DIR = PROJECT_ROOT / "content"


def pytest_collection_finish(session: pytest.Session) -> None:
    """Keep what collection imported (the frameworks' models, every test module) out of the
    garbage collector's passes, as `jol run` does after start-up: each test's services run a
    full collection once the search index is built, which otherwise walks all of it again
    (0.6 s of CPU each time)."""
    gc.freeze()


@pytest.fixture(scope="session")
def ctx() -> Context:
    """A small, stable catalog made for tests, with the real interface strings."""
    return load_context(FIXTURE_CONTENT, LOCALES_DIR)


@pytest.fixture(scope="session")
def real_ctx() -> Context:
    """The real content store, as the bot serves it."""
    return load_context(CONTENT_DIR, LOCALES_DIR)


@pytest.fixture
async def services(tmp_path: Path) -> Services:
    settings = load_settings(
        content_dir=FIXTURE_CONTENT, jol_data_dir=tmp_path, database_url=None, admin_ids="42"
    )
    opened = await open_services(settings)
    yield opened
    await opened.close()


POSTGRES_ADMIN_URL = os.environ.get(
    "JOL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
# Slow machines (CI under load) set JOL_TEST_TIME_FACTOR=3: every fixed time budget in the
# tests is multiplied by it.
TIME_FACTOR = float(os.environ.get("JOL_TEST_TIME_FACTOR") or 1)


def scaled(seconds: float) -> float:
    return seconds * TIME_FACTOR


def postgres_address(url: str) -> tuple[str, int]:
    """Where the test PostgreSQL listens, as `JOL_TEST_POSTGRES` says."""
    parsed = urlsplit(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 5432


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def need_service(name: str, host: str, port: int) -> None:
    """Skip when a service is not running here; under REQUIRE_SERVICES=1 (CI) fail instead."""
    if _reachable(host, port):
        return
    reason = f"{name} is not running on {host}:{port}"
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason}, and REQUIRE_SERVICES=1 says it must be")
    pytest.skip(reason)


@asynccontextmanager
async def fresh_postgres() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database, dropped afterwards."""
    need_service("PostgreSQL", *postgres_address(POSTGRES_ADMIN_URL))
    import asyncpg

    name = f"jol_test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    async with fresh_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request, tmp_path: Path) -> AsyncIterator[str]:
    """Each storage test runs on SQLite and on the real PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'jol.sqlite3'}"
        return
    async with fresh_postgres() as url:
        yield url
