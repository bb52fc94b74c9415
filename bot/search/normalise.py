"""Folding text to one spelling, so the same word matches however a phone keyboard typed it.

People write Kazakh and Uzbek in Cyrillic or in Latin, Uzbek's `oʻ` with any of five
apostrophes, Kazakh and Tajik without their special letters (`қ` as `к`, `ҳ` as `х`), and
Russian in Latin letters (`zarplata`, `policiya`). `fold` maps all of these to one lossy
"skeleton" in Latin letters, one letter a sound:

    жалақы, жалакы, jalaqy, zhalaky   ->  jalaki
    oʻzbek, o'zbek, o‘zbek, ўзбек     ->  ozbek
    ҳуҷҷат, хуччат                    ->  hucat
    шиноснома, shinosnoma             ->  winosnoma
    полиция, policiya, politsiya      ->  politsia

The skeleton is for matching only; nobody reads it. Letters that sound alike collapse (`и ы й і
ӣ y` are all `i`), and so do doubled letters, since people double or drop them at will.
"""

from __future__ import annotations

import re
import unicodedata

# Latin, as typed: digraphs first (longest first), then single letters. `w` and `c` are free in
# the skeleton once Latin `c` is mapped, so they stand for ш and ч. Latin `ts` is left alone:
# it is ц in `politsiya` but two letters in `hujjatsiz`; ц becomes `ts` instead.
_LATIN = {
    # щ as `sch`; `shch` is left to read as ш + ч, which is Uzbek `ishchi` (worker) too.
    "sch": "wc",
    "sh": "w",
    "ch": "c",
    "zh": "j",
    "kh": "h",
    "gh": "g",
    "c": "ts",
    "q": "k",
    "x": "h",
    "y": "i",
    "w": "w",
}
_LATIN_RE = re.compile("|".join(sorted(_LATIN, key=len, reverse=True)))

# Cyrillic of all four languages, and the Latin letters with diacritics of the Kazakh and
# Turkic alphabets. One entry a letter: what it sounds like in the skeleton.
_LETTERS = {
    "а": "a",
    "ә": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "g",
    "д": "d",
    "е": "e",
    "ё": "io",
    "ж": "j",
    "з": "z",
    "и": "i",
    "ӣ": "i",
    "й": "i",
    "і": "i",
    "к": "k",
    "қ": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "ң": "n",
    "о": "o",
    "ө": "o",
    # Uzbek Cyrillic ў is Latin oʻ.
    "ў": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ү": "u",
    "ұ": "u",
    "ӯ": "u",
    "ф": "f",
    "х": "h",
    "ҳ": "h",
    "һ": "h",
    "ц": "ts",
    "ч": "c",
    # Tajik ҷ is typed as ч when the keyboard lacks it.
    "ҷ": "c",
    "ш": "w",
    "щ": "wc",
    "ъ": "",
    "ы": "i",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    "ä": "a",
    "ö": "o",
    "ü": "u",
    "ū": "u",
    "ı": "i",
    "ğ": "g",
    "ş": "w",
    "ç": "c",
    "ñ": "n",
}
_LETTERS_TABLE = str.maketrans(_LETTERS)

# Every way a phone writes the Uzbek oʻ/gʻ mark or the Russian hard and soft signs in Latin.
APOSTROPHES = "'ʻʼ‘’`´ʹ′"
_WORD_RE = re.compile(r"[^\W_]+(?:[" + APOSTROPHES + r"][^\W\d_]+)*|\d+")
_DOUBLES_RE = re.compile(r"(.)\1+")


def _strip_marks(text: str) -> str:
    """Remove accents that are not letters of their own (é -> e), keeping й, ё and ӣ whole."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return kept if kept == decomposed else unicodedata.normalize("NFC", kept)


def _fold_latin(match: re.Match[str]) -> str:
    return _LATIN[match.group()]


def fold(word: str, *, collapse: bool = True) -> str:
    """The skeleton of one word (or of any text: spaces and punctuation pass through).

    `collapse=False` keeps doubled letters, for stemmers that must see where a stem ends and
    its ending starts (`құжат-тар`); they collapse them afterwards.
    """
    text = unicodedata.normalize("NFC", word.lower())
    text = "".join(ch for ch in text if ch not in APOSTROPHES)
    # Latin as typed first: the Cyrillic letters then become skeleton letters that must not be
    # read as Latin again (ч gives `c`, which Latin `c` is not).
    text = _LATIN_RE.sub(_fold_latin, text)
    text = text.translate(_LETTERS_TABLE)
    if not text.isascii():
        text = _strip_marks(text)
    return collapse_doubles(text) if collapse else text


def collapse_doubles(text: str) -> str:
    return _DOUBLES_RE.sub(r"\1", text)


def words(text: str) -> list[str]:
    """The words of `text` as written (lower-case, apostrophes inside a word kept), and numbers."""
    return _WORD_RE.findall(unicodedata.normalize("NFC", text.lower()))


def is_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)
