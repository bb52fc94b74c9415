"""What is left of a typed query once anything that could identify a person is taken out.

Used by search before it reports an unanswered query, and again by storage before it keeps
one: e-mails, links, @handles and phone numbers go, then every remaining digit (document,
card and phone numbers are digits). Plain Python only, so the core can use it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_LENGTH = 100

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"@\w+")
_PHONE = re.compile(r"\+?\d[\d\s().\-]{4,}\d")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")


def scrub(text: str, names: Iterable[str | None] = ()) -> str | None:
    """The query without identifying details, lower-cased and cut to `MAX_LENGTH`.

    `names` are the asker's own names and username as Telegram gave them: people often sign
    a question, and those words are taken out too. None when nothing readable is left, so that
    no empty query is ever kept.
    """
    for name in names:
        if name and len(name) > 1:
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", text, flags=re.IGNORECASE)
    for pattern in (_EMAIL, _LINK, _HANDLE, _PHONE, _DIGIT):
        text = pattern.sub(" ", text)
    words = [word for word in text.lower().split() if _LETTER.search(word)]
    kept: list[str] = []
    length = 0
    for word in words:
        if length + len(word) + len(kept) > MAX_LENGTH:
            if not kept:
                kept.append(word[:MAX_LENGTH])
            break
        kept.append(word)
        length += len(word)
    return " ".join(kept) or None
