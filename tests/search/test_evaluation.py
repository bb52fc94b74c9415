"""The evaluation set, run on the real content: the targets hold in every language."""

import pytest

from bot.cli.search import EVAL_SET
from bot.search.evaluation import TARGET_TOP1, TARGET_TOP3, evaluate, load


@pytest.fixture(scope="module")
def questions():
    return load(EVAL_SET)


def test_the_set_has_forty_realistic_questions_in_every_language(questions):
    assert sorted(questions) == ["kk", "ru", "tg", "uz"]
    for locale, asked in questions.items():
        assert sum(q.expect is not None for q in asked) >= 40, locale
        assert any(q.expect is None for q in asked), f"{locale}: no unanswerable question"
    for locale in ("uz", "tg"):
        assert any(q.typed == "ru" for q in questions[locale]), f"{locale}: no Russian question"


def test_every_expected_article_exists(real_ctx, questions):
    expected = {q.expect for asked in questions.values() for q in asked} - {None}
    assert expected <= set(real_ctx.catalog.articles)


def test_search_meets_the_targets_on_the_real_content(real_ctx, questions):
    scores = evaluate(real_ctx.search, questions)
    report = {s.locale: (round(s.top1_rate, 3), round(s.top3_rate, 3)) for s in scores}
    for score in scores:
        assert score.top1_rate >= TARGET_TOP1, report
        assert score.top3_rate >= TARGET_TOP3, report
        assert score.declined * 2 >= score.unanswerable, f"{score.locale}: answers the unanswerable"
