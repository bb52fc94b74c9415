"""Which article a message is about, learned from the editors' example questions.

A linear classifier (logistic loss, trained by stochastic gradient descent with a fixed seed)
over two kinds of features of the folded text (`normalise.fold`): character n-grams within
words, which survive typos, missing special letters and unknown endings, and the words with
their first letters, a stem in any language. It is trained on each article's examples
(`examples.yaml`), titles, keywords and the lines of its text, in all four languages at once:
nothing is downloaded, and the same content always gives the same model.

The bot never imports scikit-learn, SciPy or numpy: a child process trains it (`learned.py`),
which hands back only what scoring needs (`Model`: the vocabularies, their idf, the weights).
"""

from __future__ import annotations

import math
import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from operator import add, mul

from bot.catalog.model import Catalog
from bot.catalog.telegram_html import plain_text
from bot.search import framing
from bot.search.normalise import fold, words

# How much each kind of training text counts: the examples are questions like users', the
# article's lines are only about the subject.
EXAMPLE_WEIGHT = 1.0
TITLE_WEIGHT = 1.0
KEYWORD_WEIGHT = 0.7
LINE_WEIGHT = 0.25
MIN_LINE_WORDS = 4
PREFIX = 5
MIN_GRAM, MAX_GRAM = 2, 5
# What scikit-learn's word analyzer takes for a token (`token_pattern`), in the stems' block.
TOKEN = re.compile(r"\S+")


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=65536)
def _grams(word: str) -> tuple[str, ...]:
    """The word's character n-grams exactly as scikit-learn's `char_wb` analyzer makes them
    (padded with a space each side; a word no longer than n once, and no longer n-grams)."""
    padded = f" {word} "
    found: list[str] = []
    for n in range(MIN_GRAM, MAX_GRAM + 1):
        if len(padded) <= n:
            found.append(padded)
            break
        found.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return tuple(found)


def char_grams(text: str) -> list[str]:
    """`char_wb` n-grams of a folded text, each word's made once: the same words come back in
    thousands of training lines, and building the ranker is mostly this."""
    found: list[str] = []
    for word in text.split():
        found.extend(_grams(word))
    return found


def stem_terms(text: str) -> list[str]:
    """The terms of a `stemmed` text as scikit-learn's word analyzer reads them (lower case,
    `TOKEN`), so scoring sees what training saw."""
    return TOKEN.findall(text.lower())


def folded(tokens: Iterable[str]) -> str:
    return " ".join(_fold(word) for word in tokens)


def stemmed(tokens: Iterable[str]) -> str:
    """Each word's skeleton and its first PREFIX letters: a stem in any of the languages,
    cheaply (the real stemmers would make building the ranker several times slower)."""
    found = []
    for word in tokens:
        skeleton = _fold(word)
        found.append(skeleton)
        if len(skeleton) > PREFIX:
            found.append(skeleton[:PREFIX] + "~")
    return " ".join(found)


@dataclass(frozen=True)
class Samples:
    """What the ranker learns from, prepared as its two blocks of features read it: the same
    samples always give the same model, so their digest names it."""

    chars: list[str]  # each sample `folded`
    stems: list[str]  # and `stemmed`
    labels: list[str]
    weights: list[float]

    def fields(self) -> dict[str, list[str] | list[float]]:
        return {k: getattr(self, k) for k in ("chars", "stems", "labels", "weights")}


def samples(catalog: Catalog) -> Samples:
    texts: list[list[str]] = []
    labels: list[str] = []
    weights: list[float] = []

    def add(text: str, label: str, weight: float, least: int = 1) -> None:
        found = words(text)
        if len(found) >= least:
            texts.append(found)
            labels.append(label)
            weights.append(weight)

    for article_id in sorted(catalog.articles):
        article = catalog.articles[article_id]
        for examples in article.examples.values():
            for example in examples:
                add(example, article_id, EXAMPLE_WEIGHT)
        for keywords in article.keywords.values():
            for keyword in keywords:
                add(keyword, article_id, KEYWORD_WEIGHT)
        for text in article.texts.values():
            add(text.title, article_id, TITLE_WEIGHT)
            for line in plain_text(text.body).splitlines():
                add(line, article_id, LINE_WEIGHT, MIN_LINE_WORDS)
    return Samples([folded(t) for t in texts], [stemmed(t) for t in texts], labels, weights)


_MAGIC = b"JOLRANK1"


@dataclass(frozen=True)
class Model:
    """What scoring needs of a trained ranker: the columns of the two blocks of features (each
    block's vocabulary in column order, the stems' after the n-grams'), each column's idf, the
    weights (single precision, column after column, each an output's weight; an output per
    article, or one for two articles) and each output's intercept."""

    articles: tuple[str, ...]
    chars: tuple[str, ...]
    stems: tuple[str, ...]
    idf: tuple[float, ...]
    weights: array[float]
    intercepts: tuple[float, ...]

    def to_bytes(self) -> bytes:
        header = {
            "articles": self.articles,
            "chars": self.chars,
            "stems": self.stems,
            "idf": self.idf,
            "intercepts": self.intercepts,
            "byteorder": sys.byteorder,
        }
        return framing.frame(_MAGIC, framing.encode(header), self.weights.tobytes())

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        """The model `to_bytes` wrote; ValueError for anything else (cut, or another format)."""
        first, raw = framing.unframe(_MAGIC, data, "a ranker model")
        header = framing.header(first, "a ranker model")
        try:
            articles = tuple(header["articles"])
            chars, stems = tuple(header["chars"]), tuple(header["stems"])
            idf, intercepts = tuple(header["idf"]), tuple(header["intercepts"])
            foreign = header["byteorder"] != sys.byteorder
        except (KeyError, TypeError) as exc:
            raise ValueError(f"a broken ranker model ({type(exc).__name__})") from None
        columns = len(chars) + len(stems)
        # Two articles: one decision, for the second of them (as scikit-learn has it).
        outputs = 1 if len(articles) == 2 else len(articles)
        weights = array("f")
        if foreign or len(idf) != columns or len(intercepts) != outputs:
            raise ValueError("a ranker model from another machine, or broken")
        if len(raw) != columns * outputs * weights.itemsize:
            raise ValueError("a ranker model of the wrong size")
        weights.frombytes(raw)
        return cls(articles, chars, stems, idf, weights, intercepts)


class Ranker:
    """Articles scored by how likely the message is about each (probabilities summing to 1).
    Without a model (`blind`: fewer than two articles, or none learned yet) every article is
    equally likely, and the keyword index decides alone."""

    def __init__(self, articles: Iterable[str], model: Model | None = None) -> None:
        self.articles: tuple[str, ...] = model.articles if model else tuple(sorted(articles))
        self.learned = model is not None
        if model is None:
            return
        # Scoring one message by hand, from the learned weights, takes a fraction of what the
        # general sparse-matrix path of scikit-learn does on a single row; the result is equal.
        offset = len(model.chars)
        self._columns = (
            {gram: column for column, gram in enumerate(model.chars)},
            {stem: offset + column for column, stem in enumerate(model.stems)},
        )
        self._idf = array("d", model.idf)
        self._weights = model.weights
        self._intercepts = model.intercepts

    @classmethod
    def blind(cls, catalog: Catalog) -> Ranker:
        return cls(catalog.articles)

    def _features(self, tokens: list[str]) -> dict[int, float]:
        """The message's tf-idf features as the vectorizers would give them (sublinear tf,
        each block normalised to unit length), column to value."""
        features: dict[int, float] = {}
        blocks = (
            (char_grams(folded(tokens)), self._columns[0]),
            (stem_terms(stemmed(tokens)), self._columns[1]),
        )
        for terms, columns in blocks:
            counts = Counter(columns[term] for term in terms if term in columns)
            block = [
                (column, (1.0 + math.log(count)) * self._idf[column])
                for column, count in counts.items()
            ]
            norm = math.sqrt(sum(value * value for _, value in block)) or 1.0
            for column, value in block:
                features[column] = value / norm
        return features

    def scores(self, tokens: list[str]) -> dict[str, float]:
        """Each article's probability for a message given as its (content) words: the
        one-versus-rest logistic outputs, normalised to sum to 1 (as `predict_proba`)."""
        if not self.learned or not tokens:
            return {article: 1.0 / max(len(self.articles), 1) for article in self.articles}
        # In plain Python: numpy would do it faster, but is 11 MB the bot would hold for it
        # (0.2 ms a question of the real content, 2 ms at ten times the articles).
        outputs = len(self._intercepts)
        decision = list(self._intercepts)
        for column, value in self._features(tokens).items():
            row = self._weights[column * outputs : (column + 1) * outputs]
            decision = list(map(add, decision, map(mul, row, repeat(value, outputs))))
        probabilities = [_logistic(value) for value in decision]
        if len(self.articles) == 2:
            probabilities = [1.0 - probabilities[0], probabilities[0]]
        total = sum(probabilities)
        if total:
            probabilities = [p / total for p in probabilities]
        return dict(zip(self.articles, probabilities, strict=True))


def _logistic(value: float) -> float:
    # exp(-value) overflows below about -709, where the result is 0 to double precision.
    return 1.0 / (1.0 + math.exp(-value)) if value > -700.0 else 0.0


def clear_caches() -> None:
    _fold.cache_clear()
    _grams.cache_clear()
