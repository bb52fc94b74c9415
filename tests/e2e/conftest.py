"""End-to-end fixtures: a fake Bot API server and the real bot polling it, for each runtime.

The bot most tests talk to (`bot`) is started once per runtime for the whole session, on a fake
server of its own: the tests are independent (each plays users no other test has), so a fresh
process per module would only cost start-up time. Tests that need a bot of their own (other
settings, other content, restarts) start one on `fake_telegram` or a fake of their own.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.harness import RUNTIMES, TOKEN, BotProcess, Driver


@pytest.fixture(scope="module")
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture(scope="session", params=RUNTIMES)
def runtime(request: pytest.FixtureRequest) -> str:
    """The runtime the bot runs on (JOL_RUNTIME): each test that starts a bot runs once for each."""
    return request.param


@pytest.fixture(scope="session")
def bot(runtime: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    """The real bot (`python -m bot run`) polling a fake server; stopped with SIGTERM after the
    session's tests of its runtime, when it must exit with 0 and must never have logged its
    token, a traceback or a failed update."""
    root = tmp_path_factory.mktemp(f"e2e-{runtime}")
    with FakeTelegram(TOKEN) as fake:
        process = BotProcess(fake, root / "data", root / "logs", runtime=runtime).start()
        yield Driver(fake, process)
        process.stop_and_check()


@pytest.fixture(autouse=True)
def _no_leftover_failures(request: pytest.FixtureRequest) -> Iterator[None]:
    """A failure scheduled by one test never answers another test's calls."""
    yield
    for name in ("fake_telegram", "bot"):
        if name in request.fixturenames:
            fixture = request.getfixturevalue(name)
            (fixture.fake if isinstance(fixture, Driver) else fixture).clear_failures()
