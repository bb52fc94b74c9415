"""The search index of one catalog snapshot, built once when the snapshot is loaded.

Every article is indexed in all its languages at once: its titles, the editors' keywords and
its text, each word under its stem skeleton (`stems.stem`) and its whole skeleton, and each
pair of neighbouring stems. A key's weight in an article is how rare the key is across
articles (idf) times what it is in the article: an editors' keyword adds KEYWORD_WEIGHT, a
word of the title TITLE_WEIGHT, and the text adds its saturated, length-normalised count
(as BM25 does). A question in Russian from a user whose interface is Uzbek still finds the
Russian text; the user's own language only weighs a little more.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
import sys
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.catalog.model import Catalog
from bot.catalog.telegram_html import plain_text
from bot.locales import LOCALES
from bot.search import apart, framing
from bot.search.normalise import fold, words
from bot.search.stems import stem

KEYWORD_WEIGHT = 3.0
TITLE_WEIGHT = 2.0
# BM25's saturation of repeated words in the text, and how much a long text is discounted.
K1 = 1.2
B = 0.75
# A match in a language other than the user's counts this much.
OTHER_LANGUAGE = 0.9
# What decides the index besides the texts: the code that folds, stems and weighs them.
_SOURCES = tuple(
    Path(__file__).with_name(name)
    for name in ("index.py", "framing.py", "normalise.py", "stems.py")
)
_PACKAGES = ("PyStemmer",)

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from bot.search.places import Cities
    from bot.search.ranker import Ranker
    from bot.search.scope import Scope

# postings[key] = ((article number, its weight for a kk, ru, uz and tg user), ...)
Posting = tuple[int, float, float, float, float]
T = TypeVar("T")


def terms(text: str, language: str) -> list[str]:
    """What a text is indexed under: each word's stem, the word itself where it differs (the
    very form a user types counts most), and each pair of neighbouring stems (`iw hak` for
    `ish haqi`): a pair is rarer than its words, so a question with two words side by side, as
    a text has them, counts more than one with them apart."""
    found = [word for word in words(text) if len(word) > 1 or word.isdigit()]
    stems = [stem(word, language) for word in found]
    whole = [fold(word) for word in found]
    pairs = [f"{a} {b}" for a, b in pairwise(stems) if a != b]
    return stems + [w for w, s in zip(whole, stems, strict=True) if w != s] + pairs


@dataclass(frozen=True)
class _Fields:
    """One article in one language, as counts of keys."""

    keywords: Counter[str]
    title: Counter[str]
    body: Counter[str]

    def keys(self) -> set[str]:
        return self.keywords.keys() | self.title.keys() | self.body.keys()


class _Slotted(Mapping[str, T]):
    """A mapping whose keys are the index's keys, each with its slot in flat arrays."""

    def __init__(self, slots: dict[str, int]) -> None:
        self._slots = slots

    def __contains__(self, key: object) -> bool:
        return key in self._slots

    def __iter__(self) -> Iterator[str]:
        return iter(self._slots)

    def __len__(self) -> int:
        return len(self._slots)


class Postings(_Slotted[tuple[Posting, ...]]):
    """postings[key]: the articles that have the key, each with its weights (`Posting`), made
    when asked for from flat arrays: a tuple and five numbers for every posting would hold
    several times the memory."""

    def __init__(
        self, slots: dict[str, int], starts: array[int], numbers: array[int], weights: array[float]
    ) -> None:
        super().__init__(slots)
        self._starts = starts  # the key in slot s has the postings starts[s]:starts[s + 1]
        self._numbers = numbers
        self._weights = weights  # four a posting, kk, ru, uz, tg

    def __getitem__(self, key: str) -> tuple[Posting, ...]:
        slot = self._slots[key]
        weights = self._weights
        return tuple(
            (self._numbers[i], *weights[4 * i : 4 * i + 4])  # type: ignore[misc]
            for i in range(self._starts[slot], self._starts[slot + 1])
        )


class Idf(_Slotted[float]):
    """idf[key]: how rare the key is across articles."""

    def __init__(self, slots: dict[str, int], values: array[float]) -> None:
        super().__init__(slots)
        self._values = values

    def __getitem__(self, key: str) -> float:
        return self._values[self._slots[key]]


_ARRAYS = (
    "starts",
    "numbers",
    "weights",
    "idf",
    "keyword_slots",
    "keyword_starts",
    "keyword_numbers",
)
_MAGIC = b"JOLINDX1"


@dataclass(frozen=True)
class Packed:
    """A built index as two strings and a few arrays, as the child that builds it sends it
    (`to_bytes`), and what `SearchIndex.__init__` makes the index of."""

    articles: str  # the article ids, one a line
    keys: str  # every key, sorted, one a line; a key's slot is its line
    starts: array[int]  # one more than there are keys
    numbers: array[int]
    weights: array[float]
    idf: array[float]
    keyword_slots: array[int]  # the keys that are an editors' keyword
    keyword_starts: array[int]
    keyword_numbers: array[int]

    def to_bytes(self) -> bytes:
        arrays = [getattr(self, name) for name in _ARRAYS]
        header = {
            "articles": self.articles,
            "keys": self.keys,
            "byteorder": sys.byteorder,
            "arrays": [[found.typecode, found.itemsize, len(found)] for found in arrays],
        }
        return framing.frame(_MAGIC, framing.encode(header), b"".join(map(bytes, arrays)))

    @classmethod
    def from_bytes(cls, data: bytes) -> Packed:
        """The index `to_bytes` wrote, here; ValueError for anything else."""
        first, data = framing.unframe(_MAGIC, data, "a keyword index")
        header = framing.header(first, "a keyword index")
        try:
            articles, keys, shapes = header["articles"], header["keys"], header["arrays"]
            foreign = header["byteorder"] != sys.byteorder
        except (KeyError, TypeError) as exc:
            raise ValueError(f"a broken keyword index ({type(exc).__name__})") from None
        at = 0
        arrays = []
        for typecode, itemsize, count in shapes:
            found = array(typecode)
            if foreign or found.itemsize != itemsize or len(data) < at + itemsize * count:
                raise ValueError("a keyword index from another machine, or cut")
            found.frombytes(data[at : at + itemsize * count])
            arrays.append(found)
            at += itemsize * count
        if at != len(data) or len(arrays) != len(_ARRAYS):
            raise ValueError("a keyword index of the wrong size")
        return cls(articles, keys, *arrays)


class SearchIndex:
    """Keys (stems, whole words, pairs) to the articles that have them; immutable once built.

    `build` also learns the `ranker`, the out-of-scope model (`scope`) and the cities' names
    (`places`) from the same catalog, so one snapshot's search is one object, replaced whole by
    a reload. `keywords` builds it with a blind ranker and scope, for serving while `learned`
    waits for the learned ones.
    """

    ranker: Ranker
    scope: Scope
    places: Cities
    fingerprint: str

    def __init__(self, packed: Packed) -> None:
        """The index of a packed one: its keys made afresh from one string, so that they lie
        together in memory."""
        count = len(packed.starts) - 1
        keys = packed.keys.split("\n") if count else []
        slots = {key: slot for slot, key in enumerate(keys)}
        self.articles = tuple(packed.articles.split("\n")) if packed.articles else ()
        self.postings = Postings(slots, packed.starts, packed.numbers, packed.weights)
        self.idf = Idf(slots, packed.idf)
        # keyword_of[key]: the articles whose editors gave it as a keyword, in any language
        self.keyword_of = {
            keys[slot]: frozenset(packed.keyword_numbers[start:end])
            for slot, (start, end) in zip(
                packed.keyword_slots, pairwise(packed.keyword_starts), strict=True
            )
        }
        self._slots = slots
        self.keys = [key for key in keys if " " not in key]
        self.by_initial: dict[str, list[str]] = defaultdict(list)
        for key in self.keys:
            self.by_initial[key[0]].append(key)

    def __contains__(self, key: str) -> bool:
        return key in self._slots

    def longer(self, key: str, most: int) -> Iterator[str]:
        """Keys that start with `key` and are at most `most` letters longer."""
        start = bisect_left(self.keys, key)
        for candidate in self.keys[start:]:
            if not candidate.startswith(key):
                return
            if len(candidate) - len(key) <= most and candidate != key:
                yield candidate

    @classmethod
    def build(
        cls, catalog: Catalog, *, models: Path | None = None, reuse: bool = True
    ) -> SearchIndex:
        """The index of this catalog with its learned ranker (`ranker.learn`, which keeps the
        model in `models`). A catalog with the same articles and cities as one built recently
        gets that index again (`reuse`): publishing new interface strings, or the same content
        twice, does not train the ranker again."""
        index = cls.keywords(catalog, models=models, reuse=reuse)
        return index if index.ranker.learned else index.learned(catalog, models)

    @classmethod
    def keywords(
        cls, catalog: Catalog, *, models: Path | None = None, reuse: bool = True
    ) -> SearchIndex:
        """The index of this catalog, built by a child process (`python -m
        bot.search.indexer`) or read from `models`; its ranker is blind (`learned` adds the
        learned one) unless a recent build of the same catalog already learned it."""
        key = _fingerprint(catalog)
        if reuse and key in _RECENT:
            return _RECENT[key]
        # Imported here: both learn from the catalog and know nothing of the index's internals.
        from bot.search.places import Cities
        from bot.search.ranker import Ranker
        from bot.search.scope import Scope

        payload = texts(catalog)
        try:
            packed = apart.built(
                "bot.search.indexer",
                payload,
                Packed.from_bytes,
                models=models,
                key=apart.digest(payload, _SOURCES, _PACKAGES),
                suffix=".index",
            )
        except apart.BuildFailed as exc:
            # Without it no typed question is answered: built here, at the cost of the memory
            # the child would have spared.
            log.error("search index: its child failed (%s); built in this process", exc.reason)
            packed = pack(payload)
        index = cls(packed)
        index.ranker = Ranker.blind(catalog)
        index.scope = Scope.blind()
        index.places = Cities(catalog)
        index.fingerprint = key
        return index

    def learned(self, catalog: Catalog, models: Path | None = None) -> SearchIndex:
        """This index with the ranker and the out-of-scope model learned from `catalog` (the
        one it was built from): a new index sharing everything else. Raises
        `apart.BuildFailed`."""
        from bot.search.learned import learn

        index = copy.copy(self)
        index.ranker, index.scope = learn(catalog, models)
        _RECENT[self.fingerprint] = index
        while len(_RECENT) > KEEP_RECENT:
            del _RECENT[next(iter(_RECENT))]
        return index


# Indexes of the last few catalogs built, by their fingerprint (the current one and the one
# before a reload; tests build the same content many times).
KEEP_RECENT = 2
_RECENT: dict[str, SearchIndex] = {}


def _fingerprint(catalog: Catalog) -> str:
    """What the index is made of: every article and city, as their values print."""
    digest = hashlib.sha256()
    for article_id in sorted(catalog.articles):
        digest.update(repr(catalog.articles[article_id]).encode())
    for city_id in sorted(catalog.cities):
        digest.update(repr(catalog.cities[city_id]).encode())
    return digest.hexdigest()


def texts(catalog: Catalog) -> bytes:
    """What the index is built from, as the child that builds it is sent it: the articles'
    ids, and each article's keywords, title and plain text in each language."""
    ids = sorted(catalog.articles)
    fields = []
    for number, article_id in enumerate(ids):
        article = catalog.articles[article_id]
        for language in LOCALES:
            keywords = list(article.keywords.get(language, ()))
            text = article.texts.get(language)
            if keywords or text is not None:
                title, body = (text.title, plain_text(text.body)) if text else (None, None)
                fields.append([number, language, keywords, title, body])
    return json.dumps({"articles": ids, "fields": fields}, ensure_ascii=False).encode()


def pack(payload: bytes) -> Packed:
    """The index of what `texts` sent (in the child process)."""
    sent = json.loads(payload)
    ids: list[str] = sent["articles"]
    fields: dict[tuple[int, str], _Fields] = {}
    for number, language, keyword_list, title_text, body_text in sent["fields"]:
        keywords = Counter[str]()
        for keyword in keyword_list:
            keywords.update(terms(keyword, language))
        title, body = Counter[str](), Counter[str]()
        if title_text is not None:
            title.update(terms(title_text, language))
            body.update(terms(body_text, language))
        fields[number, language] = _Fields(keywords, title, body)
    in_articles: dict[str, set[int]] = defaultdict(set)
    keyword_of: dict[str, set[int]] = defaultdict(set)
    for (number, _language), found in fields.items():
        for key in found.keys():
            in_articles[key].add(number)
        for key in found.keywords:
            keyword_of[key].add(number)
    count = len(ids)
    idf = {
        key: math.log(1 + (count - len(found) + 0.5) / (len(found) + 0.5))
        for key, found in in_articles.items()
    }
    lengths = [sum(found.body.values()) for found in fields.values()]
    average = sum(lengths) / len(lengths) if lengths else 1.0
    # weights[key][article][language]
    weights: dict[str, dict[int, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for (number, language), found in fields.items():
        norm = 1 - B + B * sum(found.body.values()) / average
        for key in found.keys():
            tf = found.body[key] / norm
            weight = (
                KEYWORD_WEIGHT * (key in found.keywords)
                + TITLE_WEIGHT * (key in found.title)
                + tf * (K1 + 1) / (tf + K1)
            )
            weights[key][number][language] = idf[key] * weight
    keys = sorted(weights)
    packed = Packed(
        "\n".join(ids),
        "\n".join(keys),
        array("I", [0]),
        array("H"),
        array("d"),
        array("d", (idf[key] for key in keys)),
        array("I"),
        array("I", [0]),
        array("H"),
    )
    for slot, key in enumerate(keys):
        for number, by_language in weights[key].items():
            packed.numbers.append(number)
            packed.weights.extend(_posting(by_language))
        packed.starts.append(len(packed.numbers))
        if key in keyword_of and " " not in key:
            packed.keyword_slots.append(slot)
            packed.keyword_numbers.extend(sorted(keyword_of[key]))
            packed.keyword_starts.append(len(packed.keyword_numbers))
    return packed


def _posting(by_language: dict[str, float]) -> tuple[float, float, float, float]:
    """A key's weight in an article for a user of each locale: the best of its languages, those
    not the user's counting OTHER_LANGUAGE of theirs. The weights are positive and
    OTHER_LANGUAGE below 1, so the best of all languages discounted stands for the best other
    one (the user's own, when it is the best, wins either way); this runs for every posting."""
    other = max(by_language.values()) * OTHER_LANGUAGE
    kk, ru, uz, tg = (max(by_language.get(locale, 0.0), other) for locale in LOCALES)
    return kk, ru, uz, tg
