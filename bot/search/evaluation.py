"""How well search answers the evaluation set: top-1 and top-3 accuracy per language.

The set lives in `bench/search_eval/<locale>.yaml` (see the README there): questions as people
type them, each with the article it should find, or `null` when nothing should be found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.locales import LOCALES
from bot.search.index import SearchIndex
from bot.search.rank import search

TARGET_TOP1 = 0.85
TARGET_TOP3 = 0.95


@dataclass(frozen=True)
class Question:
    text: str
    expect: str | None
    typed: str | None = None


@dataclass
class Score:
    """One language's results; `misses` lists what went wrong, for editors to look at."""

    locale: str
    answerable: int = 0
    top1: int = 0
    top3: int = 0
    unanswerable: int = 0
    declined: int = 0
    misses: list[tuple[Question, tuple[str, ...]]] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.answerable if self.answerable else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.answerable if self.answerable else 0.0

    @property
    def meets_targets(self) -> bool:
        return self.top1_rate >= TARGET_TOP1 and self.top3_rate >= TARGET_TOP3


def load(folder: Path) -> dict[str, list[Question]]:
    """The questions of every language that has a file in `folder`."""
    questions = {}
    for locale in LOCALES:
        path = folder / f"{locale}.yaml"
        if not path.exists():
            continue
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        questions[locale] = [
            Question(str(item["q"]), item.get("expect"), item.get("typed")) for item in items
        ]
    return questions


def evaluate(index: SearchIndex, questions: dict[str, list[Question]]) -> list[Score]:
    scores = []
    for locale, asked in questions.items():
        score = Score(locale)
        for question in asked:
            found = tuple(hit.article for hit in search(index, question.text, locale))
            if question.expect is None:
                score.unanswerable += 1
                score.declined += not found
                if found:
                    score.misses.append((question, found))
                continue
            score.answerable += 1
            score.top1 += found[:1] == (question.expect,)
            score.top3 += question.expect in found[:3]
            if found[:1] != (question.expect,):
                score.misses.append((question, found))
        scores.append(score)
    return scores
