"""Every Bot API call of this runtime passes through `Retries`, a session request middleware.

- 429 (flood limit): wait `retry_after` and try again, unless Telegram asks for longer than
  `max_wait`: then give up at once, count it and let the caller see the error.
- 5xx, a connection failure or an answer that is not JSON: try again after 0.5 s, 1 s, ...
  (`attempts` tries in all).
- Everything else (400, 403, ...) is the caller's to handle: a retry would get the same answer.

`getUpdates` is left alone: polling has its own back-off and a far longer timeout.

Retrying a call whose answer was lost may deliver it twice (Telegram has no idempotency key);
a rare duplicate message is preferred to a lost answer. Logs name the method and the error's
type, never parameters, which may hold a user's text.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramEntityTooLarge,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import TelegramMethod

log = logging.getLogger(__name__)

ATTEMPTS = 3
FIRST_DELAY = 0.5  # seconds; doubled after each failed attempt
MAX_WAIT = 30.0  # seconds: a longer flood wait is not waited out
POLLING = "getUpdates"


class Retries(BaseRequestMiddleware):
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

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Any:
        name = method.__api_method__
        if name == POLLING:
            return await make_request(bot, method)
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if exc.retry_after > self.max_wait or attempt == self.attempts:
                    self._give_up(name, f"flood wait of {exc.retry_after} s")
                    raise
                log.info("%s: flood limit, waiting %s s", name, exc.retry_after)
                await asyncio.sleep(exc.retry_after)
            except TelegramEntityTooLarge:
                raise
            except (TelegramServerError, TelegramNetworkError, ClientDecodeError) as exc:
                if attempt == self.attempts:
                    self._give_up(name, type(exc).__name__)
                    raise
                delay = self.first_delay * 2 ** (attempt - 1)
                log.info("%s: %s, trying again in %s s", name, type(exc).__name__, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _give_up(self, name: str, why: str) -> None:
        self.given_up += 1
        log.warning("%s: given up (%s); %d calls given up since start", name, why, self.given_up)
