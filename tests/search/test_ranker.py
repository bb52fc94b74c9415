"""The ranker and the out-of-scope model are trained in a child process; the bot scores with
what the child hands back, and answers exactly as scikit-learn's own models would."""

from __future__ import annotations

import pytest
from scipy.sparse import hstack

from bot.search import scope, train
from bot.search.normalise import words
from bot.search.ranker import Model, Ranker, folded, samples, stemmed

# Real questions, as people typed them, and a few that fit nothing.
QUESTIONS = (
    "не платят зарплату",
    "pasportimni olib qoyishdi",
    "жолга кандай кужат керек",
    "кудакро ба мактаб кабул намекунанд",
    "регистрация сколько дней",
    "права",
    "xxxxx",
)


@pytest.mark.parametrize("which", ["ctx", "real_ctx"])
def test_the_child_trained_scorer_equals_scikit_learns_own_model(request, which):
    """The served ranker came from the child; scikit-learn trains here, in the test process,
    on the same samples: every probability is the same."""
    ctx = request.getfixturevalue(which)
    served = ctx.search.ranker
    assert served.learned
    chars, stems, classifier = train.fit(samples(ctx.catalog))
    assert served.articles == tuple(classifier.classes_)
    for text in QUESTIONS:
        tokens = words(text)
        matrix = hstack([chars.transform([folded(tokens)]), stems.transform([stemmed(tokens)])])
        expected = classifier.predict_proba(matrix.tocsr())[0]
        assert list(served.scores(tokens).values()) == pytest.approx(list(expected), abs=1e-6)


def test_a_model_survives_being_written_and_read(real_ctx):
    trained = train.model(samples(real_ctx.catalog))
    again = Model.from_bytes(trained.to_bytes())
    assert again.chars == trained.chars and again.stems == trained.stems
    assert again.weights == trained.weights
    first = Ranker(real_ctx.catalog.articles, trained)
    second = Ranker(real_ctx.catalog.articles, again)
    for text in QUESTIONS:
        assert first.scores(words(text)) == second.scores(words(text))


@pytest.mark.parametrize("cut", [0, 5, 100, -1])
def test_a_cut_or_foreign_file_is_not_a_model(ctx, cut):
    data = train.model(samples(ctx.catalog)).to_bytes()
    with pytest.raises(ValueError):
        Model.from_bytes(data[:cut] if cut else b"PK\x03\x04" + data)


def test_a_blind_ranker_leaves_the_choice_to_the_keyword_index(ctx):
    blind = Ranker.blind(ctx.catalog)
    assert not blind.learned
    scores = blind.scores(words("не платят зарплату"))
    assert set(scores) == set(ctx.catalog.articles)
    assert len(set(scores.values())) == 1


def test_the_child_trained_scope_equals_the_one_trained_here(real_ctx):
    served = real_ctx.search.scope
    here = scope.Scope(train.scope_model(scope.texts(real_ctx.catalog)))
    for text in (*QUESTIONS, "как приготовить борщ", "погода завтра"):
        assert served.out(words(text)) == here.out(words(text))
    assert served.out(words("как приготовить борщ")) > 0.5


def test_a_scope_model_survives_being_written_and_read(real_ctx):
    trained = train.scope_model(scope.texts(real_ctx.catalog))
    assert scope.ScopeModel.from_bytes(trained.to_bytes()) == trained
    with pytest.raises(ValueError):
        scope.ScopeModel.from_bytes(trained.to_bytes()[:-10])
