"""Checks for the subset of HTML that Telegram's `parse_mode=HTML` accepts."""

from __future__ import annotations

import html
from html.parser import HTMLParser

MESSAGE_LIMIT = 4096
ALLOWED = {
    "b": set(),
    "strong": set(),
    "i": set(),
    "em": set(),
    "u": set(),
    "ins": set(),
    "s": set(),
    "strike": set(),
    "del": set(),
    "a": {"href"},
    "code": {"class"},
    "pre": set(),
    "blockquote": {"expandable"},
    "tg-spoiler": set(),
    "span": {"class"},
}
ENTITIES = {"lt", "gt", "amp", "quot"}


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.errors: list[tuple[int, str]] = []
        self.stack: list[tuple[str, int]] = []
        self.text: list[str] = []

    def error(self, message: str) -> None:
        self.errors.append((self.getpos()[0], message))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.error(f"tag <{tag}> is not allowed by Telegram")
            return
        for name, _value in attrs:
            if name not in ALLOWED[tag]:
                self.error(f"attribute {name!r} is not allowed on <{tag}>")
        if tag == "a" and not dict(attrs).get("href"):
            self.error("<a> needs an href")
        self.stack.append((tag, self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.error(f"</{tag}> does not close the tag opened last")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in ENTITIES:
            self.error(f"&{name}; is not an entity Telegram knows; write &amp;{name};")
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))


def check(text: str) -> list[tuple[int, str]]:
    """(line, reason) for each thing Telegram would reject in `text`; empty if none."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    errors = list(checker.errors)
    for tag, line in checker.stack:
        errors.append((line, f"<{tag}> is never closed"))
    if "<" in checker.rawdata:
        line = text.count("\n", 0, len(text) - len(checker.rawdata)) + 1
        errors.append((line, "a lone '<' must be written &lt;"))
    return errors


def visible_length(text: str) -> int:
    """Length of the text Telegram counts against its limit: tags removed, entities decoded."""
    return len(plain_text(text))


def plain_text(text: str) -> str:
    """What the reader sees of `text`: tags removed, entities decoded."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    return "".join(checker.text)
