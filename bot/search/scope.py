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
from bot.catalog.telegram_html import plain_text
from bot.search.lexicon import read
from bot.search.match import is_stopword
from bot.search.normalise import fold, words

PREFIX = 5
MIN_GRAM, MAX_GRAM = 3, 5
# Regularisation and passes: chosen on the tuning and development parts of the realistic set.
ALPHA = 1e-3
EPOCHS = 10
SEED = 0
# The editors' keywords are words, not questions: they teach the vocabulary, at a lower weight.
KEYWORD_WEIGHT = 0.5
# The out-of-scope questions are fewer than the articles' examples: each counts this much.
OUT_WEIGHT = 3.0
# The articles' lines teach the subject's vocabulary too, a little.
LINE_WEIGHT = 0.0
MIN_LINE_WORDS = 4

OUT_OF_SCOPE = tuple(
    str(item) for questions in read("out_of_scope.yaml").values() for item in questions or ()
)


@lru_cache(maxsize=65536)
def _features(word: str) -> tuple[str, ...]:
    skeleton = fold(word)
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
        counts.update(_features(token))
    return counts


def _samples(catalog: Catalog) -> tuple[list[list[str]], list[int], list[float]]:
    texts: list[list[str]] = []
    labels: list[int] = []
    weights: list[float] = []

    def add(text: str, label: int, weight: float = 1.0, least: int = 1) -> None:
        found = [word for word in words(text) if not is_stopword(word)]
        if len(found) >= least:
            texts.append(found)
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
            if LINE_WEIGHT:
                for line in plain_text(text.body).splitlines():
                    add(line, 0, LINE_WEIGHT, MIN_LINE_WORDS)
    for question in OUT_OF_SCOPE:
        add(question, 1, OUT_WEIGHT)
    return texts, labels, weights


class Scope:
    """The probability that a message (given as its content words) is out of scope."""

    def __init__(self, catalog: Catalog) -> None:
        texts, labels, weights = _samples(catalog)
        self._weights: dict[str, float] = {}
        self._intercept = 0.0
        if len(set(labels)) < 2:
            return
        counts = [_counts(text) for text in texts]
        document_frequency: Counter[str] = Counter()
        for found in counts:
            document_frequency.update(found.keys())
        columns = {feature: column for column, feature in enumerate(sorted(document_frequency))}
        documents = len(counts)
        # scikit-learn's smooth idf, and its sublinear tf, each row of unit length.
        idf = {
            feature: math.log((1 + documents) / (1 + frequency)) + 1
            for feature, frequency in document_frequency.items()
        }
        rows, cols, values = [], [], []
        for row, found in enumerate(counts):
            row_values = {f: (1 + math.log(c)) * idf[f] for f, c in found.items()}
            norm = math.sqrt(sum(v * v for v in row_values.values())) or 1.0
            for feature, value in row_values.items():
                rows.append(row)
                cols.append(columns[feature])
                values.append(value / norm)
        matrix = csr_matrix(
            (np.array(values, dtype=np.float64), (rows, cols)), shape=(documents, len(columns))
        )
        model = SGDClassifier(
            loss="log_loss",
            alpha=ALPHA,
            max_iter=EPOCHS,
            tol=None,
            random_state=SEED,
        )
        model.fit(matrix, labels, sample_weight=weights)
        coefficients = model.coef_[0]
        # Each feature's weight times its idf: scoring multiplies the two anyway.
        self._idf = idf
        self._weights = {
            feature: float(coefficients[column]) for feature, column in columns.items()
        }
        self._intercept = float(model.intercept_[0])

    def out(self, tokens: list[str]) -> float:
        """How likely the message is about something no article covers, 0 to 1."""
        if not self._weights or not tokens:
            return 0.0
        known = {f: c for f, c in _counts(tokens).items() if f in self._weights}
        values = {f: (1 + math.log(c)) * self._idf[f] for f, c in known.items()}
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        decision = self._intercept + sum(v * self._weights[f] for f, v in values.items()) / norm
        return 1.0 / (1.0 + math.exp(-decision))
