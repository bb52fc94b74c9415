"""The content as the bot serves it: validated, immutable values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.locales import FALLBACK_LOCALE

SLUG = r"^[a-z0-9][a-z0-9-]{0,39}$"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def pick(texts: Mapping[str, str], locale: str) -> tuple[str, bool]:
    """The text in `locale`, else in the fallback language; the flag says a fallback was used."""
    if texts.get(locale):
        return texts[locale], False
    return texts.get(FALLBACK_LOCALE, ""), True


class Source(Frozen):
    """Where a fact comes from: a document in the project's sources, a law or an official body.

    `title` is what users see, one text or one per language; `document` and `place` (file and
    line of a source document, or article of a law) are for editors who check the fact.
    `source` is the id in `content/sources.yaml` when the source was cited from there.
    """

    def shown(self, locale: str) -> str:
        return self.title if isinstance(self.title, str) else pick(self.title, locale)[0]

    title: str | dict[str, str]
    document: str | None = None
    place: str | None = None
    url: str | None = None
    source: str | None = None


class SourceEntry(Frozen):
    """A source written once in `content/sources.yaml` and cited by its id from anywhere."""

    id: str = Field(pattern=SLUG)
    kind: Literal["document", "law", "official", "press"]
    title: dict[str, str]
    document: str | None = None
    url: str | None = None

    def cited(self, place: str | None) -> Source:
        """The source as one article or centre cites it, at its own place."""
        return Source(
            title=self.title, document=self.document, place=place, url=self.url, source=self.id
        )


class Citation(Frozen):
    """`- source: <id>` in an article's or a centre's `sources:`, with the place it cites."""

    source: str
    place: str | None = None


class Section(Frozen):
    id: str = Field(pattern=SLUG)
    kind: Literal["articles", "centres"] = "articles"
    icon: str = ""
    title: dict[str, str]


class ArticleText(Frozen):
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(min_length=1)
    translated_from: str | None = None


class Article(Frozen):
    id: str = Field(pattern=SLUG)
    section: str
    order: int = 100
    reviewed: dt.date
    sources: tuple[Source, ...] = Field(min_length=1)
    verify: tuple[str, ...] = ()
    keywords: dict[str, tuple[str, ...]] = {}
    # Questions as migrants type them, per language, from examples.yaml: what the ranker learns.
    examples: dict[str, tuple[str, ...]] = {}
    related: tuple[str, ...] = ()
    texts: dict[str, ArticleText] = {}

    def text(self, locale: str) -> tuple[ArticleText, bool]:
        if locale in self.texts:
            return self.texts[locale], False
        return self.texts[FALLBACK_LOCALE], True


class Verification(Frozen):
    status: Literal["verified", "unverified"]
    date: dt.date
    note: str | None = None


class City(Frozen):
    id: str = Field(pattern=SLUG)
    name: dict[str, str]
    location: tuple[float, float]
    # Other ways people write the city's name, in any language or script ("Алмата", "Nur-Sultan").
    aliases: tuple[str, ...] = ()


class Centre(Frozen):
    id: str = Field(pattern=SLUG)
    city: str = ""
    kind: Literal["public_service", "migration", "consulate", "ngo", "red_crescent"]
    name: dict[str, str]
    address: dict[str, str]
    hours: dict[str, str] = {}
    phones: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    location: tuple[float, float]
    precision: Literal["exact", "approximate", "city"] = "exact"
    verification: Verification
    sources: tuple[Source, ...] = Field(min_length=1)


class Catalog:
    """An immutable snapshot of all content; a reload builds a new one."""

    def __init__(
        self,
        sections: tuple[Section, ...],
        articles: Mapping[str, Article],
        cities: Mapping[str, City],
        centres: Mapping[str, Centre],
        origins: Mapping[str, tuple[str, int | None]] | None = None,
        registry: Mapping[str, SourceEntry] | None = None,
    ) -> None:
        self.sections = sections
        self.articles = MappingProxyType(dict(articles))
        self.cities = MappingProxyType(dict(cities))
        self.centres = MappingProxyType(dict(centres))
        self.registry = MappingProxyType(dict(registry or {}))
        self._sections = {s.id: s for s in sections}
        self._origins = MappingProxyType(dict(origins or {}))

    def where(self, kind: str, *ids: str) -> tuple[str, int | None]:
        """The file and line an item (or one of its fields) was read from, for editors."""
        parts = (kind, *ids)
        for end in range(len(parts), 1, -1):
            found = self._origins.get(":".join(parts[:end]))
            if found:
                return found
        return "content", None

    def section(self, section_id: str) -> Section | None:
        return self._sections.get(section_id)

    def articles_in(self, section_id: str) -> list[Article]:
        found = [a for a in self.articles.values() if a.section == section_id]
        return sorted(found, key=lambda a: (a.order, a.id))

    def centres_in(self, city_id: str) -> list[Centre]:
        return sorted((c for c in self.centres.values() if c.city == city_id), key=lambda c: c.id)

    def cities_sorted(self, locale: str) -> list[City]:
        return sorted(self.cities.values(), key=lambda c: pick(c.name, locale)[0])
