"""What is wrong with the content, said so that an editor can find it and fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# What a problem is about, in the order an editor's report lists them.
KINDS = {
    "schema": "Files that cannot be read or do not follow the format",
    "links": "Broken links between articles, sections and sources",
    "html": "Formatting that Telegram would reject",
    "length": "Messages too long for Telegram",
    "facts": "Coordinates and phone numbers",
    "missing": "Missing translations",
    "outdated": "Translations older than the Russian text",
    "review": "Reviews overdue",
    "terms": "Terms and abbreviations (content/termbase.yaml)",
    "sentences": "Sentences too long to read easily",
    "verify": "Facts still to verify",
    "search": "Example questions and keywords for search",
    "unused": "Sources in content/sources.yaml that nothing cites",
    "locales": "Interface strings (locales/)",
}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str
    severity: Literal["error", "warning", "note"] = "error"
    kind: str = "schema"

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        return f"{self.where}: {self.severity}: {self.message}"


class ContentError(Exception):
    """The content cannot be served; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        shown = "\n".join(str(p) for p in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} error(s) in the content:\n{shown}{more}")
