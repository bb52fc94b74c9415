"""Word endings: a stem for each word, so `зарплату` finds `зарплата` and `pasportimni` `pasport`.

Russian uses the Snowball stemmer. Snowball has none for Kazakh, Uzbek or Tajik, so for them
this module strips the common endings by hand. All three put their endings after the stem, one
after another (Kazakh `паспорт-ым-ды`, Uzbek `pasport-im-ni`, Tajik `шиноснома-ам-ро`), so
taking known endings off the right, the outermost kind first, finds the stem well enough for
search. Where it cuts too much or too little, search also accepts a stem a letter or two of
ending away (see `match`).

The endings are written as skeletons (see `normalise.fold`): vowel pairs that differ only by
vowel harmony fold to one, so one entry covers `-лар`/`-лер` or `-ды`/`-ді`. Stripping need not
be right in the grammar books' sense, only the same for the text and for the question, so that
both meet at the same stem.
"""

from __future__ import annotations

from functools import lru_cache

import Stemmer

from bot.search.normalise import collapse_doubles, fold, is_cyrillic

MIN_STEM = 3

# Each language's endings in the order they come off a word, outermost first: a word loses at
# most one from each group. Kazakh and Uzbek: case or verb ending, then possessive, then
# plural (`паспорт-тар-ым-ды`); Tajik: object marker, izofat or verb ending, then possessive,
# then plural (`шиноснома-ҳо-ям-ро`).
KAZAKH = (
    (
        "nin", "din", "tin", "ga", "ge", "ka", "ke", "na", "ne", "ni", "di", "ti",
        "da", "de", "ta", "te", "dan", "den", "tan", "ten",
        "men", "ben", "pen", "gan", "gen", "kan", "ken", "maidi", "meidi", "baidi",
        "beidi", "paidi", "peidi", "idi", "adi", "edi", "min", "sin", "uga", "uge",
        "ip", "ap", "ep", "u",
    ),
    ("imiz", "iniz", "miz", "niz", "im", "in", "si", "i"),
    ("lar", "ler", "dar", "der", "tar", "ter"),
)  # fmt: skip

# Uzbek in the Latin skeleton: oʻ is o, q is k, x is h, sh is w, ch is c, y is i.
UZBEK = (
    (
        "ning", "ni", "ga", "ka", "da", "dagi", "dan", "gaca", "mokda", "iapti",
        "iapman", "iapmiz", "aiapti", "iotgan", "mokci", "gan", "kan", "dim", "ding",
        "dik", "di", "man", "adi", "aman", "ib", "iw", "w", "mi",
    ),
    ("imiz", "ingiz", "miz", "ngiz", "im", "ing", "si", "i"),
    ("lar",),
)  # fmt: skip

TAJIK = (
    ("ro", "and", "ad", "ed", "em", "an", "i", "e"),
    # Not `-ат` (your): too many stems end in it (ҳуҷҷат, меҳнат, мӯҳлат).
    ("amon", "aton", "awon", "am", "aw"),
    ("hoi", "ho", "ion", "on"),
)  # fmt: skip

# Longest first within a group, so `-dan` is tried before `-n` would be.
ENDINGS = {
    language: tuple(tuple(sorted(group, key=len, reverse=True)) for group in groups)
    for language, groups in (("kk", KAZAKH), ("uz", UZBEK), ("tg", TAJIK))
}
_RUSSIAN = Stemmer.Stemmer("russian", 0)


def strip_endings(skeleton: str, groups: tuple[tuple[str, ...], ...]) -> str:
    """Take at most one ending from each group off a skeleton, keeping MIN_STEM letters."""
    stem = skeleton
    for group in groups:
        for ending in group:
            if stem.endswith(ending) and len(stem) - len(ending) >= MIN_STEM:
                stem = stem[: -len(ending)]
                break
    return stem


@lru_cache(maxsize=65536)
def russian(word: str) -> str:
    """Snowball's stem of a Russian word, as a skeleton; Latin words are only folded."""
    if not is_cyrillic(word):
        return fold(word)
    return fold(_RUSSIAN.stemWord(word.replace("ё", "е")))


@lru_cache(maxsize=65536)
def stem(word: str, language: str) -> str:
    """The stem of a word written in `language`, as a skeleton."""
    if word.isdigit():
        return word
    if language == "ru":
        return russian(word)
    endings = ENDINGS.get(language)
    if not endings:
        return fold(word)
    return collapse_doubles(strip_endings(fold(word, collapse=False), endings))


def stems(word: str) -> set[str]:
    """Every stem the word could have, for a question whose language is not known."""
    if word.isdigit():
        return {word}
    return {stem(word, language) for language in ("ru", *ENDINGS)} | {fold(word)}
