"""The termbase (`content/termbase.yaml`): one word for each thing, abbreviations spelled out,
and sentences short enough to read on a phone.

    terms:
      - id: police
        tg: {use: "полис", avoid: ["полиция"]}
    abbreviations:
      - short: "ЦОН"
        locale: ru
        full: "Центр обслуживания населения"

Matching is by whole words in any script (a Cyrillic or Latin letter, or the Uzbek ʻ, never
ends a word), ignoring case; every Uzbek apostrophe counts as ʻ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, ValidationError

from bot.catalog import yamlfile
from bot.catalog.model import Frozen
from bot.catalog.problems import Problem
from bot.locales import LOCALES

FILE = "termbase.yaml"
# Words in a sentence before it is reported as long: Russian words are shorter on average
# than Kazakh, Uzbek and Tajik ones, whose endings are written into the word.
SENTENCE_LIMITS = {"ru": 25, "kk": 22, "uz": 22, "tg": 22}
APOSTROPHES = str.maketrans({c: "ʻ" for c in "'‘’`ʼ"})
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
WORD = re.compile(r"[^\W\d_][\w\-ʻ]*")  # a word starts with a letter: "9:00" is no word
TAG = re.compile(r"<[^>]+>")
# What may stand between an abbreviation and its full form written right after it: "ЦОН (Центр …".
RIGHT_WITH = set(" (—–-,")


class Usage(Frozen):
    use: str = Field(min_length=1)
    avoid: tuple[str, ...] = ()


class Term(Frozen):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    kk: Usage | None = None
    ru: Usage | None = None
    uz: Usage | None = None
    tg: Usage | None = None


class Abbreviation(Frozen):
    short: str = Field(min_length=1)
    locale: str = Field(pattern="^(" + "|".join(LOCALES) + ")$")
    full: str = Field(min_length=3)


class Termbase(Frozen):
    terms: tuple[Term, ...] = ()
    abbreviations: tuple[Abbreviation, ...] = ()

    def avoided(self, locale: str) -> list[tuple[str, str, str]]:
        """(term id, variant to avoid, word to use) for one language."""
        found = []
        for term in self.terms:
            usage = getattr(term, locale)
            if usage:
                found += [(term.id, variant, usage.use) for variant in usage.avoid]
        return found

    def abbreviations_in(self, locale: str) -> list[Abbreviation]:
        return [a for a in self.abbreviations if a.locale == locale]


def fold(text: str) -> str:
    return text.translate(APOSTROPHES).casefold()


def word_pattern(word: str, *, ignore_case: bool = True) -> re.Pattern[str]:
    """`word` as a whole word: no letter of any script right before or after it."""
    body = re.escape(fold(word) if ignore_case else word)
    return re.compile(rf"(?<![\wʻ]){body}(?![\wʻ])")


def full_form_pattern(full: str) -> re.Pattern[str]:
    """The full form of an abbreviation, each word allowed its grammatical ending."""
    words = [w for w in fold(full).split() if w]
    parts = [re.escape(w[: max(3, len(w) - 2)]) + r"[\wʻ]*" for w in words]
    return re.compile(r"(?<![\wʻ])" + r"\s+".join(parts))


def read(root: Path) -> tuple[Termbase | None, list[Problem]]:
    path = root / FILE
    shown = f"{root.name}/{FILE}"
    if not path.exists():
        return None, []
    try:
        data = yamlfile.read(path)
    except yamlfile.YamlError as exc:
        return None, [Problem(shown, exc.line, str(exc), kind="terms")]
    if data is None:
        return Termbase(), []
    if not isinstance(data, dict):
        return None, [Problem(shown, None, "expected 'terms:' and 'abbreviations:'", kind="terms")]
    try:
        return Termbase.model_validate(data), []
    except ValidationError as exc:
        problems = [
            Problem(
                shown,
                yamlfile.line_of(data, tuple(error["loc"])),
                f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}",
                kind="terms",
            )
            for error in exc.errors()
        ]
        return None, problems


@dataclass(frozen=True)
class Passage:
    """A piece of text as the reader sees it: where it is, its language, and its role.

    `role` is "button" (a label on its own: section titles, centre names, button strings),
    "article" (one article's title and text, read in order) or "text".
    """

    path: str
    line: int | None
    locale: str
    text: str
    role: str = "text"


def _line(passage: Passage, offset: int) -> int | None:
    if passage.line is None:
        return None
    return passage.line + passage.text.count("\n", 0, offset)


def check(termbase: Termbase | None, passages: list[Passage]) -> list[Problem]:
    problems = []
    # Each language's avoided variants, folded once rather than once per passage.
    avoided = {
        locale: [(t, v, fold(v), u) for t, v, u in termbase.avoided(locale)] if termbase else []
        for locale in LOCALES
    }
    for passage in passages:
        plain = TAG.sub(lambda m: " " * len(m.group(0)), passage.text)
        folded = fold(plain)
        if termbase:
            problems += _avoided(avoided.get(passage.locale, []), passage, folded)
            problems += _abbreviations(termbase, passage, plain, folded)
        if passage.role != "button":
            problems += _long_sentences(passage, plain)
    return problems


def _avoided(
    avoided: list[tuple[str, str, str, str]], passage: Passage, folded: str
) -> list[Problem]:
    problems = []
    for term_id, variant, folded_variant, use in avoided:
        if folded_variant not in folded:
            continue  # cannot match: spares a regular expression per term and passage at start
        for match in word_pattern(variant).finditer(folded):
            message = (
                f"term {term_id!r}: «{variant}» is to be avoided in {passage.locale}; use «{use}»"
            )
            problems.append(
                Problem(passage.path, _line(passage, match.start()), message, kind="terms")
            )
    return problems


def _abbreviations(termbase: Termbase, passage: Passage, plain: str, folded: str) -> list[Problem]:
    problems = []
    for abbreviation in termbase.abbreviations_in(passage.locale):
        if abbreviation.short not in plain:
            continue
        first = word_pattern(abbreviation.short, ignore_case=False).search(plain)
        if first is None:
            continue
        full = full_form_pattern(abbreviation.full)
        # The full form stands before the abbreviation, or right after it: "ЦОН (Центр …)".
        spelled = full.search(folded)
        if spelled and (
            spelled.start() < first.start()
            or set(folded[first.end() : spelled.start()]) <= RIGHT_WITH
        ):
            continue
        where = _line(passage, first.start())
        if passage.role == "button":
            message = (
                f"«{abbreviation.short}» alone on a button: write «{abbreviation.full}» "
                "or a short plain word instead"
            )
            problems.append(Problem(passage.path, where, message, kind="terms"))
        elif passage.role == "article":
            message = (
                f"«{abbreviation.short}» is not spelled out at its first use: write "
                f"«{abbreviation.full} ({abbreviation.short})»"
            )
            problems.append(Problem(passage.path, where, message, "warning", "terms"))
    return problems


def _long_sentences(passage: Passage, plain: str) -> list[Problem]:
    limit = SENTENCE_LIMITS.get(passage.locale)
    if limit is None:
        return []
    problems = []
    start = 0
    for piece in [*SENTENCE_END.finditer(plain), None]:
        end = piece.start() if piece else len(plain)
        sentence = plain[start:end]
        words = len(WORD.findall(sentence))
        if words > limit:
            offset = start + len(sentence) - len(sentence.lstrip())
            message = f"a sentence of {words} words (over {limit} in {passage.locale}): split it"
            problems.append(
                Problem(passage.path, _line(passage, offset), message, "warning", "sentences")
            )
        start = piece.end() if piece else end
    return problems
