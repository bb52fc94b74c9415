"""The operators' office hours: parsed from a setting such as "Mon-Fri 09:00-18:00", asked
whether they are open at a moment, and when they open next. Plain values; the clock is given."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from babel.dates import format_datetime, get_day_names

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPAN = re.compile(
    r"^(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<open>\d{1,2}:\d{2})\s*-\s*(?P<close>\d{1,2}:\d{2})$"
)


@dataclass(frozen=True)
class Span:
    days: tuple[int, ...]  # Monday is 0
    opens: dt.time
    closes: dt.time


def _time(text: str) -> dt.time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours == 24 and minutes == 0:
        return dt.time.max
    return dt.time(hours, minutes)


def parse_hours(text: str) -> tuple[Span, ...]:
    """`Mon-Fri 09:00-18:00, Sat 10:00-14:00`; ValueError saying what is wrong."""
    spans = []
    for part in (p.strip().lower() for p in text.split(",")):
        match = _SPAN.match(part)
        if match is None or match["first"] not in DAYS or (match["last"] or "mon") not in DAYS:
            raise ValueError(f"cannot read {part!r}: write it like 'Mon-Fri 09:00-18:00'")
        first = DAYS.index(match["first"])
        last = DAYS.index(match["last"]) if match["last"] else first
        try:
            opens, closes = _time(match["open"]), _time(match["close"])
        except ValueError:
            raise ValueError(f"cannot read the times in {part!r}") from None
        if closes <= opens or last < first:
            raise ValueError(f"{part!r} closes before it opens")
        spans.append(Span(tuple(range(first, last + 1)), opens, closes))
    return tuple(spans)


def is_open(spans: tuple[Span, ...], local: dt.datetime) -> bool:
    moment = local.time()
    return any(local.weekday() in s.days and s.opens <= moment < s.closes for s in spans)


def next_opening(spans: tuple[Span, ...], local: dt.datetime) -> dt.datetime:
    """The next moment the office opens, after `local` (a week ahead at most)."""
    for offset in range(8):
        day = (local + dt.timedelta(days=offset)).date()
        starts = sorted(
            dt.datetime.combine(day, s.opens, local.tzinfo)
            for s in spans
            if day.weekday() in s.days
        )
        for start in starts:
            if start > local:
                return start
    raise ValueError("no opening hours")


def describe(spans: tuple[Span, ...], locale: str) -> str:
    """The hours in the user's language: `Дс–Жм 09:00–18:00`."""
    names = get_day_names("abbreviated", locale=locale)
    parts = []
    for span in spans:
        days = names[span.days[0]]
        if len(span.days) > 1:
            days += "–" + names[span.days[-1]]
        closes = "24:00" if span.closes == dt.time.max else span.closes.strftime("%H:%M")
        parts.append(f"{days} {span.opens.strftime('%H:%M')}–{closes}")
    return ", ".join(parts)


def when(moment: dt.datetime, locale: str) -> str:
    """A weekday, date and time in the user's language, for "operators answer from …"."""
    return format_datetime(moment, "EEEE, d MMMM, HH:mm", tzinfo=moment.tzinfo, locale=locale)
