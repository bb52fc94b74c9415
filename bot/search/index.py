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

import hashlib
import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from bot.catalog.model import Catalog
from bot.catalog.telegram_html import plain_text
from bot.locales import LOCALES
from bot.search.normalise import fold, words
from bot.search.stems import stem

KEYWORD_WEIGHT = 3.0
TITLE_WEIGHT = 2.0
# BM25's saturation of repeated words in the text, and how much a long text is discounted.
K1 = 1.2
B = 0.75
# A match in a language other than the user's counts this much.
OTHER_LANGUAGE = 0.9

if TYPE_CHECKING:
    from bot.search.places import Cities
    from bot.search.ranker import Ranker
    from bot.search.scope import Scope

# postings[key] = ((article number, its weight for a kk, ru, uz and tg user), ...)
Posting = tuple[int, float, float, float, float]


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


class SearchIndex:
    """Keys (stems, whole words, pairs) to the articles that have them; immutable once built.

    `build` also learns the `ranker`, the out-of-scope model (`scope`) and the cities' names
    (`places`) from the same catalog, so one snapshot's search is one object, replaced whole by
    a reload.
    """

    ranker: Ranker
    scope: Scope
    places: Cities

    def __init__(
        self,
        articles: tuple[str, ...],
        postings: dict[str, tuple[Posting, ...]],
        idf: dict[str, float],
        keyword_of: dict[str, frozenset[int]],
    ) -> None:
        self.articles = articles
        self.postings = postings
        self.idf = idf
        # keyword_of[key]: the articles whose editors gave it as a keyword, in any language
        self.keyword_of = keyword_of
        self.keys = sorted(key for key in idf if " " not in key)
        self.by_initial: dict[str, list[str]] = defaultdict(list)
        for key in self.keys:
            self.by_initial[key[0]].append(key)

    def __contains__(self, key: str) -> bool:
        return key in self.idf

    def longer(self, key: str, most: int) -> Iterator[str]:
        """Keys that start with `key` and are at most `most` letters longer."""
        start = bisect_left(self.keys, key)
        for candidate in self.keys[start:]:
            if not candidate.startswith(key):
                return
            if len(candidate) - len(key) <= most and candidate != key:
                yield candidate

    @classmethod
    def build(cls, catalog: Catalog, *, reuse: bool = True) -> SearchIndex:
        """The index of this catalog. A catalog with the same articles and cities as one built
        recently gets that index again (`reuse`): publishing new interface strings, or the same
        content twice, does not train the ranker again."""
        key = _fingerprint(catalog)
        if reuse and key in _RECENT:
            return _RECENT[key]
        index = cls._build(catalog)
        _RECENT[key] = index
        while len(_RECENT) > KEEP_RECENT:
            del _RECENT[next(iter(_RECENT))]
        return index

    @classmethod
    def _build(cls, catalog: Catalog) -> SearchIndex:
        ids = tuple(sorted(catalog.articles))
        fields: dict[tuple[int, str], _Fields] = {}
        for number, article_id in enumerate(ids):
            article = catalog.articles[article_id]
            for language in LOCALES:
                keywords = Counter[str]()
                for keyword in article.keywords.get(language, ()):
                    keywords.update(terms(keyword, language))
                text = article.texts.get(language)
                title, body = Counter[str](), Counter[str]()
                if text is not None:
                    title.update(terms(text.title, language))
                    body.update(terms(plain_text(text.body), language))
                if keywords or text is not None:
                    fields[number, language] = _Fields(keywords, title, body)
        index = _weigh(ids, fields)
        # Imported here: both learn from the catalog and know nothing of the index's internals.
        from bot.search.places import Cities
        from bot.search.ranker import Ranker
        from bot.search.scope import Scope

        index.ranker = Ranker(catalog)
        index.scope = Scope(catalog)
        index.places = Cities(catalog)
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


def _weigh(ids: tuple[str, ...], fields: dict[tuple[int, str], _Fields]) -> SearchIndex:
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
    postings: dict[str, tuple[Posting, ...]] = {
        key: tuple(_posting(number, by_language) for number, by_language in articles.items())
        for key, articles in weights.items()
    }
    keywords = {key: frozenset(found) for key, found in keyword_of.items() if " " not in key}
    return SearchIndex(ids, postings, idf, keywords)


def _posting(number: int, by_language: dict[str, float]) -> Posting:
    """A key's weight in an article for a user of each locale: the best of its languages, those
    not the user's counting OTHER_LANGUAGE of theirs. The weights are positive and
    OTHER_LANGUAGE below 1, so the best of all languages discounted stands for the best other
    one (the user's own, when it is the best, wins either way); this runs for every posting."""
    other = max(by_language.values()) * OTHER_LANGUAGE
    kk, ru, uz, tg = (max(by_language.get(locale, 0.0), other) for locale in LOCALES)
    return number, kk, ru, uz, tg
