"""Long polling that one unreadable update cannot stop.

PTB's `Bot.get_updates` parses a whole batch at once: one update it cannot read (a new Bot API
field of the wrong shape, a forged one) fails the batch, which is fetched again and again, and
PTB logs the raw batch (names and texts) each time. `PollingBot.get_updates` parses each update
on its own: one that fails is skipped, counted and logged by its id and type only, and the next
`getUpdates` confirms it even when it was the last of its batch (PTB's `Updater` moves the offset
past the last update it was given, which is not the skipped one then).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from telegram import Update
from telegram._utils.types import JSONDict, ODVInput, TimePeriod
from telegram.ext import ExtBot
from telegram.request import BaseRequest

log = logging.getLogger(__name__)

# What Jol answers; Telegram sends nothing else, so nothing else needs reading.
ALLOWED_UPDATES = ["message", "callback_query"]


def _kind(raw: dict[str, Any]) -> str:
    """The update's type (`message`, `callback_query`...), never its content."""
    kinds = [key for key in raw if key != "update_id"]
    return kinds[0] if len(kinds) == 1 else "unknown"


@dataclass
class Reading:
    skipped: int = 0  # updates that could not be read, since start
    floor: int = 0  # the offset that confirms every update seen so far


class PollingBot(ExtBot[None]):
    """An `ExtBot` whose `get_updates` reads each update on its own."""

    __slots__ = ("reading",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():  # PTB objects refuse new attributes once built
            self.reading = Reading()

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: TimePeriod | None = None,  # noqa: ASYNC109 (PTB's signature)
        allowed_updates: Sequence[str] | None = None,
        *,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        api_kwargs: JSONDict | None = None,
    ) -> tuple[Update, ...]:
        seconds = timeout.total_seconds() if isinstance(timeout, dt.timedelta) else timeout or 0
        if isinstance(read_timeout, float | int):
            wait: float = read_timeout
        else:
            wait = self._request[0].read_timeout or 0
        data: JSONDict = {
            "timeout": timeout,
            "offset": max(offset or 0, self.reading.floor) or None,
            "limit": limit,
            "allowed_updates": allowed_updates,
        }
        batch = cast(
            "list[Any]",
            await self._post(
                "getUpdates",
                data,
                read_timeout=wait + seconds,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
                api_kwargs=api_kwargs,
            ),
        )
        updates = []
        for raw in batch:
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            if isinstance(update_id, int):
                self.reading.floor = max(self.reading.floor, update_id + 1)
            try:
                update = Update.de_json(raw, self)
            except Exception:
                self.reading.skipped += 1
                kind = _kind(raw) if isinstance(raw, dict) else "unknown"
                log.warning(
                    "update %s (%s) could not be read and is skipped; %d skipped since start",
                    update_id,
                    kind,
                    self.reading.skipped,
                )
                continue
            self.insert_callback_data(update)
            updates.append(update)
        return tuple(updates)
