"""Which article a message is about, learned from the editors' example questions.

A linear classifier (logistic loss, trained by stochastic gradient descent with a fixed seed)
over two kinds of features of the folded text (`normalise.fold`): character n-grams within
words, which survive typos, missing special letters and unknown endings, and the words with
their first letters, a stem in any language. It is trained on each article's examples
(`examples.yaml`), titles, keywords and the lines of its text, in all four languages at once,
when a catalog snapshot is loaded: nothing is downloaded, and the same content always gives
the same model.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

from bot.catalog.model import Catalog
from bot.catalog.telegram_html import plain_text
from bot.search.normalise import fold, words

# How much each kind of training text counts: the examples are questions like users', the
# article's lines are only about the subject.
EXAMPLE_WEIGHT = 1.0
TITLE_WEIGHT = 1.0
KEYWORD_WEIGHT = 0.7
LINE_WEIGHT = 0.25
MIN_LINE_WORDS = 4
# Regularisation and passes over the data: chosen on the tuning part of the realistic set.
ALPHA = 2e-5
EPOCHS = 5
SEED = 0
# The articles' one-versus-rest models are trained side by side (the training releases the
# GIL, and the weights are the same as trained one after another).
THREADS = 2
PREFIX = 5
MIN_GRAM, MAX_GRAM = 2, 5
# The weights are n-grams times articles: the commonest n-grams only, so that ten times the
# articles do not hold ten times ten the memory (the real content has about 23,000).
MAX_CHAR_GRAMS = 30000
# And the commonest stems (the real content has about 9,000; ten times the articles, with
# words of their own, has many times more).
MAX_STEMS = 20000


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


def _samples(catalog: Catalog) -> tuple[list[list[str]], list[str], list[float]]:
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
    return texts, labels, weights


class Ranker:
    """Articles scored by how likely the message is about each (probabilities summing to 1)."""

    def __init__(self, catalog: Catalog) -> None:
        texts, labels, weights = _samples(catalog)
        self.articles: tuple[str, ...] = tuple(sorted(set(labels)))
        self.chars = TfidfVectorizer(
            analyzer=char_grams,
            sublinear_tf=True,
            min_df=2,
            max_features=MAX_CHAR_GRAMS,
            dtype=np.float32,
        )
        self.stems = TfidfVectorizer(
            analyzer="word",
            token_pattern=r"\S+",
            sublinear_tf=True,
            max_features=MAX_STEMS,
            dtype=np.float32,
        )
        self.model: SGDClassifier | None = None
        if len(self.articles) < 2:
            return
        features = hstack(
            [
                self.chars.fit_transform([folded(t) for t in texts]),
                self.stems.fit_transform([stemmed(t) for t in texts]),
            ]
        ).tocsr()
        model = SGDClassifier(
            loss="log_loss",
            alpha=ALPHA,
            max_iter=EPOCHS,
            tol=None,
            random_state=SEED,
            n_jobs=THREADS,
        )
        model.fit(features, labels, sample_weight=weights)
        self.articles = tuple(str(article) for article in model.classes_)
        # Single precision is all the scores need, and the weights are the ranker's memory.
        model.coef_ = model.coef_.astype(np.float32)
        self.model = model

        self._blocks = ((self.chars, folded, 0), (self.stems, stemmed, len(self.chars.idf_)))
        # Scoring one message by hand, from the learned weights, takes a fraction of what the
        # general sparse-matrix path of scikit-learn does on a single row; the result is equal.
        self._analyzers = [v.build_analyzer() for v, _, _ in self._blocks]
        # n-gram -> (column, idf), as plain Python numbers: numpy scalars are slow one by one.
        self._columns = [
            {
                gram: (offset + column, float(v.idf_[column]))
                for gram, column in v.vocabulary_.items()
            }
            for v, _, offset in self._blocks
        ]
        self._weights = np.ascontiguousarray(model.coef_.T, dtype=np.float32)
        self._intercepts = model.intercept_.astype(np.float64)

    def _features(self, tokens: list[str]) -> dict[int, float]:
        """The message's tf-idf features as the vectorizers would give them (sublinear tf,
        each block normalised to unit length), column to value."""
        features: dict[int, float] = {}
        for (_, prepare, _), analyze, columns in zip(
            self._blocks, self._analyzers, self._columns, strict=True
        ):
            counts = Counter(gram for gram in analyze(prepare(tokens)) if gram in columns)
            block = [
                (columns[gram][0], (1.0 + math.log(count)) * columns[gram][1])
                for gram, count in counts.items()
            ]
            norm = math.sqrt(sum(value * value for _, value in block)) or 1.0
            for column, value in block:
                features[column] = value / norm
        return features

    def scores(self, tokens: list[str]) -> dict[str, float]:
        """Each article's probability for a message given as its (content) words: the
        one-versus-rest logistic outputs, normalised to sum to 1 (as `predict_proba`)."""
        if self.model is None or not tokens:
            return {article: 1.0 / max(len(self.articles), 1) for article in self.articles}
        features = self._features(tokens)
        decision = self._intercepts.copy()
        if features:
            columns = np.fromiter(features, dtype=np.intp, count=len(features))
            values = np.fromiter(features.values(), dtype=np.float32, count=len(features))
            decision += values @ self._weights[columns]
        probabilities = 1.0 / (1.0 + np.exp(-decision))
        if len(self.articles) == 2:
            # Two articles: one decision, for the second of them (as scikit-learn has it).
            probabilities = np.array([1.0 - probabilities[0], probabilities[0]])
        total = probabilities.sum()
        probabilities = probabilities / total if total else probabilities
        return dict(zip(self.articles, (float(p) for p in probabilities), strict=True))
