"""`/stats` for operators in `ADMIN_IDS`. Placed before the commands router: for anyone else
the filter fails and the ordinary unknown-command answer follows, with no hint of it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.core import Message as Reply
from bot.operators.chart import render_daily_users
from bot.operators.period import DEFAULT, parse_since
from bot.operators.summary import summary
from bot.runtime.aiogram.delivery import render_message, send_picture
from bot.runtime.aiogram.filters import AdminOnly
from bot.services import Services
from storage.events import DATABASE_ERRORS
from storage.retention import utc_today
from storage.stats import gather

log = logging.getLogger(__name__)


async def on_stats(
    message: Message, command: CommandObject, bot: Bot, services: Services, speaks: str, **_: Any
) -> None:
    tr = services.content.current.texts(speaks)
    chat_id = message.chat.id
    try:
        since = parse_since(command.args or DEFAULT, utc_today())
    except ValueError:
        hint = tr.gettext("Unknown period. Try /stats 7d, /stats 4w or /stats 2026-01-31.")
        await render_message(bot, chat_id, Reply(hint))
        return
    try:
        await services.events.flush()  # what was just done counts too
        stats = await gather(services.db, since)
    except DATABASE_ERRORS as exc:
        log.warning("statistics unavailable: %s", type(exc).__name__)
        unavailable = tr.gettext("Statistics are unavailable: the database cannot be reached.")
        await render_message(bot, chat_id, Reply(unavailable))
        return
    await render_message(bot, chat_id, Reply(summary(tr, stats, services.events.dropped)))
    png = await asyncio.to_thread(render_daily_users, tr, stats)
    caption = tr.gettext("Daily active users by language")
    await send_picture(bot, chat_id, png, name="jol-daily-users.png", caption=caption)


def create_router() -> Router:
    router = Router(name="admin")
    router.message.register(on_stats, AdminOnly(), Command("stats"))
    return router
