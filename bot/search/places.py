"""Which kind of place and which city a message names (see places.yaml and each city's
`name:` and `aliases:` in content/centres).

A city's name matches with the endings of the four languages: its skeleton less a final vowel
is enough (`Алматы` is found in `в алмате`, `almatida`, `Алматыда`), followed by at most
MAX_ENDING letters.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalog.model import Catalog, Centre
from bot.search.lexicon import Lexicon, Message, entries, read
from bot.search.normalise import fold, words

MAX_ENDING = 5
MIN_CITY_STEM = 4
HEAD = 3
VOWELS = "aeiou"

_DATA = read("places.yaml")
KINDS = {kind: entries(found) for kind, found in _DATA["kinds"].items()}
ANY = entries(_DATA["any"])
WHERE = entries(_DATA["where"])
COUNTRIES = {country: entries(found) for country, found in _DATA["countries"].items()}


@dataclass(frozen=True)
class Place:
    kind: str | None
    city: str | None
    country: str | None
    where: bool  # a word asking where something is
    generic: bool  # "a centre that helps migrants": a place of any kind
    taken: frozenset[int]  # the positions of the words that named all this
    city_taken: frozenset[int] = frozenset()  # the positions of the city's name


def _city_stem(skeleton: str) -> str:
    if len(skeleton) > MIN_CITY_STEM and skeleton[-1] in VOWELS:
        return skeleton[:-1]
    return skeleton


class Cities:
    """Every way of writing each city's name, as skeleton stems of one or more words."""

    def __init__(self, catalog: Catalog) -> None:
        names: list[tuple[tuple[str, ...], str]] = []
        for city in sorted(catalog.cities.values(), key=lambda c: c.id):
            for name in {*city.name.values(), *city.aliases, city.id}:
                parts = tuple(_city_stem(fold(word)) for word in words(name))
                if parts and all(parts):
                    names.append((parts, city.id))
        # Longer names first, so `Нур-Султан` is not read as two cities; filed under their
        # first letters, so a message looks up only the names its words could begin.
        self.names = sorted(set(names), key=lambda item: (-len(item[0]), item))
        self.by_head: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for parts, city_id in self.names:
            self.by_head.setdefault(parts[0][:HEAD], []).append((parts, city_id))

    def find(self, message: Message) -> tuple[str | None, set[int]]:
        tokens = message.tokens
        found: list[tuple[int, int, str, int]] = []
        for start, token in enumerate(tokens):
            for parts, city in self.by_head.get(token[:HEAD], ()):
                window = tokens[start : start + len(parts)]
                if len(window) == len(parts) and all(
                    token.startswith(part) and len(token) - len(part) <= MAX_ENDING
                    for token, part in zip(window, parts, strict=True)
                ):
                    found.append((-len(parts), start, city, len(parts)))
        if not found:
            return None, set()
        _, start, city, length = min(found)
        return city, set(range(start, start + length))


def _first(message: Message, groups: dict[str, Lexicon]) -> tuple[str | None, set[int]]:
    for name, found in groups.items():
        taken = message.matched(found)
        if taken:
            return name, taken
    return None, set()


def find(cities: Cities, message: Message) -> Place:
    kind, kind_taken = _first(message, KINDS)
    city, city_taken = cities.find(message)
    country, country_taken = _first(message, COUNTRIES)
    generic = message.matched(ANY)
    where = message.matched(WHERE)
    taken = kind_taken | city_taken | country_taken | generic | where
    return Place(
        kind, city, country, bool(where), bool(generic), frozenset(taken), frozenset(city_taken)
    )


def centre_country(centre: Centre) -> str | None:
    """The country a consulate serves: its `country:` where the centres file gives one, else
    the country its name says."""
    given = getattr(centre, "country", None)
    if given:
        return str(given)
    return _first(Message(" ".join(centre.name.values())), COUNTRIES)[0]
