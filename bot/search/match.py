"""Which of the index's keys a word of a question may stand for, and how sure that is.

The question's language is not known (a user with an Uzbek interface may write Russian), so a
word is tried as every language: its whole skeleton, and its stem under each of the four
stemmers. The surest kind of match that finds anything wins:

1. the whole word, or one of its stems (`зарплату` -> `zarplat`);
2. a key a letter or two of ending longer or shorter (`jalak` and `jalaki`), since hand-made
   stemmers do not always cut where the text's stemmer did;
3. a key one or two typos away (`докуметы` -> `dokument`), found with rapidfuzz among the keys
   that start with the same letter.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.search.index import SearchIndex
from bot.search.normalise import fold
from bot.search.stems import stems

EXACT = 1.0
STEM = 0.95
SHORT_STEM = 0.6  # a stem of under MIN_NEAR letters: `кад` from `кадом` is mostly chance
NEAR = 0.9  # one letter of ending more or less; each further letter takes NEAR_STEP off
NEAR_STEP = 0.1
FUZZY = 0.75  # times the share of letters that are right

# Near and fuzzy matches need this many letters: short words match too much by chance.
MIN_NEAR = 4
MIN_FUZZY = 5
MAX_ENDING = 2
FUZZY_CHOICES = 3

STOPWORDS = frozenset(
    fold(word)
    for found in yaml.safe_load(
        (Path(__file__).with_name("stopwords.yaml")).read_text("utf-8")
    ).values()
    for word in found
)


def is_stopword(word: str) -> bool:
    return fold(word) in STOPWORDS


def _keep(found: dict[str, float], key: str, certainty: float) -> None:
    if certainty > found.get(key, 0.0):
        found[key] = certainty


def _near(index: SearchIndex, candidate: str) -> dict[str, float]:
    found: dict[str, float] = {}
    shortest = max(MIN_NEAR, len(candidate) - MAX_ENDING)
    for length in range(len(candidate) - 1, shortest - 1, -1):
        if candidate[:length] in index:
            _keep(found, candidate[:length], NEAR - NEAR_STEP * (len(candidate) - length - 1))
            break
    for key in index.longer(candidate, MAX_ENDING):
        _keep(found, key, NEAR - NEAR_STEP * (len(key) - len(candidate) - 1))
    return found


def _fuzzy(index: SearchIndex, candidate: str) -> dict[str, float]:
    typos = 1 if len(candidate) < 8 else 2
    found = {}
    for key, distance, _ in process.extract(
        candidate,
        index.by_initial.get(candidate[0], ()),
        scorer=Levenshtein.distance,
        score_cutoff=typos,
        limit=FUZZY_CHOICES,
    ):
        if len(key) >= MIN_FUZZY:
            found[key] = FUZZY * (1 - distance / max(len(key), len(candidate)))
    return found


def matches(index: SearchIndex, word: str) -> dict[str, float]:
    """The keys this word may stand for, each with how sure that is (0 to 1)."""
    if word.isdigit():
        return {word: EXACT} if word in index else {}
    skeleton = fold(word)
    if len(skeleton) < 2:
        return {}
    found: dict[str, float] = {}
    if skeleton in index:
        found[skeleton] = EXACT
    candidates = sorted(stems(word), key=len, reverse=True)
    for candidate in candidates:
        if candidate in index and candidate != skeleton:
            if len(candidate) >= MIN_NEAR:
                found[candidate] = STEM
            elif skeleton not in found:
                found[candidate] = SHORT_STEM
    if any(certainty >= STEM for certainty in found.values()):
        return found
    for candidate in candidates:
        if len(candidate) >= MIN_NEAR:
            for key, certainty in _near(index, candidate).items():
                _keep(found, key, certainty)
    if found or len(skeleton) < MIN_FUZZY:
        return found
    for candidate in candidates:
        if len(candidate) >= MIN_FUZZY:
            for key, certainty in _fuzzy(index, candidate).items():
                _keep(found, key, certainty)
    return found


def pair_keys(index: SearchIndex, word: str, found: dict[str, float]) -> dict[str, float]:
    """A word's keys for looking up pairs: its short stems too, since a pair is rarely chance."""
    keys = {key: certainty for key, certainty in found.items() if certainty >= NEAR}
    if not word.isdigit():
        for candidate in stems(word):
            if candidate in index:
                keys.setdefault(candidate, STEM)
    return keys
