"""What the core is asked: who (only their language), and what they did."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from functools import cached_property

from bot.catalog.model import Catalog
from bot.i18n import Texts
from bot.search import SearchIndex


@dataclass(frozen=True)
class Command:
    name: str
    args: str = ""


@dataclass(frozen=True)
class Press:
    """A button press, carrying the raw callback data: the core decides if it is stale."""

    data: str | None


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Unsupported:
    """Anything the bot does not read: stickers, voice, photos, files..."""

    kind: str


Event = Command | Press | Text | Location | Unsupported


@dataclass(frozen=True)
class Kept:
    """What storage holds about the user; looked up only when they ask to see it."""

    locale: str | None
    first_seen: dt.date | None
    last_seen: dt.date | None
    events: int
    opted_in: bool

    @property
    def empty(self) -> bool:
        return self.locale is None and not self.events and not self.opted_in


@dataclass(frozen=True)
class Request:
    """`locale` is the user's saved language. `kept` is filled in for the events
    `bot.core.privacy.wants_record` names; None there means the records could not be read.
    `adopt_language` is False when the saved language could not be read: then Telegram's
    language serves this answer but is never offered as the user's choice to save."""

    event: Event
    locale: str | None = None
    language_code: str | None = None
    kept: Kept | None = None
    adopt_language: bool = True


# One search index is built at a time: the one started in the background at start-up and a
# first question that needs it before it is done share the work instead of doing it twice.
_BUILDING = threading.Lock()


@dataclass(frozen=True)
class Context:
    """The read-only world a request is answered from."""

    catalog: Catalog
    texts: Texts

    @cached_property
    def search(self) -> SearchIndex:
        """The search index of this catalog: built once, replaced with the snapshot."""
        with _BUILDING:
            built = self.__dict__.get("search")  # by another thread while this one waited
            return built if built is not None else SearchIndex.build(self.catalog)
