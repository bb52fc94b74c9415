"""Whether a message is about something Jol covers at all, learned from examples of both sides.

The article ranker (`ranker.py`) only knows the articles: for "сколько стоит билет в Ташкент"
it still spreads its probability over them, and the best of 34 can look as likely as for a real
question. This model is the missing class: a logistic regression of in scope (every article's
example questions, titles and keywords, in all four languages) against out of scope
(`out_of_scope.yaml`: prices, sport, cooking, weather, dating, insults, politics, school work
and the like, as people ask them). Its features are each folded word whole, its first PREFIX
letters, and its character n-grams, so unseen endings, typos and missing special letters still
count; it is trained when a catalog snapshot is loaded, from the repository's files only, with a
fixed seed, by a child process (`learned.py`: the bot never imports scikit-learn), and scores a
message from its learned weights by hand (a few dictionary look-ups a word).
"""

from __future__ import annotations

import json
import math
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.catalog.model import Catalog
from bot.search.lexicon import read
from bot.search.match import STOPWORDS
from bot.search.normalise import fold, words

PREFIX = 5
# A feature of a single training text says more about that text than about the two sides.
MIN_DF = 2
MIN_GRAM, MAX_GRAM = 3, 5
# Regularisation and passes: chosen on the tuning and development parts of the realistic set.
ALPHA = 1e-3
EPOCHS = 10
SEED = 0
# The editors' keywords are words, not questions: they teach the vocabulary, at a lower weight.
KEYWORD_WEIGHT = 0.5
# The out-of-scope questions are fewer than the articles' examples: each counts this much.
OUT_WEIGHT = 3.0

# Stopwords and the words of `neutral` in intents.yaml are read on neither side.
IGNORED = STOPWORDS | frozenset(fold(str(word)) for word in read("intents.yaml")["neutral"])
OUT_OF_SCOPE = tuple(
    str(item) for questions in read("out_of_scope.yaml").values() for item in questions or ()
)


@lru_cache(maxsize=65536)
def _skeleton(word: str) -> str:
    return fold(word)


@lru_cache(maxsize=65536)
def _features(word: str) -> tuple[str, ...]:
    skeleton = _skeleton(word)
    if not skeleton:
        return ()
    found = [f"w:{skeleton}"]
    if len(skeleton) > PREFIX:
        found.append(f"p:{skeleton[:PREFIX]}")
    padded = f" {skeleton} "
    for n in range(MIN_GRAM, MAX_GRAM + 1):
        found.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return tuple(found)


def _counts(tokens: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for token in tokens:
        if _skeleton(token) not in IGNORED:
            counts.update(_features(token))
    return counts


def texts(catalog: Catalog) -> list[tuple[str, int, float]]:
    """What the model learns from: each text, its side (0 in scope, 1 out) and its weight."""
    found: list[tuple[str, int, float]] = []
    for article_id in sorted(catalog.articles):
        article = catalog.articles[article_id]
        for examples in article.examples.values():
            found.extend((example, 0, 1.0) for example in examples)
        for keywords in article.keywords.values():
            found.extend((keyword, 0, KEYWORD_WEIGHT) for keyword in keywords)
        found.extend((text.title, 0, 1.0) for text in article.texts.values())
    found.extend((question, 1, OUT_WEIGHT) for question in OUT_OF_SCOPE)
    return found


def samples(
    sent: Iterable[tuple[str, int, float]],
) -> tuple[list[Counter[str]], list[int], list[float]]:
    """Each training text's features, its side and its weight (texts without any left out)."""
    counts: list[Counter[str]] = []
    labels: list[int] = []
    weights: list[float] = []
    for text, label, weight in sent:
        found = _counts(words(text))
        if found:
            counts.append(found)
            labels.append(label)
            weights.append(weight)
    return counts, labels, weights


@dataclass(frozen=True)
class ScopeModel:
    """What scoring needs of the trained model: each feature's weight and idf, the intercept."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    idf: tuple[float, ...]
    intercept: float

    def to_bytes(self) -> bytes:
        fields = {k: getattr(self, k) for k in ("features", "weights", "idf", "intercept")}
        return json.dumps(fields, ensure_ascii=False).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> ScopeModel:
        """The model `to_bytes` wrote; ValueError for anything else."""
        try:
            sent = json.loads(data)
            model = cls(
                tuple(sent["features"]),
                tuple(sent["weights"]),
                tuple(sent["idf"]),
                float(sent["intercept"]),
            )
        except (KeyError, TypeError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not an out-of-scope model ({type(exc).__name__})") from None
        if not len(model.features) == len(model.weights) == len(model.idf):
            raise ValueError("an out-of-scope model of the wrong size")
        return model


class Scope:
    """The probability that a message (given as its content words) is out of scope; a blind
    one (no model: fewer than two sides to learn from, or none learned yet) says never."""

    def __init__(self, model: ScopeModel | None = None) -> None:
        # feature -> column of its weight and idf: a message is scored by hand.
        self._columns: dict[str, int] = {}
        self._weights = array("d")
        self._idf = array("d")
        self._intercept = 0.0
        if model is None:
            return
        self._columns = {feature: column for column, feature in enumerate(model.features)}
        self._weights = array("d", model.weights)
        self._idf = array("d", model.idf)
        self._intercept = model.intercept

    @classmethod
    def blind(cls) -> Scope:
        return cls()

    def out(self, tokens: list[str]) -> float:
        """How likely the message is about something no article covers, 0 to 1."""
        if not self._columns or not tokens:
            return 0.0
        found = [
            (self._columns[feature], count)
            for feature, count in _counts(tokens).items()
            if feature in self._columns
        ]
        values = [(column, (1 + math.log(count)) * self._idf[column]) for column, count in found]
        norm = math.sqrt(sum(value * value for _, value in values)) or 1.0
        decision = (
            self._intercept + sum(self._weights[column] * value for column, value in values) / norm
        )
        return 1.0 / (1.0 + math.exp(-decision))
