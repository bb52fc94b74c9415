"""Filters over what `UserMiddleware` resolved."""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import TelegramObject


class AdminOnly(Filter):
    """Passes only for operators in `ADMIN_IDS`; everyone else falls through to the next router,
    so a non-admin gets the ordinary answer and no hint that admin commands exist."""

    async def __call__(self, event: TelegramObject, is_admin: bool = False, **_: Any) -> bool:
        return is_admin
