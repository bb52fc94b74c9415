"""The period operators ask about: `30d`, `4w`, or a start date such as `2026-01-31`."""

from __future__ import annotations

import datetime as dt
import re

DEFAULT = "30d"
_SPAN = re.compile(r"^(\d{1,4})\s*([dw]?)$")


def parse_since(text: str, today: dt.date) -> dt.date:
    """The first day of the period that ends today; raises ValueError for anything else."""
    text = text.strip().lower()
    if match := _SPAN.match(text):
        days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
        if days < 1:
            raise ValueError("the period must be at least one day")
        return today - dt.timedelta(days=days - 1)
    try:
        since = dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"not a period: {text!r} (try 30d, 4w or 2026-01-31)") from None
    if since > today:
        raise ValueError("the period cannot start in the future")
    return since
