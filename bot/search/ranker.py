"""Which article a message is about, learned from the editors' example questions.

A linear classifier (logistic loss, trained by stochastic gradient descent with a fixed seed)
over two kinds of features of the folded text (`normalise.fold`): character n-grams within
words, which survive typos, missing special letters and unknown endings, and the words with
their first letters, a stem in any language. It is trained on each article's examples
(`examples.yaml`), titles, keywords and the lines of its text, in all four languages at once,
when a catalog
snapshot is loaded: nothing is downloaded, and the same content always gives the same model.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy.sparse import csr_matrix, hstack
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
EPOCHS = 8
SEED = 0
PREFIX = 5


def folded(tokens: Iterable[str]) -> str:
    return " ".join(fold(word) for word in tokens)


def stemmed(tokens: Iterable[str]) -> str:
    """Each word's skeleton and its first PREFIX letters: a stem in any of the languages,
    cheaply (the real stemmers would make building the ranker several times slower)."""
    found = []
    for word in tokens:
        skeleton = fold(word)
        found.append(skeleton)
        if len(skeleton) > PREFIX:
            found.append(skeleton[:PREFIX] + "~")
    return " ".join(found)


def _samples(catalog: Catalog) -> tuple[list[list[str]], list[str], list[float]]:
    texts: list[list[str]] = []
    labels: list[str] = []
    weights: list[float] = []

    def add(text: str, label: str, weight: float) -> None:
        found = words(text)
        if found:
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
                if len(words(line)) >= MIN_LINE_WORDS:
                    add(line, article_id, LINE_WEIGHT)
    return texts, labels, weights


class Ranker:
    """Articles scored by how likely the message is about each (probabilities summing to 1)."""

    def __init__(self, catalog: Catalog) -> None:
        texts, labels, weights = _samples(catalog)
        self.articles: tuple[str, ...] = tuple(sorted(set(labels)))
        self.chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, dtype=np.float32
        )
        self.stems = TfidfVectorizer(
            analyzer="word", token_pattern=r"\S+", sublinear_tf=True, dtype=np.float32
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
            loss="log_loss", alpha=ALPHA, max_iter=EPOCHS, tol=None, random_state=SEED
        )
        model.fit(features, labels, sample_weight=weights)
        self.articles = tuple(str(article) for article in model.classes_)
        self.model = model

    def _features(self, texts: list[list[str]]) -> csr_matrix:
        return hstack(
            [
                self.chars.transform([folded(t) for t in texts]),
                self.stems.transform([stemmed(t) for t in texts]),
            ]
        ).tocsr()

    def scores(self, tokens: list[str]) -> dict[str, float]:
        """Each article's probability for a message given as its (content) words."""
        if self.model is None or not tokens:
            return {article: 1.0 / max(len(self.articles), 1) for article in self.articles}
        probabilities = self.model.predict_proba(self._features([tokens]))[0]
        return dict(zip(self.articles, (float(p) for p in probabilities), strict=True))
