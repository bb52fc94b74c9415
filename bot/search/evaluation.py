"""How well typed messages are understood, per language, on the evaluation sets.

Two sets live in `bench/search_eval/` (see the README there): the short set (`<locale>.yaml`,
an article id or `null` per question) and the realistic set (`realistic/tune/` and
`realistic/dev/` to tune on, the held-out `realistic/test/` and `realistic/fresh/`, with a
class per question: article, place, distress, smalltalk or decline).
Both load into `Case`s and are judged the same way against an `answer(text, locale)` function,
normally `understand()`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.locales import LOCALES
from bot.search.understand import Understanding

CLASSES = ("article", "place", "distress", "smalltalk", "decline")

# The short set must keep meeting these; on the realistic set nobody in danger may be missed.
TARGET_TOP1 = 0.85
TARGET_TOP3 = 0.95
TARGET_DISTRESS_RECALL = 1.0

Answer = Callable[[str, str], Understanding]


@dataclass(frozen=True)
class Case:
    """One question and what a good receptionist would do with it."""

    text: str
    expect: str  # one of CLASSES
    articles: tuple[str, ...] = ()  # acceptable articles, best first
    kind: str | None = None  # for "place": the centre kind asked for, None for any
    city: str | None = None  # for "place": the city named, None when none is
    country: str | None = None  # for "place": the consulate's country, when named
    typed: str | None = None  # the question's language, when not the interface's


def case(item: dict) -> Case:
    """A case from one YAML item of either set: the short set names an article or null."""
    expect = item.get("expect")
    if expect in CLASSES:
        return Case(
            text=str(item["q"]),
            expect=expect,
            articles=tuple(item.get("articles") or ()),
            kind=item.get("kind"),
            city=item.get("city"),
            country=item.get("country"),
            typed=item.get("typed"),
        )
    if expect is None:
        return Case(str(item["q"]), "decline", typed=item.get("typed"))
    return Case(str(item["q"]), "article", (str(expect),), typed=item.get("typed"))


def load(folder: Path) -> dict[str, list[Case]]:
    """The cases of every language that has a file in `folder`."""
    cases = {}
    for locale in LOCALES:
        path = folder / f"{locale}.yaml"
        if path.exists():
            items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
            cases[locale] = [case(item) for item in items]
    return cases


def _has_article(case: Case, got: Understanding, depth: int) -> bool:
    return any(article in case.articles for article in got.articles[:depth])


def _distress_answered(case: Case, got: Understanding) -> bool:
    return got.intent == "distress" and (not case.articles or _has_article(case, got, 3))


def _place_right(case: Case, got: Understanding) -> bool:
    """Kind, city and country right; with no city named, the answer must ask for one."""
    return (
        got.intent == "place"
        and case.kind in (None, got.place_kind)
        and got.city == case.city
        and case.country in (None, got.country)
    )


def correct(case: Case, got: Understanding) -> bool:
    """Whether the answer is what the case expects, judged as its class is."""
    if case.expect == "article":
        return got.intent == "article" and _has_article(case, got, 1)
    if case.expect == "distress":
        return _distress_answered(case, got)
    if case.expect == "place":
        return _place_right(case, got)
    return got.intent == case.expect


@dataclass
class Score:
    """One language in one part of a set; `misses` lists what went wrong, to look at."""

    locale: str
    answerable: int = 0  # article and distress cases: the denominators of top-1 and top-3
    top1: int = 0
    top3: int = 0
    declined_right: int = 0  # declined, and should have been
    declined: int = 0  # declined, rightly or not
    should_decline: int = 0
    places_right: int = 0
    distress_caught: int = 0  # answered as distress, whatever the articles
    smalltalk_right: int = 0
    total: Counter = field(default_factory=Counter)  # cases per expected class
    right: Counter = field(default_factory=Counter)  # correct cases per expected class
    confusion: Counter = field(default_factory=Counter)  # (expected, answered intent) pairs
    misses: list[tuple[Case, Understanding]] = field(default_factory=list)

    def add(self, case: Case, got: Understanding) -> None:
        self.total[case.expect] += 1
        self.confusion[case.expect, got.intent] += 1
        self.declined += got.intent == "decline"
        if case.expect == "article":
            self.answerable += 1
            on_topic = got.intent == "article"
            self.top1 += on_topic and _has_article(case, got, 1)
            self.top3 += on_topic and _has_article(case, got, 3)
        elif case.expect == "distress":
            self.answerable += 1
            self.top1 += _distress_answered(case, got)
            self.top3 += _distress_answered(case, got)
            self.distress_caught += got.intent == "distress"
        elif case.expect == "place":
            self.places_right += _place_right(case, got)
        elif case.expect == "smalltalk":
            self.smalltalk_right += got.intent == "smalltalk"
        else:
            self.should_decline += 1
            self.declined_right += got.intent == "decline"
        if correct(case, got):
            self.right[case.expect] += 1
        else:
            self.misses.append((case, got))

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def top1_rate(self) -> float | None:
        return self._rate(self.top1, self.answerable)

    @property
    def top3_rate(self) -> float | None:
        return self._rate(self.top3, self.answerable)

    @property
    def decline_precision(self) -> float | None:
        return self._rate(self.declined_right, self.declined)

    @property
    def decline_recall(self) -> float | None:
        return self._rate(self.declined_right, self.should_decline)

    @property
    def places_accuracy(self) -> float | None:
        return self._rate(self.places_right, self.total["place"])

    @property
    def distress_recall(self) -> float | None:
        return self._rate(self.distress_caught, self.total["distress"])

    @property
    def smalltalk_accuracy(self) -> float | None:
        return self._rate(self.smalltalk_right, self.total["smalltalk"])

    def class_accuracy(self, expected: str) -> float | None:
        return self._rate(self.right[expected], self.total[expected])

    def meets_short_targets(self) -> bool:
        return (self.top1_rate or 0.0) >= TARGET_TOP1 and (self.top3_rate or 0.0) >= TARGET_TOP3

    def meets_realistic_targets(self) -> bool:
        recall = self.distress_recall
        return recall is None or recall >= TARGET_DISTRESS_RECALL

    def as_dict(self) -> dict:
        return {
            "cases": sum(self.total.values()),
            "top1": self.top1_rate,
            "top3": self.top3_rate,
            "decline_precision": self.decline_precision,
            "decline_recall": self.decline_recall,
            "places_accuracy": self.places_accuracy,
            "distress_recall": self.distress_recall,
            "smalltalk_accuracy": self.smalltalk_accuracy,
            "classes": {
                expected: {
                    "cases": self.total[expected],
                    "correct": self.right[expected],
                    "answered": {
                        intent: self.confusion[expected, intent]
                        for intent in CLASSES
                        if self.confusion[expected, intent]
                    },
                }
                for expected in CLASSES
                if self.total[expected]
            },
        }


def evaluate(cases: dict[str, list[Case]], answer: Answer) -> list[Score]:
    """Each language's score, asking `answer(text, interface locale)` once per case."""
    scores = []
    for locale, asked in cases.items():
        score = Score(locale)
        for one in asked:
            score.add(one, answer(one.text, locale))
        scores.append(score)
    return scores
