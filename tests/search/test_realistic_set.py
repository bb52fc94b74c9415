"""The realistic evaluation set keeps its shape: big enough, every class in both parts, only
names that exist, and the held-out part chosen by the fixed rule, not by hand. The fresh part,
written later, is held out whole: no rule splits it, it only has to be big and well formed; the
development part is big enough and shares no question with the other two.

A failure names a question by its part, language and place in the file, never by its text:
held-out questions must not reach the output of whoever runs the tests while tuning."""

import hashlib
from collections import Counter, defaultdict
from typing import get_args

import pytest

from bot.catalog.model import Centre
from bot.cli.search import EVAL_SET
from bot.search.evaluation import CLASSES, load

REALISTIC = EVAL_SET / "realistic"
FRESH = REALISTIC / "fresh"
# The least the fresh part holds per language and class, and how many different articles its
# article questions must name first: spread over the content, not piled on a few topics.
FRESH_AT_LEAST = {"article": 30, "distress": 10, "decline": 10, "place": 6, "smalltalk": 4}
FRESH_BEST_ARTICLES = 30
# Articles written alongside the set; the set may expect them before they are merged.
COMING = {"employer-violence", "entry-ban", "eviction"}
COUNTRIES = {"uz", "tj", "kg"}


@pytest.fixture(scope="module")
def parts():
    return {part: load(REALISTIC / part) for part in ("tune", "test")}


@pytest.fixture(scope="module")
def fresh():
    return load(FRESH)


def test_every_language_has_enough_questions_and_a_big_enough_held_out_part(parts):
    for part in parts.values():
        assert sorted(part) == ["kk", "ru", "tg", "uz"]
    for locale in parts["test"]:
        assert len(parts["tune"][locale]) + len(parts["test"][locale]) >= 100, locale
        assert len(parts["test"][locale]) >= 40, locale


def test_every_class_is_in_both_parts_of_every_language(parts):
    for name, part in parts.items():
        for locale, cases in part.items():
            assert {c.expect for c in cases} == set(CLASSES), (name, locale)


@pytest.fixture(scope="module")
def dev():
    return load(REALISTIC / "dev")


def test_only_known_articles_cities_kinds_and_countries(parts, fresh, dev, real_ctx):
    articles = set(real_ctx.catalog.articles) | COMING
    cities = set(real_ctx.catalog.cities)
    kinds = set(get_args(Centre.model_fields["kind"].annotation))
    for name, part in {**parts, "fresh": fresh, "dev": dev}.items():
        for locale, cases in part.items():
            for position, c in enumerate(cases):
                where = (name, locale, position)
                assert c.expect in CLASSES, where
                assert set(c.articles) <= articles, where
                assert c.city is None or c.city in cities, where
                assert c.kind is None or c.kind in kinds, where
                assert c.country is None or c.country in COUNTRIES, where
                assert c.expect != "article" or c.articles, where
                assert c.expect == "place" or not (c.kind or c.city or c.country), where


def test_the_development_part_is_big_enough_and_new(parts, dev):
    assert sorted(dev) == ["kk", "ru", "tg", "uz"]
    for locale, cases in dev.items():
        assert len(cases) >= 50, locale
        assert {c.expect for c in cases} == set(CLASSES), locale
        elsewhere = {c.text for part in parts.values() for c in part[locale]}
        assert not elsewhere & {c.text for c in cases}, locale


def test_every_language_asks_about_the_same_articles(parts):
    named = {
        locale: {a for part in parts.values() for c in part[locale] for a in c.articles}
        for locale in parts["test"]
    }
    everything = set().union(*named.values())
    assert len(everything) >= 34
    for locale, found in named.items():
        assert found == everything, (locale, everything - found)


def test_the_held_out_part_is_chosen_by_the_hash_rule(parts):
    for locale in parts["test"]:
        by_class = defaultdict(list)
        for name, part in parts.items():
            for c in part[locale]:
                by_class[c.expect].append((hashlib.sha256(c.text.encode()).hexdigest(), name))
        for expect, members in by_class.items():
            for rank, (_, name) in enumerate(sorted(members)):
                rule = "test" if rank % 5 in (0, 2) else "tune"
                assert name == rule, (locale, expect, rank)


def test_no_question_is_in_both_parts(parts):
    for locale in parts["test"]:
        tune = {c.text for c in parts["tune"][locale]}
        shared = len(tune & {c.text for c in parts["test"][locale]})
        assert shared == 0, (locale, shared)


def test_the_fresh_part_has_every_language_and_enough_of_every_class(fresh):
    assert sorted(fresh) == ["kk", "ru", "tg", "uz"]
    for locale, cases in fresh.items():
        counts = Counter(c.expect for c in cases)
        for expect, least in FRESH_AT_LEAST.items():
            assert counts[expect] >= least, (locale, expect, counts[expect])
        best = {c.articles[0] for c in cases if c.expect == "article"}
        assert len(best) >= FRESH_BEST_ARTICLES, (locale, len(best))


def test_the_fresh_part_shares_no_question_with_the_other_parts(parts, dev, fresh):
    for locale, cases in fresh.items():
        earlier = {c.text for part in (*parts.values(), dev) for c in part[locale]}
        shared = sum(c.text in earlier for c in cases)
        assert shared == 0, (locale, shared)


def test_every_fresh_file_says_it_is_held_out_in_its_first_line():
    for locale in ("kk", "ru", "tg", "uz"):
        first = (FRESH / f"{locale}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert "FRESH HELD-OUT" in first and "never tune on it" in first, locale
