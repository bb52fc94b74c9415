"""Train the learned models with scikit-learn, in a process of its own.

    python -m bot.search.train < samples.json > model

The bot runs this as a child process (`bot.search.apart`) so that it never imports
scikit-learn or SciPy: reads on stdin what `learned.learn` sends (the ranker's `Samples`, the
out-of-scope model's texts) and writes both models (`learned.to_bytes`).
"""

from __future__ import annotations

import json
import sys
from array import array
from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

from bot.search import apart, learned, scope
from bot.search.ranker import Model, Samples, char_grams

# Regularisation and passes over the data: chosen on the tuning part of the realistic set.
ALPHA = 2e-5
EPOCHS = 5
SEED = 0
# The articles' one-versus-rest models are trained side by side (the training releases the
# GIL, and the weights are the same as trained one after another).
THREADS = 2
# The weights are n-grams times articles: the commonest n-grams only, so that ten times the
# articles do not hold ten times ten the memory (the real content has about 23,000).
MAX_CHAR_GRAMS = 30000
# And the commonest stems (the real content has about 9,000; ten times the articles, with
# words of their own, has many times more).
MAX_STEMS = 20000


def fit(found: Samples) -> tuple[TfidfVectorizer, TfidfVectorizer, SGDClassifier]:
    """The two vectorizers and the classifier, as scikit-learn has them."""
    chars = TfidfVectorizer(
        analyzer=char_grams,
        sublinear_tf=True,
        min_df=2,
        max_features=MAX_CHAR_GRAMS,
        dtype=np.float32,
    )
    stems = TfidfVectorizer(
        analyzer="word",
        token_pattern=r"\S+",
        sublinear_tf=True,
        max_features=MAX_STEMS,
        dtype=np.float32,
    )
    features = hstack([chars.fit_transform(found.chars), stems.fit_transform(found.stems)]).tocsr()
    classifier = SGDClassifier(
        loss="log_loss",
        alpha=ALPHA,
        max_iter=EPOCHS,
        tol=None,
        random_state=SEED,
        n_jobs=THREADS,
    )
    classifier.fit(features, found.labels, sample_weight=found.weights)
    return chars, stems, classifier


def model(found: Samples) -> Model:
    """What scoring needs of the trained ranker."""
    chars, stems, classifier = fit(found)

    def vocabulary(vectorizer: TfidfVectorizer) -> tuple[str, ...]:
        by_column = sorted(vectorizer.vocabulary_.items(), key=lambda item: item[1])
        return tuple(term for term, _ in by_column)

    idf = np.concatenate([chars.idf_, stems.idf_])
    # Single precision is all the scores need, and the weights are the ranker's memory.
    weights = array("f", np.ascontiguousarray(classifier.coef_.T, dtype=np.float32).tobytes())
    return Model(
        articles=tuple(str(article) for article in classifier.classes_),
        chars=vocabulary(chars),
        stems=vocabulary(stems),
        idf=tuple(float(value) for value in idf),
        weights=weights,
        intercepts=tuple(float(value) for value in classifier.intercept_),
    )


def _matrix(counts: list[Counter[str]]) -> tuple[csr_matrix, dict[str, int], np.ndarray]:
    """The rows as scikit-learn's TfidfVectorizer makes them (smooth idf, sublinear tf, each
    row of unit length), built with numpy; the columns; and the idf of each column."""
    frequency: Counter[str] = Counter()
    for found in counts:
        frequency.update(found.keys())
    kept = [(feature, n) for feature, n in frequency.items() if n >= scope.MIN_DF]
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


def scope_model(texts: list[tuple[str, int, float]]) -> scope.ScopeModel:
    """The out-of-scope model: tf-idf rows as `_matrix` makes them, and a logistic
    regression of in scope (0) against out (1)."""
    counts, labels, weights = scope.samples(texts)
    if len(set(labels)) < 2:
        return scope.ScopeModel((), (), (), 0.0)  # nothing to tell apart: never out of scope
    matrix, columns, idf = _matrix(counts)
    classifier = SGDClassifier(
        loss="log_loss",
        alpha=scope.ALPHA,
        max_iter=scope.EPOCHS,
        tol=None,
        random_state=scope.SEED,
    )
    classifier.fit(matrix, labels, sample_weight=weights)
    coefficients = classifier.coef_[0]
    return scope.ScopeModel(
        features=tuple(columns),
        weights=tuple(float(coefficients[column]) for column in columns.values()),
        idf=tuple(float(idf[column]) for column in columns.values()),
        intercept=float(classifier.intercept_[0]),
    )


def answer(payload: bytes) -> bytes:
    """Both models of what `learned.learn` sent."""
    sent = json.loads(payload)
    ranker = model(Samples(**sent["ranker"])) if sent["ranker"] else None
    texts = [tuple(text) for text in sent["scope"]] if sent["scope"] else None
    return learned.to_bytes(ranker, scope_model(texts) if texts else None)


if __name__ == "__main__":
    sys.exit(apart.serve(answer))
