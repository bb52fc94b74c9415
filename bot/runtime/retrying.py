"""When a Bot API call is tried again: one policy for every runtime.

- 429 (flood limit): wait `retry_after` and try again, unless Telegram asks for longer than
  `max_wait`: then give up at once, count it and let the caller see the error.
- 5xx, a connection failure or an answer that is not JSON: try again after 0.5 s, 1 s, ...
  (`attempts` tries in all).
- Everything else (400, 403, ...) is the caller's to handle: a retry would get the same answer.

`getUpdates` is left alone by the runtimes: polling has its own back-off and a far longer
timeout.

Retrying a call whose answer was lost may deliver it twice (Telegram has no idempotency key);
a rare duplicate message is preferred to a lost answer. Logs name the method and the error's
type, never parameters, which may hold a user's text.

A runtime wraps its single choke point (aiogram: a session middleware; python-telegram-bot: the
request object) around `Retries.run`, telling it how to read one attempt's result with a
`judge`: `Flood(seconds)`, `Transient(why)`, or None for "done, hand it to the caller".
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

log = logging.getLogger(__name__)

ATTEMPTS = 3
FIRST_DELAY = 0.5  # seconds; doubled after each failed attempt
MAX_WAIT = 30.0  # seconds: a longer flood wait is not waited out
POLLING = "getUpdates"

T = TypeVar("T")


@dataclass(frozen=True)
class Flood:
    """Telegram asked to wait this many seconds (429)."""

    retry_after: float


@dataclass(frozen=True)
class Transient:
    """A failure that may pass: a 5xx, a lost connection, an answer that is not JSON."""

    why: str


Verdict = Flood | Transient | None
Judge = Callable[[T | None, BaseException | None], Verdict]


# Both frameworks' exceptions, by the HTTP code Telegram answered with.
_CODES = {
    "TelegramBadRequest": "400",
    "BadRequest": "400",
    "TelegramUnauthorizedError": "401",
    "InvalidToken": "401",
    "TelegramForbiddenError": "403",
    "Forbidden": "403",
    "TelegramNotFound": "404",
    "TelegramConflictError": "409",
    "Conflict": "409",
    "TelegramEntityTooLarge": "413",
    "TelegramRetryAfter": "429",
    "RetryAfter": "429",
    "TelegramServerError": "5xx",
}


def error_code(error: BaseException) -> str:
    """The HTTP code of a failed Bot API call, or `network` when no answer came."""
    return _CODES.get(type(error).__name__, "network")


def answer_code(result: object) -> str | None:
    """A failed answer given as `(status, body)` (python-telegram-bot's requests), or None."""
    if isinstance(result, tuple) and result and isinstance(result[0], int) and result[0] >= 400:
        return "5xx" if result[0] >= 500 else str(result[0])
    return None


class Retries:
    def __init__(
        self,
        *,
        max_wait: float = MAX_WAIT,
        attempts: int = ATTEMPTS,
        first_delay: float = FIRST_DELAY,
    ) -> None:
        self.max_wait = max_wait
        self.attempts = attempts
        self.first_delay = first_delay
        self.given_up = 0  # calls abandoned after retrying or because of a too long flood wait
        self.errors: Counter[str] = Counter()  # failed attempts by HTTP code, for /metrics
        # Until when (monotonic) the last 429 asked to wait: a webhook's answer, whose 429
        # nobody would see, is not risked near it (`bot.runtime.answering`).
        self.flood_until = 0.0

    async def run(self, name: str, attempt: Callable[[], Awaitable[T]], judge: Judge[T]) -> T:
        """`attempt()` until `judge` is content or the policy gives up; then its last result
        is returned, or its last exception raised, as the caller would have seen it."""
        for number in range(1, self.attempts + 1):
            result: T | None = None
            error: BaseException | None = None
            try:
                result = await attempt()
            except Exception as exc:
                error = exc
            verdict = judge(result, error)
            code = error_code(error) if error is not None else answer_code(result)
            if code is not None:
                self.errors[code] += 1
            last = number == self.attempts
            if isinstance(verdict, Flood):
                self.flood_until = max(self.flood_until, time.monotonic() + verdict.retry_after)
                if verdict.retry_after > self.max_wait or last:
                    self._give_up(name, f"flood wait of {verdict.retry_after:g} s")
                    verdict = None
                else:
                    log.info("%s: flood limit, waiting %s s", name, verdict.retry_after)
                    await asyncio.sleep(verdict.retry_after)
            elif isinstance(verdict, Transient):
                if last:
                    self._give_up(name, verdict.why)
                    verdict = None
                else:
                    delay = self.first_delay * 2 ** (number - 1)
                    log.info("%s: %s, trying again in %s s", name, verdict.why, delay)
                    await asyncio.sleep(delay)
            if verdict is None:
                if error is not None:
                    raise error
                return result  # type: ignore[return-value]
        raise AssertionError("unreachable")  # pragma: no cover

    def _give_up(self, name: str, why: str) -> None:
        self.given_up += 1
        log.warning("%s: given up (%s); %d calls given up since start", name, why, self.given_up)
