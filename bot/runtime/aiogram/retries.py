"""Every Bot API call of this runtime passes through `RetryMiddleware`, a session request
middleware applying the shared policy of `bot.runtime.retrying` (what is retried, how long).
In a webhook turn it first offers the call for the webhook's answer (`bot.runtime.answering`)."""

from __future__ import annotations

from enum import Enum
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
from aiogram.types import InputFile

from bot.runtime.answering import CURRENT
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


def form(bot: Bot, method: TelegramMethod[Any]) -> dict[str, str] | None:
    """The call's fields as aiogram posts them (`AiohttpSession.build_form_data`, and its own
    webhook answers); None if it uploads a file."""
    files: dict[str, InputFile] = {}
    fields = {}
    for key, value in method.model_dump(warnings=False).items():
        prepared = bot.session.prepare_value(value, bot=bot, files=files)
        if prepared:
            # An enum (ParseMode.HTML) is posted as its value, which str() would not give.
            fields[key] = prepared.value if isinstance(prepared, Enum) else str(prepared)
    return None if files else fields


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
        turn = CURRENT.get()
        if turn is not None and await turn.offer(name, lambda: form(bot, method)):
            return True  # Telegram makes it on reading the webhook's answer; nothing comes back
        return await self.retries.run(name, lambda: make_request(bot, method), judge)
