"""Users' saved languages, served from memory so that an update normally needs no database read.

A lookup has three answers: a saved language, `None` (nothing saved), or `UNKNOWN` (the database
could not be read). `UNKNOWN` is never cached and never leads to a write: a reply in Telegram's
language is fine for a moment, overwriting the user's choice with it is not.

Every change goes through `set` or `invalidate`, so that a cache shared by replicas (e.g. over
Redis) can replace this one without the application changing.
"""

from __future__ import annotations

import enum
import logging
from collections import OrderedDict

from storage.events import DATABASE_ERRORS
from storage.users import UserStore

log = logging.getLogger(__name__)

CAPACITY = 100_000  # users remembered; the least recently seen are forgotten first


class Unknown(enum.Enum):
    UNKNOWN = "unknown"


UNKNOWN = Unknown.UNKNOWN
Saved = str | None | Unknown


class SavedLanguages:
    def __init__(self, users: UserStore, capacity: int = CAPACITY) -> None:
        self._users = users
        self._capacity = capacity
        self._known: OrderedDict[str, str | None] = OrderedDict()
        self.reads = 0  # database reads, for tests and figures

    async def get(self, user_key: str) -> Saved:
        if user_key in self._known:
            self._known.move_to_end(user_key)
            return self._known[user_key]
        self.reads += 1
        try:
            locale = await self._users.locale(user_key)
        except DATABASE_ERRORS as exc:
            log.warning("could not read the saved language: %s", type(exc).__name__)
            return UNKNOWN
        self._remember(user_key, locale)
        return locale

    async def save(self, user_key: str, locale: str) -> bool:
        """Save a choice; False if the database refused (then the database stays the truth)."""
        try:
            await self._users.set_locale(user_key, locale)
        except DATABASE_ERRORS as exc:
            log.warning("could not save the language choice: %s", type(exc).__name__)
            self.invalidate(user_key)
            return False
        self.set(user_key, locale)
        return True

    def set(self, user_key: str, locale: str | None) -> None:
        self._remember(user_key, locale)

    def invalidate(self, user_key: str) -> None:
        self._known.pop(user_key, None)

    def _remember(self, user_key: str, locale: str | None) -> None:
        self._known[user_key] = locale
        self._known.move_to_end(user_key)
        while len(self._known) > self._capacity:
            self._known.popitem(last=False)
