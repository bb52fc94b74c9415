"""A question in, the likeliest articles out, or none when nothing fits.

Each word of the question adds to each article the best weight that any of its matched keys
(`match.matches`) has there, times how sure the match is; each two neighbouring words add the
weight of their pair, where the text has them side by side. Stopwords count only in pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from bot.locales import FALLBACK_LOCALE, LOCALES
from bot.search.index import Posting, SearchIndex
from bot.search.match import NEAR, is_stopword, matches, pair_keys
from bot.search.normalise import words

# Long texts are cut before any work is done: a question is a line or two, never a page.
MAX_QUERY_CHARS = 300
MAX_WORDS = 16

# An answer needs MIN_SCORE, or a word the editors gave as the article's keyword; and it must
# explain at least MIN_COVERAGE of the question's words. Others are offered from RELATED of
# the best score.
MIN_SCORE = 5.0
MIN_COVERAGE = 1 / 3
RELATED = 0.4

COLUMN = {locale: column for column, locale in enumerate(LOCALES, start=1)}


@dataclass(frozen=True)
class Hit:
    article: str
    score: float
    words: tuple[str, ...]  # the question's words that matched this article


def question_words(text: str) -> list[str]:
    """The words of a question worth looking up, each once, however long the text."""
    found = [word for word in words(text[:MAX_QUERY_CHARS]) if len(word) > 1 or word.isdigit()]
    return list(dict.fromkeys(found))[:MAX_WORDS]


def asks_anything(text: str) -> bool:
    """Whether the text has a word to look up: not just a greeting, a thank-you or an emoji."""
    return any(not is_stopword(word) for word in question_words(text))


def _best(
    postings: Mapping[str, tuple[Posting, ...]], keys: dict[str, float], column: int
) -> dict[int, float]:
    """For each article, the best of these keys' weights in it, times their certainty."""
    best: dict[int, float] = {}
    for key, certainty in keys.items():
        for posting in postings.get(key, ()):
            value = certainty * posting[column]
            if value > best.get(posting[0], 0.0):
                best[posting[0]] = value
    return best


class _Tally:
    def __init__(self) -> None:
        self.scores: dict[int, float] = defaultdict(float)
        self.words: dict[int, list[str]] = defaultdict(list)
        self.keyword: set[int] = set()
        self.asked = 0

    def fits(self, article: int) -> bool:
        strong = self.scores[article] >= MIN_SCORE or article in self.keyword
        return strong and len(self.words[article]) >= MIN_COVERAGE * self.asked


def search(
    index: SearchIndex, text: str, locale: str, limit: int = 4, *, strict: bool = True
) -> list[Hit]:
    """Up to `limit` articles for the question, best first; empty if nothing fits. Not
    `strict`: every article that has any of the question's words, however few."""
    tally, ranked = _rank(index, text, locale)
    if not ranked or (strict and not tally.fits(ranked[0])):
        return []
    top = tally.scores[ranked[0]]
    return [
        Hit(index.articles[article], round(tally.scores[article], 3), tuple(tally.words[article]))
        for article in ranked[:limit]
        if tally.scores[article] >= RELATED * top
    ]


def closest(index: SearchIndex, text: str, locale: str, limit: int = 3) -> list[Hit]:
    """The articles that came nearest, even when none answers (for editors)."""
    tally, ranked = _rank(index, text, locale)
    return [
        Hit(index.articles[article], round(tally.scores[article], 3), tuple(tally.words[article]))
        for article in ranked[:limit]
    ]


def _rank(index: SearchIndex, text: str, locale: str) -> tuple[_Tally, list[int]]:
    column = COLUMN.get(locale) or COLUMN[FALLBACK_LOCALE]
    tally = _Tally()
    previous: dict[str, float] = {}
    for word in question_words(text):
        found = matches(index, word)
        if not is_stopword(word):
            tally.asked += 1
            for article, value in _best(index.postings, found, column).items():
                tally.scores[article] += value
                tally.words[article].append(word)
            for key, certainty in found.items():
                if certainty >= NEAR:
                    tally.keyword.update(index.keyword_of.get(key, ()))
        current = pair_keys(index, word, found)
        pairs = {
            f"{first} {second}": min(c1, c2)
            for first, c1 in previous.items()
            for second, c2 in current.items()
        }
        for article, value in _best(index.postings, pairs, column).items():
            tally.scores[article] += value
        previous = current
    ranked = sorted(tally.scores, key=lambda article: (-tally.scores[article], article))
    return tally, ranked
