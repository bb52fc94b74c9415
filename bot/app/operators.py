"""Operators' commands: `/stats [period]` and `/reload` (publishing, also what SIGHUP does)."""

from __future__ import annotations

import asyncio
import logging

from bot.app.plan import Output, Picture
from bot.core.publishing import publish_message
from bot.core.replies import Message
from bot.i18n import Translator
from bot.operators.chart import render_daily_users
from bot.operators.period import DEFAULT, parse_since
from bot.operators.summary import summary
from bot.services import Services
from storage.events import DATABASE_ERRORS
from storage.retention import utc_today
from storage.stats import gather

log = logging.getLogger(__name__)

CHART_NAME = "jol-daily-users.png"


async def stats(services: Services, tr: Translator, args: str) -> tuple[Output, ...]:
    """The summary and the chart of daily users, or why they cannot be given."""
    try:
        since = parse_since(args or DEFAULT, utc_today())
    except ValueError:
        hint = tr.gettext("Unknown period. Try /stats 7d, /stats 4w or /stats 2026-01-31.")
        return (Message(hint),)
    try:
        await services.events.flush()  # what was just done counts too
        gathered = await gather(services.db, since)
    except DATABASE_ERRORS as exc:
        log.warning("statistics unavailable: %s", type(exc).__name__)
        return (Message(tr.gettext("Statistics are unavailable: the database cannot be reached.")),)
    text = summary(tr, gathered, services.events.dropped)
    # Drawing takes a while: off the event loop, so other users are answered meanwhile.
    png = await asyncio.to_thread(render_daily_users, tr, gathered)
    caption = tr.gettext("Daily active users by language")
    return (Message(text), Picture(png, CHART_NAME, caption))


async def publish(services: Services, locale: str, *, force: bool = False) -> tuple[bool, Message]:
    """Reload content off the event loop; whether it was published, and what to tell.

    `force` publishes even a catalog that lost most of its articles (`/reload force`).
    """
    result = await asyncio.to_thread(lambda: services.content.reload(force=force))
    tr = result.context.texts(locale)
    return result.ok, publish_message(tr, result.ok, result.context.catalog, result.problems)
