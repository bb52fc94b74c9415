"""What the core is asked: who (only their language), and what they did."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from bot.catalog.model import Catalog
from bot.core.inventory import Retention
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
    talking: bool = False
    reporting: bool = False

    @property
    def empty(self) -> bool:
        return (
            self.locale is None
            and not self.events
            and not self.opted_in
            and not self.talking
            and not self.reporting
        )


@dataclass(frozen=True)
class Request:
    """`locale` is the user's saved language. `kept` is filled in for the events
    `bot.core.privacy.wants_record` names; None there means the records could not be read.
    `adopt_language` is False when the saved language could not be read: then Telegram's
    language serves this answer but is never offered as the user's choice to save.
    `pending` is what the user's next text answers (a report's details)."""

    event: Event
    locale: str | None = None
    language_code: str | None = None
    kept: Kept | None = None
    adopt_language: bool = True
    pending: str | None = None


@dataclass(frozen=True)
class Desk:
    """The operators' desk behind "talk to a person", as it is at the moment of the request."""

    organisation: str
    hours: str  # as configured, e.g. "Mon-Fri 09:00-18:00"
    timezone: str
    reply_hours: int
    open_now: bool
    next_opening: dt.datetime | None  # local time, when closed now


# One search index is built at a time: the one started in the background at start-up and a
# first question that needs it before it is done share the work instead of doing it twice.
_BUILDING = threading.Lock()


@dataclass(frozen=True)
class Context:
    """The read-only world a request is answered from. `desk` is None when no operators'
    group is set up, and then nobody is offered a person to talk to."""

    catalog: Catalog
    texts: Texts
    desk: Desk | None = None
    retention: Retention = field(default_factory=Retention)
    # Shared by every copy made with `configured`, so the index is built once per snapshot.
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def search(self) -> SearchIndex:
        """The search index of this catalog: built once, replaced with the snapshot."""
        index = self._cache.get("search")
        if index is None:
            index = self.build_search(SearchIndex.build)
        return index

    def build_search(self, build: Callable[[Catalog], SearchIndex]) -> SearchIndex:
        """This catalog's index, made by `build` unless another thread made one already."""
        with _BUILDING:
            index = self._cache.get("search")  # by another thread while this one waited
            if index is None:
                index = self._cache["search"] = build(self.catalog)
        return index

    def serve_search(self, index: SearchIndex) -> None:
        """Serve `index` from now on: this catalog's, with a ranker learned meanwhile."""
        self._cache["search"] = index

    def configured(self, desk: Desk | None, retention: Retention) -> Context:
        """This snapshot with the running bot's desk and retention periods."""
        if desk == self.desk and retention == self.retention:
            return self
        return replace(self, desk=desk, retention=retention)
