"""The webhook listener, the same for every runtime: updates in, `/healthz`, `/metrics`.

A runtime gives one `feed(raw)` that handles one update (raw JSON as Telegram posts it) and
returns once it is answered, raising `Unreadable` for one it cannot read. Telegram is answered
200 only after that, so a replica killed at any moment loses nothing: Telegram delivers again
whatever it got no 200 for. The update is handled as a `Turn` (`bot.runtime.answering`): the
200 may carry the answer's last Bot API call, and the update is marked done only once that
200 is written. What replicas share (de-duplication, announcements) is in `bot.replicas`.

    POST WEBHOOK_PATH  401 without the right X-Telegram-Bot-Api-Secret-Token, and nothing done;
                       200 handled (its body the last call, or empty), or answered before (a
                       duplicate), or unreadable (skipped);
                       409 being handled by this or another replica: Telegram tries later.
    GET /healthz       200 when content, database and Redis (if used) are usable; JSON says.
    GET /metrics       Prometheus text (see `bot.web.metrics`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from aiohttp import web
from sqlalchemy import text

from bot.replicas import Claim
from bot.runtime.answering import CURRENT, FORM, Answering, Turn
from bot.runtime.retrying import Retries
from bot.services import Services
from bot.web.metrics import CONTENT_TYPE, Metrics
from storage.events import DATABASE_ERRORS

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_TIMEOUT = 2.0  # seconds for the database to answer a health check
STOP_GRACE = 20.0  # seconds updates being handled get to finish at shutdown
SIGNALS = (signal.SIGTERM, signal.SIGINT)

Feed = Callable[[dict[str, Any]], Awaitable[None]]
Heard = Callable[[dict[str, Any]], Awaitable[None]]


class Unreadable(Exception):
    """The runtime cannot read this update; Telegram must not send it again."""


def kind_of(raw: dict[str, Any]) -> str:
    """The update's type (`message`, `callback_query`...), never its content."""
    kinds = [key for key in raw if key != "update_id"]
    return kinds[0][:32] if len(kinds) == 1 else "unknown"


async def health(services: Services) -> tuple[bool, dict[str, str]]:
    """Whether this replica can answer: content loaded, database and Redis (if used) answer."""
    found = {"content": "ok" if services.content.current.catalog.articles else "empty"}
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT), services.db.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        found["database"] = "ok"
    except DATABASE_ERRORS:
        found["database"] = "unavailable"
    redis = await services.replicas.ping()
    found["redis"] = "not used" if redis is None else "ok" if redis else "unavailable"
    ok = all(v in ("ok", "not used") for v in found.values())
    if redis is not None:  # told, not judged: it follows Redis by a second or so
        found["announcements"] = "heard" if services.replicas.subscribed else "not heard"
    return ok, found


class Listener:
    """The aiohttp application: the webhook (when given a feed), `/healthz` and `/metrics`."""

    def __init__(
        self,
        services: Services,
        metrics: Metrics,
        feed: Feed | None = None,
        *,
        answering: Answering | None = None,
        secret: str = "",
        path: str = "/telegram",
    ) -> None:
        self.services = services
        self.metrics = metrics
        self._feed = feed
        self._answering = answering
        self._secret = secret.encode()
        self._path = path
        self._slots = asyncio.Semaphore(services.settings.max_concurrent_updates)
        self.refused = metrics.refused

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        if self._feed is not None:
            app.router.add_post(self._path, self._update)
        return app

    async def _healthz(self, request: web.Request) -> web.Response:
        ok, found = await health(self.services)
        return web.json_response(found, status=200 if ok else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        return web.Response(body=self.metrics.render(), headers={"Content-Type": CONTENT_TYPE})

    async def _update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            self.refused.inc()
            return web.Response(status=401)
        try:
            raw = json.loads(await request.read())
        except ValueError:
            raw = None
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or not isinstance(update_id, int):
            self.metrics.updates.labels("unknown", "unreadable").inc()
            log.warning("webhook: a body that is not an update was skipped")
            return web.Response(status=200)
        kind = kind_of(raw)
        replicas = self.services.replicas
        claim = await replicas.claim(update_id)
        if claim is not Claim.NEW:
            outcome, status = ("duplicate", 200) if claim is Claim.DONE else ("busy", 409)
            self.metrics.updates.labels(kind, outcome).inc()
            return web.Response(status=status)
        assert self._answering is not None
        turn = Turn(update_id, self._answering)
        outcome = await self._handle(turn, kind, raw)
        self.metrics.updates.labels(kind, outcome).inc()
        if turn.via is not None:
            self.metrics.last_calls.labels(turn.via).inc()
        self.metrics.resumed.inc(turn.resumed)
        if turn.answer is None:
            response = web.Response(status=200)
        else:
            response = web.Response(status=200, body=turn.answer.body(), content_type=FORM)
            # Written before the update is marked done: killed in between, Telegram has the
            # answer and its acknowledgement at once and posts nothing again.
            try:
                await response.prepare(request)
                await response.write_eof()
            except ConnectionError:  # Telegram stopped waiting: it will post it again
                await replicas.release(update_id)
                log.warning("webhook: update %s was answered after Telegram left", update_id)
                return response
        await replicas.done(update_id)
        return response

    async def _handle(self, turn: Turn, kind: str, raw: dict[str, Any]) -> str:
        """Feed the update as `turn`; what became of it."""
        replicas, update_id = self.services.replicas, turn.update_id
        assert self._feed is not None
        started = time.monotonic()
        current = CURRENT.set(turn)
        try:
            async with self._slots:
                await self._feed(raw)
        except Unreadable:
            log.warning("webhook: update %s (%s) could not be read; skipped", update_id, kind)
            return "unreadable"
        except asyncio.CancelledError:
            await replicas.release(update_id)  # not answered: the next delivery is handled
            raise
        except Exception as exc:  # a bug must not make Telegram send the update for ever
            log.error("update %s failed: %s", update_id, type(exc).__name__, exc_info=exc)
            return "failed"
        finally:
            CURRENT.reset(current)
        self.metrics.latency.observe(time.monotonic() - started)
        return "answered"


@contextlib.asynccontextmanager
async def listening(listener: Listener, listen: str) -> AsyncIterator[web.AppRunner]:
    """Serve on host:port; on leaving, stop taking requests and let those running finish."""
    host, _, port = listen.rpartition(":")
    runner = web.AppRunner(listener.app(), handle_signals=False, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host.strip("[]"), int(port), shutdown_timeout=STOP_GRACE)
        await site.start()
        yield runner
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def health_listener(services: Services) -> AsyncIterator[None]:
    """Polling mode: `/healthz` and `/metrics` on JOL_HEALTH_LISTEN, if set (for `jol health`)."""
    listen = services.settings.health_listen
    if not listen:
        yield
        return
    async with listening(Listener(services, Metrics(services)), listen):
        log.info("health and metrics on http://%s", listen)
        yield


async def serve_webhook(
    services: Services,
    feed: Feed,
    *,
    register: Callable[[], Awaitable[None]],
    publish: Callable[[], Awaitable[None]],
    heard: Heard,
    retries: Retries,
) -> None:
    """Listen, then register the webhook with Telegram, then serve until SIGTERM or SIGINT.

    SIGHUP publishes edited content here and on every other replica (`publish`). `retries` is
    the runtime's retry policy: its errors are counted on /metrics, its flood waits decide
    whether an answer may travel in the webhook's answer.
    """
    settings = services.settings
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    metrics = Metrics(services, lambda: retries.errors)
    answering = Answering(services.replicas, retries, rate=settings.response_rate)
    listener = Listener(
        services,
        metrics,
        feed,
        answering=answering,
        secret=secret,
        path=settings.webhook_path,
    )
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    tasks: set[asyncio.Task[None]] = set()

    def later(job: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(job)
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    for sig in SIGNALS:
        loop.add_signal_handler(sig, stopping.set)
    loop.add_signal_handler(signal.SIGHUP, lambda: later(publish()))
    listener_task = asyncio.create_task(services.replicas.listen(heard), name="jol-announcements")
    try:
        async with listening(listener, settings.webhook_listen):
            await register()
            log.info(
                "Jol is listening for webhooks on %s%s (%s)",
                settings.webhook_listen,
                settings.webhook_path,
                "replicas share through Redis" if services.replicas.shared else "no Redis",
            )
            await stopping.wait()
            log.info("stopping: finishing the updates being handled")
        await services.events.flush()  # the statistics queued so far, before anything closes
    finally:
        listener_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener_task
        loop.remove_signal_handler(signal.SIGHUP)
        for sig in SIGNALS:
            # Still stopping (closing the framework, the database): a second SIGTERM from an
            # impatient service manager must not cut that short with the default action.
            loop.add_signal_handler(sig, log.info, "already stopping")
        log.info("Jol stopped")
