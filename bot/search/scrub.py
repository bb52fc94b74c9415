"""What may be kept of a question nobody could answer: its words, never who asked.

Editors see unanswered questions to learn what to write next. People type their phone
number, e-mail, documents' numbers or a friend's @name into a chat without thinking, so all
of these, and every other digit, go before a question is kept anywhere.
"""

from __future__ import annotations

import re

LIMIT = 200

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"@\w+")
# A phone number as people write it: +7 (701) 123-45-67, 8 701 1234567, 998901234567...
_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s+")


def scrub(text: str, limit: int = LIMIT) -> str:
    """The question without e-mails, links, @names, phone numbers or digits, on one line."""
    for pattern in (_EMAIL, _LINK, _HANDLE, _PHONE, _DIGIT):
        text = pattern.sub(" ", text)
    return _SPACE.sub(" ", text).strip()[:limit].rstrip()
