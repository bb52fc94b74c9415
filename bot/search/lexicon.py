"""Word lists from data files, matched on the folded skeleton of a message's words.

An entry is a word or a phrase. A word matches any typed word whose skeleton starts with its
skeleton (`консульств` finds `консульства`), so one entry covers the endings of all four
languages; a word written with a trailing `=`, and any word of under MIN_PREFIX letters, must be
typed whole. A phrase matches when its words are typed in this order, each at most WINDOW
words after the one before. An entry with no letters (an emoji) matches where it is typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.search.normalise import fold, words

MIN_PREFIX = 3
WINDOW = 3
WHOLE = "="
# The keys of a mapping that hold entries: the languages, and `any` for what all of them type.
LANGUAGES = ("kk", "ru", "uz", "tg", "any")


def read(name: str) -> dict:
    return yaml.safe_load(Path(__file__).with_name(name).read_text("utf-8"))


@dataclass(frozen=True)
class Entry:
    """One word or phrase: (skeleton, whole word only) per word; `raw` for emoji."""

    parts: tuple[tuple[str, bool], ...]
    raw: str = ""

    @classmethod
    def parse(cls, text: str) -> Entry:
        parts: list[tuple[str, bool]] = []
        for written in text.split():
            for word in words(written):
                skeleton = fold(word)
                if skeleton:
                    whole = written.endswith(WHOLE) or len(skeleton) < MIN_PREFIX
                    parts.append((skeleton, whole))
        return cls(tuple(parts), "" if parts else text.strip())


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    return fold(word)


def _fits(token: str, part: tuple[str, bool]) -> bool:
    skeleton, whole = part
    return token == skeleton if whole else token.startswith(skeleton)


class Lexicon:
    """Entries filed under how their first word starts, so a message looks up only the entries
    its own words could begin, not every entry."""

    def __init__(self, found: Iterable[Entry]) -> None:
        self.entries = tuple(found)
        self.emoji = tuple(entry for entry in self.entries if not entry.parts)
        self.by_head: dict[str, list[Entry]] = {}
        for entry in self.entries:
            if entry.parts:
                skeleton, _ = entry.parts[0]
                self.by_head.setdefault(skeleton[:MIN_PREFIX], []).append(entry)


class Message:
    """A message as the lexicons see it: the folded words, and the text for emoji."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = words(text)
        self.tokens = [_fold(word) for word in self.words]
        # Where each word's first letters stand: a lexicon looks up only its own entries' heads.
        self.heads: dict[str, list[int]] = {}
        for position, token in enumerate(self.tokens):
            self.heads.setdefault(token[:MIN_PREFIX], []).append(position)

    def _span(self, entry: Entry, start: int) -> tuple[int, ...] | None:
        taken = [start]
        for part in entry.parts[1:]:
            following = range(taken[-1] + 1, min(len(self.tokens), taken[-1] + 1 + WINDOW))
            at = next((i for i in following if _fits(self.tokens[i], part)), None)
            if at is None:
                return None
            taken.append(at)
        return tuple(taken)

    def spans(self, lexicon: Lexicon) -> list[tuple[int, ...]]:
        """The positions of the words each match took; () for an emoji typed."""
        found: list[tuple[int, ...]] = [() for entry in lexicon.emoji if entry.raw in self.text]
        for head, starting in lexicon.by_head.items():
            for start in self.heads.get(head, ()):
                for entry in starting:
                    if _fits(self.tokens[start], entry.parts[0]):
                        span = self._span(entry, start)
                        if span is not None:
                            found.append(span)
        return sorted(found)

    def matched(self, lexicon: Lexicon) -> set[int]:
        """The positions of words that the lexicon's entries took; {-1} for an emoji alone."""
        taken: set[int] = set()
        for span in self.spans(lexicon):
            taken.update(span or (-1,))
        return taken

    def has(self, lexicon: Lexicon) -> bool:
        return bool(self.spans(lexicon))


def entries(data: object) -> Lexicon:
    """Every entry of a list, or of a mapping of languages (or `any`) to lists."""
    if isinstance(data, dict):
        items = [item for key in LANGUAGES for item in data.get(key) or ()]
    elif isinstance(data, list | tuple):
        items = list(data)
    else:
        items = []
    return Lexicon(Entry.parse(str(item)) for item in items)
