"""A small, fully known history of use, and the statistics it must give."""

from __future__ import annotations

import datetime as dt

from storage import Database
from storage.events import EventRecord, write_events
from storage.models import UserPreference

TODAY = dt.date(2026, 3, 31)


def at(days_ago: int, hour: int = 12, today: dt.date = TODAY) -> dt.datetime:
    day = today - dt.timedelta(days=days_ago)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def history(today: dt.date = TODAY) -> list[EventRecord]:
    a, b, c, d, e = "user-a", "user-b", "user-c", "user-d", "user-e"

    def when(days_ago: int, hour: int = 12) -> dt.datetime:
        return at(days_ago, hour, today)

    return [
        EventRecord(a, "start", "ru", at=when(0)),
        EventRecord(a, "section", "ru", "before", at=when(0)),
        EventRecord(a, "article", "ru", "first-steps", at=when(0)),
        EventRecord(a, "article", "ru", "first-steps", at=when(0, 13)),
        # Pressed twice the same day: one vote.
        EventRecord(a, "feedback", "ru", "first-steps", value="up", at=when(0)),
        EventRecord(a, "feedback", "ru", "first-steps", value="up", at=when(0, 14)),
        EventRecord(a, "centre", "ru", "almaty-exact", at=when(0)),
        EventRecord(b, "section", "kk", "centres", at=when(1)),
        EventRecord(b, "nearest", "kk", "almaty", at=when(1)),
        EventRecord(b, "nearest", "kk", None, at=when(1)),
        EventRecord(b, "search_miss", "kk", query="где получить патент", at=when(1)),
        EventRecord(b, "search_hit", "kk", "first-steps", at=when(1)),
        EventRecord(c, "article", "uz", "first-steps", at=when(10)),
        EventRecord(c, "feedback", "uz", "first-steps", value="down", at=when(10)),
        EventRecord(d, "article", "ru", "know-rights", at=when(40)),
        EventRecord(e, "article", "tg", "first-steps", at=when(100)),
        EventRecord(e, "search_miss", "tg", query="old question", at=when(100)),
    ]


async def load(db: Database, today: dt.date = TODAY) -> None:
    async with db.session() as session:
        for key, locale, days_ago in [
            ("user-a", "ru", 0),
            ("user-b", "kk", 1),
            ("user-c", "uz", 10),
            ("user-d", "ru", 40),
            ("user-e", "tg", 100),
        ]:
            seen = today - dt.timedelta(days=days_ago)
            session.add(
                UserPreference(user_key=key, locale=locale, first_seen=seen, last_seen=seen)
            )
        await session.commit()
    await write_events(db, history(today))


# What `gather(db, since=TODAY - 29 days, today=TODAY)` must say about that history.
LAST_30_DAYS = {
    "new_users": 3,
    "new_by_language": {"kk": 1, "ru": 1, "uz": 1},
    "daily_active": 0.1,
    "weekly_active": 2,
    "monthly_active": 3,
    "daily_active_by_language": {"kk": 0.03, "ru": 0.03, "uz": 0.03},
    "events_by_language": {"kk": 5, "ru": 7, "uz": 2},
    "sections": [("before", 1), ("centres", 1)],
    "articles": [("first-steps", 3)],
    "centres": [("almaty-exact", 1)],
    "nearest_by_city": [("almaty", 1), ("outside", 1)],
    "searches_answered": 1,
    "searches_unanswered": 1,
    "unanswered_queries": [("где получить патент", 1)],
}
