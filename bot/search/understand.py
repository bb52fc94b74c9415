"""What a typed message asks for: an article, a place, urgent help, small talk, or nothing we cover.

`understand()` is what the evaluation (`jol search eval`) measures. This body is the baseline:
today's keyword search, which only tells "article" from "decline"; a ranker that also
recognises places, distress and small talk replaces it and keeps `Understanding` as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.locales import FALLBACK_LOCALE
from bot.search.index import SearchIndex
from bot.search.rank import search


@dataclass(frozen=True)
class Understanding:
    intent: str  # "article" | "place" | "distress" | "smalltalk" | "decline"
    # ranked article ids (for "article"; for "distress" the fitting ones)
    articles: tuple[str, ...] = ()
    place_kind: str | None = None  # centre kind for "place"
    city: str | None = None  # city id for "place"
    country: str | None = None  # "uz" | "tj" | "kg" for consulates
    ambiguous: bool = False


def understand(index: SearchIndex, text: str, locale: str | None) -> Understanding:
    hits = search(index, text, locale or FALLBACK_LOCALE)
    if not hits:
        return Understanding("decline")
    return Understanding("article", tuple(hit.article for hit in hits))
