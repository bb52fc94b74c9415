"""`{contact:<id>}` in an article's text: a number from `content/contacts.yaml`, written once.

The placeholder is replaced when the content is loaded by the number as written in
contacts.yaml (international form, `+7 …`, or a short number such as 112), which Telegram
makes tappable. An id that is not in contacts.yaml is an error at the line it is used on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from bot.catalog.model import Contact

PLACEHOLDER = re.compile(r"\{contact:([^}\s]*)\}")


def expand(text: str, contacts: Mapping[str, Contact]) -> tuple[str, list[tuple[int, str]]]:
    """`text` with every placeholder replaced, and (line in `text`, id) of each unknown id."""
    unknown: list[tuple[int, str]] = []

    def number(match: re.Match[str]) -> str:
        contact = contacts.get(match.group(1))
        if contact is None:
            unknown.append((text.count("\n", 0, match.start()) + 1, match.group(1)))
            return match.group(0)
        return contact.number

    return PLACEHOLDER.sub(number, text), unknown
