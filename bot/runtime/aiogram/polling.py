"""Long polling that one unreadable update cannot stop.

aiogram reads a whole `getUpdates` batch as `list[Update]`: one update it cannot parse (a new
Bot API field of the wrong shape, a forged one) fails the batch, the offset never moves and
nobody behind it is answered, while the error (quoting names and texts) is logged again and
again. Here the batch is fetched as raw JSON, each update is parsed on its own, one that fails
is skipped, counted and logged by its id and type only, and the offset moves past it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.dispatcher.dispatcher import DEFAULT_BACKOFF_CONFIG
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.utils.backoff import Backoff, BackoffConfig
from pydantic import ValidationError

log = logging.getLogger(__name__)

# What Jol answers; Telegram sends nothing else, so nothing else needs reading.
ALLOWED_UPDATES = ["message", "callback_query"]


class RawUpdates(TelegramMethod[list[dict[str, Any]]]):
    """`getUpdates`, answered as plain JSON objects instead of parsed `Update`s."""

    __returning__ = list[dict[str, Any]]
    __api_method__ = "getUpdates"

    offset: int | None = None
    limit: int | None = None
    timeout: int | None = None
    allowed_updates: list[str] | None = None


def _kind(raw: dict[str, Any]) -> str:
    """The update's type (`message`, `callback_query`...), never its content."""
    kinds = [key for key in raw if key != "update_id"]
    return kinds[0] if len(kinds) == 1 else "unknown"


class PollingDispatcher(Dispatcher):
    """A `Dispatcher` whose polling reads each update on its own."""

    skipped = 0  # updates that could not be read, since start (per dispatcher)

    async def _listen_updates(  # type: ignore[override]
        self,
        bot: Bot,
        polling_timeout: int = 30,
        backoff_config: BackoffConfig = DEFAULT_BACKOFF_CONFIG,
        allowed_updates: list[str] | None = None,
    ) -> AsyncGenerator[Update, None]:
        backoff = Backoff(config=backoff_config)
        fetch = RawUpdates(timeout=polling_timeout, allowed_updates=allowed_updates)
        kwargs = {}
        if bot.session.timeout:
            kwargs["request_timeout"] = int(bot.session.timeout + polling_timeout)
        while True:
            try:
                batch = await bot(fetch, **kwargs)
            except Exception as exc:  # polling must outlive any failure
                # The type only: the error's text may quote the updates.
                log.error("could not fetch updates (%s); trying again", type(exc).__name__)
                await backoff.asleep()
                continue
            backoff.reset()
            for raw in batch:
                update_id = raw.get("update_id") if isinstance(raw, dict) else None
                if isinstance(update_id, int):
                    fetch.offset = max(fetch.offset or 0, update_id + 1)
                try:
                    update = Update.model_validate(raw, context={"bot": bot})
                except ValidationError:
                    self.skipped += 1
                    kind = _kind(raw) if isinstance(raw, dict) else "unknown"
                    log.warning(
                        "update %s (%s) could not be read and is skipped; %d skipped since start",
                        update_id,
                        kind,
                        self.skipped,
                    )
                    continue
                yield update
