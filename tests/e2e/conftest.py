"""End-to-end fixtures: a fake Bot API server and the real bot polling it, once per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.harness import RUNTIMES, TOKEN, BotProcess, Driver


@pytest.fixture(scope="module")
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module", params=RUNTIMES)
def runtime(request: pytest.FixtureRequest) -> str:
    """The runtime the bot runs on (JOL_RUNTIME): each test that starts a bot runs once for each."""
    return request.param


@pytest.fixture(scope="module")
def bot(
    fake_telegram: FakeTelegram, tmp_path_factory: pytest.TempPathFactory, runtime: str
) -> Iterator[Driver]:
    """The real bot (`python -m bot run`) polling the fake server; stopped with SIGTERM after
    the module, when it must exit with 0 and must never have logged its token."""
    root = tmp_path_factory.mktemp(f"e2e-{runtime}")
    process = BotProcess(fake_telegram, root / "data", root / "logs", runtime=runtime).start()
    yield Driver(fake_telegram, process)
    process.stop_and_check()


@pytest.fixture(autouse=True)
def _no_leftover_failures(request: pytest.FixtureRequest) -> Iterator[None]:
    """A failure scheduled by one test never answers another test's calls."""
    yield
    if "fake_telegram" in request.fixturenames:
        request.getfixturevalue("fake_telegram").clear_failures()
