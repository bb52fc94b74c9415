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


# Shared beyond one test, yet cheap to have once in each xdist worker: their tests are spread.
# `runtime` is a parameter; `ctx` is the small fixture catalog; `fake_telegram` (tests/e2e) is a
# server in the test process, on which each test starts a bot of its own. (`real_ctx`, with its
# search index, costs seconds: its tests stay together.)
PER_WORKER = frozenset({"runtime", "ctx", "fake_telegram"})


def shared_group(item: pytest.Item) -> str | None:
    """The xdist group of a test that shares one of the suite's own module- or session-scoped
    fixtures (a bot process, a built wheel, content the tests edit in turn): its tests run on
    one worker, in their order, so the fixture is made once, as without xdist."""
    widest: tuple[str, str] | None = None
    for name in getattr(item, "fixturenames", ()):
        definitions = item._fixtureinfo.name2fixturedefs.get(name)  # type: ignore[attr-defined]
        if not definitions or name in PER_WORKER:
            continue
        fixture = definitions[-1]
        if not fixture.baseid.startswith("tests") or fixture.scope not in ("module", "session"):
            continue
        if fixture.scope == "session":
            widest = ("session", name)
        elif widest is None:
            widest = ("module", item.module.__name__)  # type: ignore[attr-defined]
    if widest is None:
        return None
    params = getattr(item, "callspec", None)
    runtime = params.params.get("runtime") if params else None
    # No brackets: xdist takes a name ending in "]" for a parameter, not a group.
    return f"{widest[1]}:{runtime}" if runtime else widest[1]


def runs_processes(item: pytest.Item) -> bool:
    """Tests that run the bot or `jol` as processes: the long ones."""
    path = item.nodeid.split("::", 1)[0]
    folder = path.split("/")[1] if path.count("/") > 1 else ""
    return folder in ("e2e", "replicas", "deploy") or path.rsplit("/", 1)[-1].startswith("test_cli")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Long tests first, so that none starts when the other workers are done (xdist hands out
    # the groups, largest first, then single tests in this order). Each module keeps its order.
    items.sort(key=lambda item: not runs_processes(item))
    for item in items:
        group = shared_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def pytest_collection_finish(session: pytest.Session) -> None:
    """Keep what collection imported (the frameworks' models, every test module) out of the
    garbage collector's passes, as `jol run` does after start-up: each test's services run a
    full collection once the search index is built, which otherwise walks all of it again
    (0.6 s of CPU each time)."""
    gc.freeze()


def pytest_runtest_setup(item: pytest.Item) -> None:
    # Under `--dist loadgroup`, xdist names a test's group in its id to keep the group on one
    # worker; some pytest versions keep it from doing so (pytest-xdist#1386), silently.
    if item.config.getoption("loadgroup", False) and "@" not in item.nodeid:
        if item.get_closest_marker("xdist_group"):
            pytest.fail("pytest-xdist ignored this test's group: is pytest a version it supports?")


@pytest.fixture(scope="session")
def ctx() -> Context:
    """A small, stable catalog made for tests, with the real interface strings."""
    return load_context(FIXTURE_CONTENT, LOCALES_DIR)


@pytest.fixture(scope="session")
def real_ctx() -> Context:
    """The real content store, as the bot serves it."""
    return load_context(CONTENT_DIR, LOCALES_DIR)


# The bound on a database wait a reply makes, where the bound is not what a test is about: the
# bot's 1 s, met by a healthy database in milliseconds, was missed on a busy machine (SQLite's
# commit waiting for the CPU) and failed tests about something else.
DATABASE_TIMEOUT = 5.0


@pytest.fixture
async def services(tmp_path: Path) -> Services:
    settings = load_settings(
        content_dir=FIXTURE_CONTENT,
        jol_data_dir=tmp_path,
        database_url=None,
        admin_ids="42",
        database_timeout=scaled(DATABASE_TIMEOUT),
    )
    opened = await open_services(settings)
    yield opened
    await opened.close()


POSTGRES_ADMIN_URL = os.environ.get(
    "JOL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
# Slow machines (CI under load) set JOL_TEST_TIME_FACTOR=3: every fixed time budget in the
# tests is multiplied by it. By default 2 in an xdist worker: four workers share two cores, so
# a bot takes about twice as long to start or to answer as it would alone.
TIME_FACTOR = float(
    os.environ.get("JOL_TEST_TIME_FACTOR") or (2 if os.environ.get("PYTEST_XDIST_WORKER") else 1)
)


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
