"""Resolves who is asking, once per update: pseudonymous key, saved language, the language to
answer in, operator or not."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.locales import FALLBACK_LOCALE, supported
from bot.services import Services
from storage.events import DATABASE_ERRORS

log = logging.getLogger(__name__)


class UserMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        services: Services = data["services"]
        user: User | None = data.get("event_from_user")
        data["user_key"] = data["locale"] = None
        # `speaks` is for answers made outside the core (operators' commands).
        data["speaks"] = supported(user.language_code if user else None) or FALLBACK_LOCALE
        data["is_admin"] = user is not None and services.is_admin(user.id)
        if user is not None:
            data["user_key"] = services.pseudonyms.key_for(user.id)
            try:
                data["locale"] = await services.users.locale(data["user_key"])
                data["speaks"] = data["locale"] or data["speaks"]
            except DATABASE_ERRORS as exc:
                # The answer matters more than the saved choice: go on with Telegram's language.
                log.warning("could not read the saved language: %s", type(exc).__name__)
        return await handler(event, data)
