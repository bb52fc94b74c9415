"""Operators' statistics over a period: counts only, never who.

Counts of events (views, searches, feedback) and daily active users include days already
rolled up. Weekly and monthly active users need the raw events, which are kept at least 30
days; new users come from the first-seen day of the kept preferences.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from statistics import median

from sqlalchemy import distinct, func, select

from storage.daily import ACTIVE, ALL_LOCALES, DailyRow, counted
from storage.db import Database
from storage.models import RecordedEvent, UnansweredQuery, UserPreference
from storage.retention import utc_today

TOP = 10
TOP_QUERIES = 20
OUTSIDE = "outside"  # nearest-centre searches from outside the region, which have no city


@dataclass(frozen=True)
class Feedback:
    article: str
    locale: str
    up: int
    down: int


@dataclass(frozen=True)
class Talks:
    """Conversations with the operators in one language: how many, how fast, how they ended."""

    locale: str
    opened: int
    answered: int
    median_reply_minutes: float | None
    outcomes: dict[str, int]


@dataclass(frozen=True)
class Stats:
    since: dt.date
    until: dt.date
    new_users: int = 0
    new_by_language: dict[str, int] = field(default_factory=dict)
    daily_active: float = 0.0  # average over the days of the period
    weekly_active: int = 0  # distinct users in the 7 days up to `until`
    monthly_active: int = 0  # distinct users in the 30 days up to `until`
    daily_active_by_language: dict[str, float] = field(default_factory=dict)
    events_by_language: dict[str, int] = field(default_factory=dict)
    sections: list[tuple[str, int]] = field(default_factory=list)
    articles: list[tuple[str, int]] = field(default_factory=list)
    centres: list[tuple[str, int]] = field(default_factory=list)
    nearest_by_city: list[tuple[str, int]] = field(default_factory=list)
    searches_answered: int = 0
    searches_unanswered: int = 0
    unanswered_queries: list[tuple[str, int]] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    conversations: list[Talks] = field(default_factory=list)
    # users active each day of the period, per locale and over all of them (`*`)
    daily_users: dict[str, list[int]] = field(default_factory=dict)

    @property
    def days(self) -> list[dt.date]:
        count = (self.until - self.since).days + 1
        return [self.since + dt.timedelta(days=n) for n in range(count)]

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["since"], data["until"] = self.since.isoformat(), self.until.isoformat()
        data["days"] = [day.isoformat() for day in self.days]
        for name in ("sections", "articles", "centres", "nearest_by_city"):
            data[name] = [{"id": key, "count": n} for key, n in data[name]]
        data["unanswered_queries"] = [
            {"query": query, "count": n} for query, n in data["unanswered_queries"]
        ]
        return data


def _ranked(counts: Counter[str], limit: int | None = None) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def summarise(rows: Iterable[DailyRow], since: dt.date, until: dt.date) -> Stats:
    """The period's figures from daily rows alone: plain arithmetic, no database."""
    period = Stats(since, until)
    days = period.days
    index = {day: n for n, day in enumerate(days)}
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    by_language: Counter[str] = Counter()
    users_by_language: Counter[str] = Counter()
    series: dict[str, list[int]] = {}
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    talks: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for row in rows:
        if row.day not in index:
            continue
        if row.kind == ACTIVE:
            series.setdefault(row.locale, [0] * len(days))[index[row.day]] += row.users
            if row.locale != ALL_LOCALES:
                by_language[row.locale] += row.events
                users_by_language[row.locale] += row.users
        elif row.kind in TALK_KINDS:
            # Minutes to the first reply are the subject of `talk_reply`; outcomes the value.
            talks[row.locale][row.kind][row.subject or row.value] += row.events
        elif row.kind == "feedback":
            # One vote a day per person and article: pressing twice does not count twice.
            votes[(row.subject, row.locale)][row.value] += row.users
        else:
            kinds[row.kind][row.subject] += row.events
    nearest = Counter({(city or OUTSIDE): n for city, n in kinds["nearest"].items()})
    total = series.get(ALL_LOCALES, [0] * len(days))
    return Stats(
        since,
        until,
        daily_active=round(sum(total) / len(days), 2),
        daily_active_by_language={
            locale: round(n / len(days), 2) for locale, n in sorted(users_by_language.items())
        },
        events_by_language=dict(sorted(by_language.items())),
        sections=_ranked(kinds["section"]),
        articles=_ranked(kinds["article"], TOP),
        centres=_ranked(kinds["centre"], TOP),
        nearest_by_city=_ranked(nearest),
        searches_answered=sum(kinds["search_hit"].values()),
        searches_unanswered=sum(kinds["search_miss"].values()),
        feedback=[
            Feedback(article, locale, count["up"], count["down"])
            for (article, locale), count in sorted(
                votes.items(), key=lambda item: (-sum(item[1].values()), item[0])
            )
        ],
        daily_users={locale: series[locale] for locale in sorted(series)},
        conversations=[_talks(locale, talks[locale]) for locale in sorted(talks)],
    )


TALK_KINDS = ("talk_open", "talk_reply", "talk_close")


def _talks(locale: str, kinds: dict[str, Counter[str]]) -> Talks:
    replies = sorted(
        int(minutes)
        for minutes, n in kinds["talk_reply"].items()
        if minutes.isdigit()
        for _ in range(n)
    )
    return Talks(
        locale,
        opened=sum(kinds["talk_open"].values()),
        answered=len(replies),
        median_reply_minutes=float(median(replies)) if replies else None,
        outcomes=dict(sorted(kinds["talk_close"].items())),
    )


async def gather(db: Database, since: dt.date, today: dt.date | None = None) -> Stats:
    """Statistics from `since` to `today` (UTC days, both included)."""
    until = today or utc_today()
    e = RecordedEvent.__table__.c  # type: ignore[attr-defined]
    q = UnansweredQuery.__table__.c  # type: ignore[attr-defined]
    u = UserPreference.__table__.c  # type: ignore[attr-defined]

    def distinct_users(days: int):  # type: ignore[no-untyped-def]
        window = until - dt.timedelta(days=days - 1)
        return select(func.count(distinct(e.user_key))).where(e.day >= window, e.day <= until)

    async with db.engine.connect() as connection:
        rows = await counted(connection, since)
        new = {
            locale: n
            for locale, n in await connection.execute(
                select(u.locale, func.count())
                .where(u.first_seen >= since, u.first_seen <= until)
                .group_by(u.locale)
            )
        }
        weekly = (await connection.execute(distinct_users(7))).scalar_one()
        monthly = (await connection.execute(distinct_users(30))).scalar_one()
        queries = list(
            await connection.execute(
                select(q.query, func.count().label("n"))
                .where(q.day >= since)
                .group_by(q.query)
                .order_by(func.count().desc(), q.query)
                .limit(TOP_QUERIES)
            )
        )
    return replace(
        summarise(rows, since, until),
        new_users=sum(new.values()),
        new_by_language=dict(sorted(new.items())),
        weekly_active=weekly,
        monthly_active=monthly,
        unanswered_queries=[(query, n) for query, n in queries],
    )
