"""Replicas of the real bot (`jol run --webhook`) on loopback, and Telegram's side of webhooks.

`Telegram` posts updates the way Telegram does: with the secret header, again after any answer
that is not 200 (or no answer at all), to whichever replica it is told; a Bot API call in the
body of a 200 is made as the bot (`FakeTelegram.carry_out`), and nobody is told how it went.
`TcpProxy` stands in front of PostgreSQL or Redis so that a test can cut them without touching
the shared services.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from tests.e2e.fake_telegram import FakeTelegram
from tests.e2e.harness import TOKEN_SECRET, BotProcess, scaled

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
READY_TIMEOUT = scaled(60.0)
ANSWER_TIMEOUT = scaled(60.0)
STOP_TIMEOUT = scaled(30.0)  # for one update, redeliveries included


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Replica:
    """One `jol run --webhook` process on its own port."""

    def __init__(
        self, fake: FakeTelegram, root: Path, name: str, runtime: str, env: dict[str, str]
    ) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = BotProcess(
            fake,
            root / name / "data",
            root / name / "logs",
            runtime=runtime,
            args=("run", "--webhook"),
            WEBHOOK_LISTEN=f"127.0.0.1:{self.port}",
            PYTHONFAULTHANDLER="1",
            **env,
        )

    async def start(self, *, healthy: bool = True) -> Replica:
        self.process.launch()
        deadline = time.monotonic() + READY_TIMEOUT
        async with aiohttp.ClientSession() as session:
            while True:
                if not self.process.alive:
                    raise AssertionError(f"{self.name} exited:\n{self.process.logs()[-4000:]}")
                with contextlib.suppress(aiohttp.ClientError):
                    async with session.get(f"{self.url}/healthz") as response:
                        found = await response.json()
                        if not healthy or found.get("announcements") in (None, "heard"):
                            if response.status == 200 or not healthy:
                                return self
                if time.monotonic() > deadline:
                    self.process.kill()
                    raise AssertionError(f"{self.name} not ready:\n{self.process.logs()[-4000:]}")
                await asyncio.sleep(0.1)

    async def get(self, path: str) -> tuple[int, str]:
        async with aiohttp.ClientSession() as session, session.get(f"{self.url}{path}") as r:
            return r.status, await r.text()

    async def metric(self, name: str, **labels: str) -> float:
        """The value of one sample on /metrics (0 if absent)."""
        _, body = await self.get("/metrics")
        wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
        sample = f"{name}{{{wanted}}}" if wanted else name
        for line in body.splitlines():
            if line.startswith(sample + " "):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    def kill(self) -> None:
        self.process.kill()

    def terminate(self) -> None:
        assert self.process.proc is not None
        self.process.proc.send_signal(signal.SIGTERM)

    async def stop(self) -> int:
        """SIGTERM; the exit code. A replica drains its updates first, so it gets longer.
        Waited for off the event loop, which may be running a proxy the replica needs."""
        proc = self.process.proc
        assert proc is not None
        proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.to_thread(proc.wait, STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER: where it hung, in its log
            proc.wait(5)
            raise AssertionError(
                f"{self.name} did not stop:\n{self.process.logs()[-6000:]}"
            ) from None

    def check_logs(self) -> str:
        logs = self.process.logs()
        assert TOKEN_SECRET not in logs, f"{self.name} logged the token"
        assert "Traceback" not in logs, f"{self.name} logged a traceback:\n{logs[-4000:]}"
        return logs


@dataclass
class Delivery:
    """One update and what became of its deliveries."""

    update: dict[str, Any]
    chat_id: int
    statuses: list[tuple[str, int | None]] = field(default_factory=list)


class Telegram:
    """Telegram's side of webhooks: updates posted with the secret, redelivered until a 200."""

    def __init__(self, fake: FakeTelegram, secret: str) -> None:
        self.fake = fake
        self.secret = secret
        self._update_ids = itertools.count(1)
        self._users = itertools.count(900_001)
        self.session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Telegram:
        self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.session is not None
        await self.session.close()

    def new_update(self, text: str = "/start") -> Delivery:
        user_id = next(self._users)
        user = {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": "ru"}
        message: dict[str, Any] = {
            "message_id": self.fake.new_message_id(),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Test"},
            "from": user,
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return Delivery({"update_id": next(self._update_ids), "message": message}, user_id)

    async def post(
        self, replica: Replica, body: Any, *, secret: str | None = None, raw: bytes | None = None
    ) -> int | None:
        """One delivery; the HTTP status, or None when the replica gave no answer."""
        assert self.session is not None
        headers = {SECRET_HEADER: self.secret if secret is None else secret}
        data = raw if raw is not None else None
        try:
            async with self.session.post(
                f"{replica.url}/telegram",
                json=None if raw is not None else body,
                data=data,
                headers=headers,
            ) as response:
                answer = await response.read()
                status = response.status
                content_type = response.headers.get("Content-Type", "")
        except (aiohttp.ClientError, TimeoutError):
            return None
        if status == 200:
            await self.fake.carry_out(self.session, answer, content_type)
        return status

    async def deliver(self, delivery: Delivery, *replicas: Replica) -> None:
        """Post until a 200, going round `replicas` (as Telegram keeps retrying the URL)."""
        deadline = time.monotonic() + ANSWER_TIMEOUT
        for attempt in itertools.count():
            replica = replicas[attempt % len(replicas)]
            status = await self.post(replica, delivery.update)
            delivery.statuses.append((replica.name, status))
            if status == 200:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"update never acknowledged: {delivery.statuses}")
            await asyncio.sleep(0.2)


class TcpProxy:
    """A loopback TCP proxy a test can cut (every connection dropped, new ones refused)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> TcpProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        return self

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, ConnectionError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers -= {writer, up_writer}

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            transport = writer.transport
            transport.abort()
        self._writers.clear()
        await self._server.wait_closed()
        self._server = None

    async def restore(self) -> None:
        await self.start()

    async def close(self) -> None:
        if self._server is not None:
            await self.cut()


def random_prefix() -> str:
    return f"jol-test-{secrets.token_hex(6)}:"
