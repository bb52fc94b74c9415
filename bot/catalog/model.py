"""The content as the bot serves it: validated, immutable values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    contacts: tuple[str, ...] = ()  # numbers shown at the top of the section (contacts.yaml ids)


class ArticleText(Frozen):
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(min_length=1)
    translated_from: str | None = None


class VerifyItem(Frozen):
    """A fact not settled by the sources: what the reader is told, and what editors must check.

    `detail` is shown next to the article's or centre's end, in the reader's language;
    `check` is the internal note (English) saying what to confirm and with whom.
    """

    detail: dict[str, str]
    check: str = Field(min_length=3)

    def shown(self, locale: str) -> str:
        return pick(self.detail, locale)[0]


# A plain string is the older form: it names no reader-facing detail (`jol content check` warns).
Verify = VerifyItem | str


def reader_details(items: tuple[Verify, ...], locale: str) -> list[str]:
    """What the reader is warned of: the detail of every item in the reader-facing form."""
    return [item.shown(locale) for item in items if isinstance(item, VerifyItem)]


class Article(Frozen):
    id: str = Field(pattern=SLUG)
    section: str
    order: int = 100
    reviewed: dt.date
    sources: tuple[Source, ...] = Field(min_length=1)
    verify: tuple[Verify, ...] = ()
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
    """Whether the team has confirmed the centre itself (by phone or visit), and when."""

    status: Literal["verified", "unverified"]
    date: dt.date
    note: str | None = None  # the older, editors-only form; `verify:` items say it to readers


Grade = Literal["confirmed", "dated"]


class Contact(Frozen):
    """A phone number written once in `content/contacts.yaml`, used by centres and articles.

    `grade: confirmed` numbers (official and recent) are shown as they are; `dated` ones are
    shown with the date of their source and "check before you go". What the sources grade
    "do not publish" is not written here at all.
    """

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    number: str = Field(min_length=3)
    what: dict[str, str]
    source: str
    place: str | None = None
    date: dt.date
    grade: Grade
    group: Literal["emergency", "hotline", "mission", "office"] = "office"


class Dated(Frozen):
    """A fact about a place in four languages, with the source it comes from and its date."""

    text: dict[str, str]
    source: str
    place: str | None = None
    date: dt.date
    grade: Grade = "confirmed"


class Website(Frozen):
    """An official site or locator (e.g. the official list of addresses) for a place."""

    url: str = Field(pattern=r"^https://")
    what: dict[str, str]


class City(Frozen):
    id: str = Field(pattern=SLUG)
    name: dict[str, str]
    location: tuple[float, float]
    # Other ways people write the city's name, in any language or script ("Алмата", "Nur-Sultan").
    aliases: tuple[str, ...] = ()


KIND_ORDER = ("public_service", "migration", "ngo", "red_crescent", "consulate")


class Centre(Frozen):
    """A place a migrant can go to, with only what is known about it.

    Known facts each carry their source and date: `address`, `hours`, `contacts` (ids in
    contacts.yaml), `website`. Without an address the centre is known only by its city
    (`precision: city`, `location` the city's point). `status: historical` keeps a place the
    sources describe but nothing shows still operates: it is not offered as a place to go.
    """

    id: str = Field(pattern=SLUG)
    city: str = ""
    kind: Literal["public_service", "migration", "ngo", "red_crescent", "consulate"]
    status: Literal["active", "historical"] = "active"
    country: Literal["uz", "tj", "kg"] | None = None  # whose mission a consulate is
    name: dict[str, str]
    address: Dated | None = None
    hours: Dated | None = None
    contacts: tuple[str, ...] = ()
    website: Website | None = None
    languages: tuple[str, ...] = ()
    location: tuple[float, float]
    precision: Literal["exact", "approximate", "city"] = "exact"
    verification: Verification
    verify: tuple[Verify, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Centre:
        if (self.kind == "consulate") != (self.country is not None):
            raise ValueError("a consulate or embassy needs `country: uz|tj|kg`, nothing else has")
        if self.address is None and self.precision == "exact":
            raise ValueError("`precision: exact` needs an `address`; without one use `city`")
        return self

    @property
    def active(self) -> bool:
        return self.status == "active"


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
        contacts: Mapping[str, Contact] | None = None,
    ) -> None:
        self.sections = sections
        self.articles = MappingProxyType(dict(articles))
        self.cities = MappingProxyType(dict(cities))
        self.centres = MappingProxyType(dict(centres))
        self.registry = MappingProxyType(dict(registry or {}))
        self.contacts = MappingProxyType(dict(contacts or {}))
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
        """The places to go in a city, public services first; historical ones are not among them."""
        found = (c for c in self.centres.values() if c.city == city_id and c.active)
        return sorted(found, key=lambda c: (KIND_ORDER.index(c.kind), c.id))

    def missions_of(self, country: str) -> list[Centre]:
        """A country's embassy and consulates in Kazakhstan."""
        found = (c for c in self.centres.values() if c.country == country and c.active)
        return sorted(found, key=lambda c: c.id)

    def contacts_in(self, group: str) -> list[Contact]:
        return [c for c in self.contacts.values() if c.group == group]

    def cities_sorted(self, locale: str) -> list[City]:
        return sorted(self.cities.values(), key=lambda c: pick(c.name, locale)[0])
