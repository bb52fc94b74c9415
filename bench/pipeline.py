"""Jol's whole pipeline, black box over HTTP, against the barest aiogram echo bot in the same run.

    .venv/bin/python -m bench.pipeline             # throughput, cold start, idle memory
    .venv/bin/python -m bench.pipeline --soak      # and memory over 40,000 updates
    .venv/bin/python -m bench.pipeline --webhook   # both bots take webhook posts instead
    .venv/bin/python -m bench.pipeline --runtime ptb   # Jol on python-telegram-bot

Both bots are real processes polling a minimal Bot API server on 127.0.0.1 that this script
runs. Every update is `/menu` from one of a thousand users, so Jol does all it does for a real
user (saved language, core, catalog, statistics) and the echo bot does nothing but answer.
The figures are ratios of Jol to the echo bot measured on this machine in this run:

- throughput: updates answered per second, once both are warm (median of the rounds);
- cold start: from starting the process to the first answer (one update waiting);
- idle memory: resident set size after the warm-up;
- soak: resident set size growth per 1,000 updates after the first 10,000.

With `--webhook` both bots listen for webhook posts (Jol: `jol run --webhook`, single-machine,
SQLite, no Redis; the echo bot: aiogram's own webhook handler, answering only once handled) and
this script posts every update to them with the secret header, `CONCURRENCY` at a time as
Telegram does; an update counts once its post is answered 200, and a Bot API call in the body of
that 200 is made as Telegram would (Jol puts an answer's last call there, see README).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web

TOKEN = "123456789:bench-token-not-real"
USERS = 1000
WARM_UP = 500
ROUND = 3000
ROUNDS = 3
SOAK = 40_000
SOAK_STEP = 4_000
TIMEOUT = 300.0
CONCURRENCY = 40  # Telegram's default max_connections for a webhook
SECRET = "bench-webhook-secret-0123456789"
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class FakeBotAPI:
    """Just enough of the Bot API for a polling bot; counts the answers it is sent."""

    pending: deque[dict[str, Any]] = field(default_factory=deque)
    answered: int = 0
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _messages: itertools.count = field(default_factory=lambda: itertools.count(1))
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _answer: asyncio.Event = field(default_factory=asyncio.Event)
    _runner: web.AppRunner | None = None
    base: str = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)  # Jol checks with GET
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    def new_updates(self, count: int) -> list[dict[str, Any]]:
        updates = []
        for _ in range(count):
            update_id = next(self._ids)
            user = 800_000 + update_id % USERS
            updates.append(
                {
                    "update_id": update_id,
                    "message": {
                        "message_id": update_id,
                        "date": int(time.time()),
                        "chat": {"id": user, "type": "private", "first_name": "U"},
                        "from": {
                            "id": user,
                            "is_bot": False,
                            "first_name": "U",
                            "language_code": "ru",
                        },
                        "text": "/menu",
                        "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
                    },
                }
            )
        return updates

    def push(self, count: int) -> None:
        self.pending.extend(self.new_updates(count))
        self._arrived.set()

    async def answers(self, total: int, bot: asyncio.subprocess.Process) -> None:
        """Wait until `total` answers have arrived since the start."""
        async with asyncio.timeout(TIMEOUT):
            while self.answered < total:
                if bot.returncode is not None:
                    raise RuntimeError(f"the bot stopped with exit status {bot.returncode}")
                self._answer.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(1.0):
                        await self._answer.wait()

    @staticmethod
    async def _params(request: web.Request) -> dict[str, Any]:
        if request.method == "GET":
            return dict(request.query)
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        return {k: v for k, v in form.items() if isinstance(v, str)}

    async def _handle(self, request: web.Request) -> web.Response:
        method, params = request.match_info["method"], await self._params(request)
        if method.lower() == "getupdates":
            result = await self._updates(params)
        else:
            result = self.make(method, params)
        return web.json_response({"ok": True, "result": result})

    def make(self, method: str, params: dict[str, Any]) -> Any:
        """Make one call (posted by a bot, or found in a webhook's answer); its result."""
        method = method.lower()
        result: Any = True
        if method == "getme":
            result = {"id": 123456789, "is_bot": True, "first_name": "Bench", "username": "b_bot"}
        elif method == "sendmessage":
            chat = {"id": int(params["chat_id"]), "type": "private", "first_name": "U"}
            result = {
                "message_id": next(self._messages),
                "date": int(time.time()),
                "chat": chat,
                "text": str(params.get("text", "")),
            }
            self.answered += 1
            self._answer.set()
        return result

    async def _updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        while self.pending and self.pending[0]["update_id"] < offset:
            self.pending.popleft()
        if not self.pending:
            self._arrived.clear()
            try:
                async with asyncio.timeout(min(float(params.get("timeout") or 0), 1.0)):
                    await self._arrived.wait()
            except TimeoutError:
                return []
        limit = int(params.get("limit") or 100)
        return list(itertools.islice(self.pending, limit))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


@dataclass
class Figures:
    cold_start_s: float = 0.0
    rates: list[float] = field(default_factory=list)
    idle_rss_mb: float = 0.0
    soak_mb_per_1000: float | None = None

    @property
    def rate(self) -> float:
        return statistics.median(self.rates)


# The runtime Jol runs on (`jol run --runtime`); the echo bot is always the bare aiogram one.
RUNTIME: list[str] = []


def command(bot: str, webhook: bool = False) -> list[str]:
    if bot == "echo":
        return [sys.executable, str(ROOT / "bench" / "echo_bot.py")]
    return [sys.executable, "-m", "bot", "run", *(["--webhook"] if webhook else []), *RUNTIME]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Poster:
    """Telegram's side of a webhook: posts updates, `CONCURRENCY` at a time, each until 200."""

    def __init__(self, port: int, api: FakeBotAPI) -> None:
        self.url = f"http://127.0.0.1:{port}/telegram"
        self.api = api
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=CONCURRENCY),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )

    async def post(self, update: dict[str, Any], bot: asyncio.subprocess.Process) -> None:
        async with asyncio.timeout(TIMEOUT):
            while True:
                if bot.returncode is not None:
                    raise RuntimeError(f"the bot stopped with exit status {bot.returncode}")
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with self.session.post(self.url, json=update) as response:
                        if response.status == 200:
                            answer = dict(parse_qsl((await response.read()).decode()))
                            if "method" in answer:
                                self.api.make(answer.pop("method"), answer)
                            return
                await asyncio.sleep(0.02)  # not listening yet, or asked to try again

    async def post_all(
        self, updates: list[dict[str, Any]], bot: asyncio.subprocess.Process
    ) -> None:
        slots = asyncio.Semaphore(CONCURRENCY)

        async def one(update: dict[str, Any]) -> None:
            async with slots:
                await self.post(update, bot)

        await asyncio.gather(*(one(update) for update in updates))

    async def close(self) -> None:
        await self.session.close()


async def measure_webhook(bot: str) -> Figures:
    api = FakeBotAPI()
    await api.start()
    figures = Figures()
    port = free_port()
    poster = Poster(port, api)
    with tempfile.TemporaryDirectory() as data:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("JOL_", "BOT_"))},
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": api.base,
            "JOL_DATA_DIR": data,
            "DATABASE_URL": "",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
            "WEBHOOK_LISTEN": f"127.0.0.1:{port}",
            "WEBHOOK_URL": "https://bench.invalid/telegram",
            "WEBHOOK_SECRET": SECRET,
            "JOL_PSEUDONYM_KEY": "bench-pseudonym-key-0123456789abcdef",
        }
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            *command(bot, webhook=True), cwd=data, env=env, stdout=asyncio.subprocess.DEVNULL
        )
        try:
            await poster.post_all(api.new_updates(1), process)
            figures.cold_start_s = time.perf_counter() - started
            await poster.post_all(api.new_updates(WARM_UP), process)
            for _ in range(ROUNDS):
                updates = api.new_updates(ROUND)
                started = time.perf_counter()
                await poster.post_all(updates, process)
                figures.rates.append(ROUND / (time.perf_counter() - started))
            await asyncio.sleep(1.0)
            figures.idle_rss_mb = rss_mb(process.pid)
            if api.answered < 1 + WARM_UP + ROUNDS * ROUND:
                raise RuntimeError(f"{bot}: only {api.answered} answers for the updates posted")
        finally:
            await poster.close()
            if process.returncode is None:
                process.terminate()
            await process.wait()
            await api.stop()
    return figures


async def measure(bot: str, soak: bool) -> Figures:
    api = FakeBotAPI()
    await api.start()
    figures = Figures()
    with tempfile.TemporaryDirectory() as data:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("JOL_", "BOT_"))},
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": api.base,
            "JOL_DATA_DIR": data,
            "DATABASE_URL": "",
            "LOG_LEVEL": "WARNING",
        }
        api.push(1)
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            *command(bot), cwd=data, env=env, stdout=asyncio.subprocess.DEVNULL
        )
        try:
            await api.answers(1, process)
            figures.cold_start_s = time.perf_counter() - started
            api.push(WARM_UP)
            await api.answers(1 + WARM_UP, process)
            for _ in range(ROUNDS):
                done = api.answered
                started = time.perf_counter()
                api.push(ROUND)
                await api.answers(done + ROUND, process)
                figures.rates.append(ROUND / (time.perf_counter() - started))
            await asyncio.sleep(1.0)
            figures.idle_rss_mb = rss_mb(process.pid)
            if soak:
                figures.soak_mb_per_1000 = await _soak(api, process)
        finally:
            if process.returncode is None:
                process.terminate()
            await process.wait()
            await api.stop()
    return figures


async def _soak(api: FakeBotAPI, bot: asyncio.subprocess.Process) -> float:
    samples: list[tuple[int, float]] = []
    sent = 0
    while sent < SOAK:
        done = api.answered
        api.push(SOAK_STEP)
        await api.answers(done + SOAK_STEP, bot)
        sent += SOAK_STEP
        samples.append((sent, rss_mb(bot.pid)))
    after_warm_up = [(n, mb) for n, mb in samples if n >= 10_000]
    (n0, mb0), (n1, mb1) = after_warm_up[0], after_warm_up[-1]
    return (mb1 - mb0) / ((n1 - n0) / 1000)


def report(jol: Figures, echo: Figures) -> dict[str, Any]:
    rows = {
        "throughput (answers/s)": (jol.rate, echo.rate, jol.rate / echo.rate, "≥ 0.6"),
        "cold start to first answer (s)": (
            jol.cold_start_s,
            echo.cold_start_s,
            jol.cold_start_s / echo.cold_start_s,
            "≤ 1.5",
        ),
        "idle RSS (MB)": (
            jol.idle_rss_mb,
            echo.idle_rss_mb,
            jol.idle_rss_mb / echo.idle_rss_mb,
            "≤ 1.3",
        ),
    }
    print(f"{'':34} {'Jol':>10} {'echo bot':>10} {'ratio':>7}  target")
    for name, (mine, base, ratio, target) in rows.items():
        print(f"{name:34} {mine:10.2f} {base:10.2f} {ratio:7.2f}  {target}")
    if jol.soak_mb_per_1000 is not None and echo.soak_mb_per_1000 is not None:
        print(
            f"{'RSS growth per 1,000 updates (MB)':34} {jol.soak_mb_per_1000:10.3f} "
            f"{echo.soak_mb_per_1000:10.3f}        after {SOAK:,} updates, from the 10,000th"
        )
    keys = ("jol", "echo", "ratio")
    return {name: dict(zip(keys, row[:3], strict=True)) for name, row in rows.items()}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--soak", action="store_true", help="also send 40,000 updates")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument(
        "--webhook", action="store_true", help="post updates to both bots' webhook listeners"
    )
    parser.add_argument("--runtime", choices=["aiogram", "ptb"], help="Jol's runtime")
    args = parser.parse_args()
    if args.runtime:
        RUNTIME[:] = ["--runtime", args.runtime]
    if args.webhook:
        echo = await measure_webhook("echo")
        jol = await measure_webhook("jol")
    else:
        echo = await measure("echo", args.soak)
        jol = await measure("jol", args.soak)
    figures = report(jol, echo)
    if args.json:
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
