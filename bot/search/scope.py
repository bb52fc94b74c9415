"""Whether a message is about something Jol covers at all, learned from examples of both sides.

The article ranker (`ranker.py`) only knows the articles: for "сколько стоит билет в Ташкент"
it still spreads its probability over them, and the best of 34 can look as likely as for a real
question. This model is the missing class: a logistic regression of in scope (every article's
example questions, titles and keywords, in all four languages) against out of scope
(`out_of_scope.yaml`: prices, sport, cooking, weather, dating, insults, politics, school work
and the like, as people ask them). Its features are each folded word whole, its first PREFIX
letters, and its character n-grams, so unseen endings, typos and missing special letters still
count; it is trained when a catalog snapshot is loaded, from the repository's files only, with a
fixed seed, and scores a message from its learned weights by hand (a few dictionary look-ups a
word).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import SGDClassifier

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


def _samples(catalog: Catalog) -> tuple[list[Counter[str]], list[int], list[float]]:
    """Each training text's features, its side (0 in scope, 1 out) and its weight."""
    counts: list[Counter[str]] = []
    labels: list[int] = []
    weights: list[float] = []

    def add(text: str, label: int, weight: float = 1.0) -> None:
        found = _counts(words(text))
        if found:
            counts.append(found)
            labels.append(label)
            weights.append(weight)

    for article_id in sorted(catalog.articles):
        article = catalog.articles[article_id]
        for examples in article.examples.values():
            for example in examples:
                add(example, 0)
        for keywords in article.keywords.values():
            for keyword in keywords:
                add(keyword, 0, KEYWORD_WEIGHT)
        for text in article.texts.values():
            add(text.title, 0)
    for question in OUT_OF_SCOPE:
        add(question, 1, OUT_WEIGHT)
    return counts, labels, weights


def _matrix(counts: list[Counter[str]]) -> tuple[csr_matrix, dict[str, int], np.ndarray]:
    """The rows as scikit-learn's TfidfVectorizer makes them (smooth idf, sublinear tf, each
    row of unit length), built with numpy; the columns; and the idf of each column."""
    frequency: Counter[str] = Counter()
    for found in counts:
        frequency.update(found.keys())
    kept = [(feature, n) for feature, n in frequency.items() if n >= MIN_DF]
    columns = {feature: column for column, (feature, _) in enumerate(kept)}
    idf = np.log((1 + len(counts)) / (1 + np.array([n for _, n in kept], dtype=float))) + 1
    indptr = np.zeros(len(counts) + 1, dtype=np.int64)
    indices: list[int] = []
    tf: list[int] = []
    for row, found in enumerate(counts):
        known = [feature for feature in found if feature in columns]
        indices.extend(map(columns.__getitem__, known))
        tf.extend(map(found.__getitem__, known))
        indptr[row + 1] = len(indices)
    at = np.array(indices, dtype=np.int64)
    data = (1 + np.log(np.array(tf, dtype=float))) * idf[at]
    norms = np.sqrt(np.add.reduceat(data * data, indptr[:-1]))
    data /= np.repeat(norms, np.diff(indptr))
    matrix = csr_matrix((data, at, indptr), shape=(len(counts), len(columns)))
    return matrix, columns, idf


class Scope:
    """The probability that a message (given as its content words) is out of scope."""

    def __init__(self, catalog: Catalog) -> None:
        counts, labels, weights = _samples(catalog)
        # feature -> (weight, idf), as plain Python numbers: a message is scored by hand.
        self._weights: dict[str, tuple[float, float]] = {}
        self._intercept = 0.0
        if len(set(labels)) < 2:
            return
        matrix, columns, idf = _matrix(counts)
        model = SGDClassifier(
            loss="log_loss", alpha=ALPHA, max_iter=EPOCHS, tol=None, random_state=SEED
        )
        model.fit(matrix, labels, sample_weight=weights)
        coefficients = model.coef_[0]
        self._weights = {
            feature: (float(coefficients[column]), float(idf[column]))
            for feature, column in columns.items()
        }
        self._intercept = float(model.intercept_[0])

    def out(self, tokens: list[str]) -> float:
        """How likely the message is about something no article covers, 0 to 1."""
        if not self._weights or not tokens:
            return 0.0
        found = [
            (self._weights[feature], count)
            for feature, count in _counts(tokens).items()
            if feature in self._weights
        ]
        values = [((weight, idf), (1 + math.log(count)) * idf) for (weight, idf), count in found]
        norm = math.sqrt(sum(value * value for _, value in values)) or 1.0
        decision = self._intercept + sum(weight * value for (weight, _), value in values) / norm
        return 1.0 / (1.0 + math.exp(-decision))
