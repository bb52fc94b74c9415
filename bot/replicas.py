"""What replicas share through Redis: which updates are handled, publishing, erasures, caches.

Telegram delivers an update again until one delivery is answered with 200, and with several
replicas behind a load balancer the same update may reach two of them. Each update is
*claimed* before it is handled (`SET update:<id> processing NX EX claim_seconds`) and marked
*done* after (kept a day, longer than Telegram retries); a replica that finds it done answers
200 without handling it again; one that finds it being handled answers 409, so Telegram tries
later (by then it is done, or its claim has run out because that replica died).

While an update is handled, the Bot API calls already made for it are recorded
(`HSET <prefix>sent:<id> <step> <digest>`, dropped once it is done), so that a delivery after a
replica died resumes after them (see `bot.runtime.answering`); `within` counts, across replicas,
the answers sent in webhook responses each second.

Announcements (`/reload` and SIGHUP, an erasure, a changed language) go to every replica over
one pub/sub channel; each replica acts on them itself (see `bot.web.coordination`).

Without `REDIS_URL` (the single-machine mode) and while Redis cannot be reached, the same
calls work on this process's memory: replies go on, and what could not be shared is counted
in `unshared` (by what) and logged once per outage.
"""

from __future__ import annotations

import asyncio
import enum
import json
import logging
import secrets
import time
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger(__name__)

DONE_SECONDS = 24 * 3600  # Telegram gives up redelivering well within a day
REMEMBERED = 100_000  # updates remembered in memory when Redis is away
TIMEOUT = 0.5  # seconds for one Redis call; a reply never waits longer on Redis
RECONNECT = 1.0  # seconds between tries to listen again

Handler = Callable[[dict[str, Any]], Awaitable[None]]


class Claim(enum.Enum):
    NEW = "new"  # handle it
    PROCESSING = "processing"  # another delivery is being handled: ask Telegram to retry
    DONE = "done"  # answered already: acknowledge, do nothing


class Replicas:
    def __init__(
        self, redis: Redis | None, *, prefix: str = "jol:", claim_seconds: float = 30.0
    ) -> None:
        self._redis = redis
        # What "Redis failed" means. The Redis client is imported only when there is a Redis
        # (5 MB the single-machine bot does not hold).
        self._errors: tuple[type[Exception], ...] = (OSError, TimeoutError)
        if redis is not None:
            from redis.exceptions import RedisError

            self._errors = (RedisError, OSError, TimeoutError)
        self.prefix = prefix
        self.claim_seconds = claim_seconds
        self.channel = f"{prefix}announce"
        self.unshared: Counter[str] = Counter()
        self._local: OrderedDict[int, Claim] = OrderedDict()
        self._counts: dict[str, tuple[int, int]] = {}  # what -> (second, count), without Redis
        self._away = False
        self._listening = asyncio.Event()
        self.origin = secrets.token_hex(8)  # this process, so that it skips its own messages

    @classmethod
    def from_url(
        cls, url: str | None, *, prefix: str = "jol:", claim_seconds: float = 30.0
    ) -> Replicas:
        redis = None
        if url:
            from redis.asyncio import Redis

            redis = Redis.from_url(
                url,
                socket_timeout=TIMEOUT,
                socket_connect_timeout=TIMEOUT,
                health_check_interval=10,
            )
        return cls(redis, prefix=prefix, claim_seconds=claim_seconds)

    @property
    def shared(self) -> bool:
        """Whether there is a Redis to share with (not whether it answers now)."""
        return self._redis is not None

    # -- updates: claim, done ---------------------------------------------------------------

    def _key(self, update_id: int) -> str:
        return f"{self.prefix}update:{update_id}"

    async def claim(self, update_id: int) -> Claim:
        local = self._local.get(update_id)
        if local is not None:
            return local
        self._remember(update_id, Claim.PROCESSING)
        if self._redis is None:
            return Claim.NEW
        try:
            async with asyncio.timeout(TIMEOUT * 2):
                key = self._key(update_id)
                if await self._redis.set(
                    key, "processing", nx=True, px=self._ms(self.claim_seconds)
                ):
                    self._back()
                    return Claim.NEW
                held = await self._redis.get(key)
        except self._errors as exc:
            self._lost("dedup", exc)
            return Claim.NEW
        self._back()
        self._local.pop(update_id, None)
        if held == b"done":
            return Claim.DONE
        if held is None:  # the claim ran out between the two calls: try once more
            return await self.claim(update_id)
        return Claim.PROCESSING

    async def done(self, update_id: int) -> None:
        self._remember(update_id, Claim.DONE)
        if self._redis is None:
            return
        try:
            async with asyncio.timeout(TIMEOUT):
                pipe = self._redis.pipeline(transaction=False)
                pipe.set(self._key(update_id), "done", px=self._ms(DONE_SECONDS))
                pipe.delete(self._sent_key(update_id))
                await pipe.execute()
            self._back()
        except self._errors as exc:
            self._lost("dedup", exc)

    async def release(self, update_id: int) -> None:
        """Give a claim back (the update was not handled), so the next delivery is."""
        self._local.pop(update_id, None)
        if self._redis is None:
            return
        try:
            async with asyncio.timeout(TIMEOUT):
                await self._redis.delete(self._key(update_id))
        except self._errors as exc:
            self._lost("dedup", exc)

    # -- what was sent for an update, and how many answers went out this second ------------

    def _sent_key(self, update_id: int) -> str:
        return f"{self.prefix}sent:{update_id}"

    def _sharing(self, what: str) -> Redis | None:
        """The Redis to ask about `what`, if any. While it is away, only claims find out
        whether it is back: what merely helps does not wait for it on every update meanwhile."""
        if self._redis is not None and self._away:
            self.unshared[what] += 1
            return None
        return self._redis

    async def sent(self, update_id: int) -> dict[int, str]:
        """The calls recorded as made for this update: step number -> digest."""
        redis = self._sharing("progress")
        if redis is None:
            return {}
        try:
            async with asyncio.timeout(TIMEOUT):
                found = await redis.hgetall(self._sent_key(update_id))
            self._back()
        except self._errors as exc:
            self._lost("progress", exc)
            return {}
        return {int(step): _text(digest) for step, digest in found.items()}

    async def record(self, update_id: int, step: int, digest: str) -> None:
        """Step `step` of this update's answer has been made (Telegram said so)."""
        redis = self._sharing("progress")
        if redis is None:
            return
        try:
            async with asyncio.timeout(TIMEOUT):
                pipe = redis.pipeline(transaction=False)
                pipe.hset(self._sent_key(update_id), str(step), digest)
                pipe.pexpire(self._sent_key(update_id), self._ms(DONE_SECONDS))
                await pipe.execute()
            self._back()
        except self._errors as exc:
            self._lost("progress", exc)

    async def within(self, what: str, limit: int) -> bool:
        """Counts one `what` in the current second: whether all replicas together are still
        within `limit`. Without Redis, this replica alone is counted."""
        second = int(time.time())
        redis = self._sharing("rate")
        if redis is not None:
            key = f"{self.prefix}{what}:{second}"
            try:
                async with asyncio.timeout(TIMEOUT):
                    pipe = redis.pipeline(transaction=False)
                    pipe.incr(key)
                    pipe.pexpire(key, 2000)
                    count, _ = await pipe.execute()
                self._back()
                return int(count) <= limit
            except self._errors as exc:
                self._lost("rate", exc)
        counted_second, count = self._counts.get(what, (second, 0))
        count = count + 1 if counted_second == second else 1
        self._counts[what] = (second, count)
        return count <= limit

    def _remember(self, update_id: int, claim: Claim) -> None:
        self._local[update_id] = claim
        self._local.move_to_end(update_id)
        while len(self._local) > REMEMBERED:
            self._local.popitem(last=False)

    @staticmethod
    def _ms(seconds: float) -> int:
        return max(1, int(seconds * 1000))

    # -- announcements ------------------------------------------------------------------------

    async def announce(self, kind: str, **payload: Any) -> bool:
        """Tell every other replica; False (counted) if Redis could not carry it."""
        if self._redis is None:
            return False
        message = json.dumps({"kind": kind, "origin": self.origin, **payload})
        try:
            async with asyncio.timeout(TIMEOUT):
                await self._redis.publish(self.channel, message)
            self._back()
            return True
        except self._errors as exc:
            self._lost(kind, exc)
            return False

    async def listen(self, handler: Handler) -> None:
        """Hand every announcement from another replica to `handler`, for ever (our own are
        skipped). Reconnects when Redis comes back."""
        if self._redis is None:
            return
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self.channel)
                    self._listening.set()
                    while True:
                        message = await pubsub.get_message(timeout=1.0)
                        if message is None:
                            continue
                        try:
                            data = json.loads(message["data"])
                        except (TypeError, ValueError):
                            continue
                        if isinstance(data, dict) and data.get("origin") != self.origin:
                            try:
                                await handler(data)
                            except Exception as exc:  # one bad message must not stop listening
                                log.error("announcement failed: %s", type(exc).__name__)
            except self._errors as exc:
                self._listening.clear()
                self._lost("announcements", exc)
                await asyncio.sleep(RECONNECT)

    @property
    def subscribed(self) -> bool:
        """Whether announcements from other replicas reach this one now."""
        return self._listening.is_set()

    # -- health -------------------------------------------------------------------------------

    async def ping(self) -> bool | None:
        """True if Redis answers, False if not, None without Redis."""
        if self._redis is None:
            return None
        try:
            async with asyncio.timeout(TIMEOUT):
                await self._redis.ping()
            return True
        except self._errors:
            return False

    def _lost(self, what: str, exc: BaseException) -> None:
        self.unshared[what] += 1
        if not self._away:
            self._away = True
            # Once per outage: while Redis is away every update would say it again.
            log.warning(
                "Redis cannot be reached (%s): replicas go on alone; what is not shared is "
                "counted in jol_unshared_total",
                type(exc).__name__,
            )

    def _back(self) -> None:
        if self._away:
            self._away = False
            log.info("Redis is back: replicas share again")

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
