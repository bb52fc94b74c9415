"""Every Bot API call of this runtime passes through `RetryMiddleware`, a session request
middleware applying the shared policy of `bot.runtime.retrying` (what is retried, how long)."""

from __future__ import annotations

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

from bot.runtime.retrying import MAX_WAIT, POLLING, Flood, Retries, Transient, Verdict

__all__ = ["MAX_WAIT", "RetryMiddleware"]


def judge(result: Any, error: BaseException | None) -> Verdict:
    if isinstance(error, TelegramRetryAfter):
        return Flood(error.retry_after)
    if isinstance(error, TelegramEntityTooLarge):  # a network error in aiogram's eyes; final
        return None
    if isinstance(error, TelegramServerError | TelegramNetworkError | ClientDecodeError):
        return Transient(type(error).__name__)
    return None


class RetryMiddleware(BaseRequestMiddleware):
    def __init__(self, retries: Retries | None = None, **policy: Any) -> None:
        self.retries = retries or Retries(**policy)

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[Any],
        bot: Bot,
        method: TelegramMethod[Any],
    ) -> Any:
        name = method.__api_method__
        if name == POLLING:
            return await make_request(bot, method)
        return await self.retries.run(name, lambda: make_request(bot, method), judge)
