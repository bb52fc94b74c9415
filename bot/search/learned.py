"""The learned models, the ranker (`ranker.py`) and the out-of-scope model (`scope.py`),
trained together by one child process (`python -m bot.search.train`, see `apart.py`), which
imports scikit-learn once for both, and kept together in the data folder.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.catalog.model import Catalog
from bot.search import apart, framing, ranker, scope
from bot.search.ranker import Model, Ranker
from bot.search.scope import Scope, ScopeModel

_HERE = Path(__file__).parent
# What decides the models besides what they learn from: the code that turns it into features
# (and the words it leaves out), the training code, and the libraries it trains with.
_SOURCES = tuple(
    _HERE / name
    for name in (
        *("learned.py", "framing.py", "ranker.py", "scope.py", "train.py"),
        *("normalise.py", "match.py", "lexicon.py", "intents.yaml", "stopwords.yaml"),
    )
)
_PACKAGES = ("scikit-learn", "numpy", "scipy")
_MAGIC = b"JOLLRND1"


def to_bytes(ranker_model: Model | None, scope_model: ScopeModel | None) -> bytes:
    """Both models in one answer (either may be missing: nothing to tell apart)."""
    first, second = (b"" if m is None else m.to_bytes() for m in (ranker_model, scope_model))
    return framing.frame(_MAGIC, first, second)


def from_bytes(data: bytes) -> tuple[Model | None, ScopeModel | None]:
    """The models `to_bytes` wrote; ValueError for anything else."""
    first, second = framing.unframe(_MAGIC, data, "the learned models")
    return (
        Model.from_bytes(first) if first else None,
        ScopeModel.from_bytes(second) if second else None,
    )


def learn(catalog: Catalog, models: Path | None = None) -> tuple[Ranker, Scope]:
    """This catalog's ranker and out-of-scope model, trained by a child process or read from
    `models` if they were trained from the same texts with the same code before. Raises
    `apart.BuildFailed`."""
    found = ranker.samples(catalog)
    texts = scope.texts(catalog)
    sent = {
        "ranker": found.fields() if len(set(found.labels)) > 1 else None,
        "scope": texts if len({label for _, label, _ in texts}) > 1 else None,
    }
    del found
    ranker.clear_caches()  # the content's words are not what people type
    if sent["ranker"] is None and sent["scope"] is None:
        return Ranker.blind(catalog), Scope.blind()
    payload = json.dumps(sent, ensure_ascii=False).encode()
    key = apart.digest(payload, _SOURCES, _PACKAGES)
    ranker_model, scope_model = apart.built(
        "bot.search.train", payload, from_bytes, models=models, key=key, suffix=".learned"
    )
    return Ranker(catalog.articles, ranker_model), Scope(scope_model)
