"""Train the ranker (`bot.search.ranker`) with scikit-learn, in a process of its own.

    python -m bot.search.train < samples.json > model

The bot runs this as a child process (`bot.search.apart`) so that it never imports
scikit-learn or SciPy: reads `Samples` as JSON on stdin, writes the `Model` on stdout.
"""

from __future__ import annotations

import sys

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier

from bot.search import apart
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
    weights = np.ascontiguousarray(classifier.coef_.T, dtype=np.float32)
    return Model(
        articles=tuple(str(article) for article in classifier.classes_),
        chars=vocabulary(chars),
        stems=vocabulary(stems),
        idf=tuple(float(value) for value in idf),
        weights=weights,
        intercepts=tuple(float(value) for value in classifier.intercept_),
    )


if __name__ == "__main__":
    sys.exit(apart.serve(lambda payload: model(Samples.from_json(payload)).to_bytes()))
