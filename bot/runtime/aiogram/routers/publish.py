"""`/reload` for operators: publish edited content and locales without a restart."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Message

from bot.core.publishing import publish_message
from bot.runtime.aiogram.delivery import render_message
from bot.runtime.aiogram.filters import AdminOnly
from bot.services import Services

log = logging.getLogger(__name__)


async def publish(
    bot: Bot, services: Services, chat_ids: list[int], locale: str, *, force: bool = False
) -> bool:
    """Reload off the event loop, then tell the operators how it went."""
    result = await asyncio.to_thread(lambda: services.content.reload(force=force))
    tr = result.context.texts(locale)
    reply = publish_message(tr, result.ok, result.context.catalog, result.problems)
    for chat_id in chat_ids:
        try:
            await render_message(bot, chat_id, reply)
        except TelegramAPIError as exc:  # an operator who never opened a chat with the bot
            log.warning("could not tell operator about the reload: %s", type(exc).__name__)
    return result.ok


async def on_reload(message: Message, bot: Bot, services: Services, speaks: str, **_: Any) -> None:
    # `/reload force` publishes even a catalog that lost most of its articles.
    force = (message.text or "").split()[1:] == ["force"]
    await publish(bot, services, [message.chat.id], speaks, force=force)


def create_router() -> Router:
    router = Router(name="publish")
    router.message.register(on_reload, F.text.regexp(r"^/reload(@\w+)?( force)?$"), AdminOnly())
    return router
