"""The short statistics summary operators get in Telegram (`/stats`), in their language."""

from __future__ import annotations

from html import escape

from bot.i18n import Translator
from storage.stats import OUTSIDE, Stats

SHOWN = 5  # items per list: the terminal (`jol stats`) has the full lists


def _language(tr: Translator, code: str) -> str:
    return tr.language_name(code) if code else "—"


def _number(tr: Translator, value: float) -> str:
    return tr.number(round(value, 2 if value < 1 else 1))


def _listing(title: str, items: list[tuple[str, int]]) -> list[str]:
    if not items:
        return []
    return ["", f"<b>{escape(title)}</b>", *(f"{escape(k)}: {n}" for k, n in items[:SHOWN])]


def summary(tr: Translator, stats: Stats, dropped: int = 0) -> str:
    period = f"{tr.date(stats.since)} – {tr.date(stats.until)}"
    title = tr.gettext("Jol statistics")
    lines = [
        f"<b>{escape(title)}</b>, {period}",
        tr.gettext("New users: {count}").format(count=stats.new_users),
        tr.gettext(
            "Active users: {daily} a day on average, {weekly} in 7 days, {monthly} in 30 days"
        ).format(
            daily=_number(tr, stats.daily_active),
            weekly=stats.weekly_active,
            monthly=stats.monthly_active,
        ),
    ]
    if stats.events_by_language:
        lines += ["", "<b>" + tr.gettext("By language (users a day · actions):") + "</b>"]
        lines += [
            f"{_language(tr, code)}: {_number(tr, stats.daily_active_by_language.get(code, 0))}"
            f" · {count}"
            for code, count in stats.events_by_language.items()
        ]
    lines += _listing(tr.gettext("Top articles:"), stats.articles)
    lines += _listing(tr.gettext("Centres opened:"), stats.centres)
    cities = [
        (tr.gettext("outside Kazakhstan") if city == OUTSIDE else city, n)
        for city, n in stats.nearest_by_city
    ]
    lines += _listing(tr.gettext("Nearest-centre searches by city:"), cities)
    if stats.searches_answered or stats.searches_unanswered:
        lines += [
            "",
            tr.gettext("Searches: {answered} answered, {unanswered} without an answer").format(
                answered=stats.searches_answered, unanswered=stats.searches_unanswered
            ),
        ]
    lines += _listing(tr.gettext("Asked without an answer:"), stats.unanswered_queries)
    if stats.feedback:
        lines += ["", "<b>" + tr.gettext("Feedback on articles:") + "</b>"]
        lines += [
            f"{escape(f.article)} ({_language(tr, f.locale)}): 👍 {f.up} 👎 {f.down}"
            for f in stats.feedback[:SHOWN]
        ]
    if dropped:
        lines += [
            "",
            "⚠️ "
            + tr.ngettext(
                "{count} event could not be recorded since the bot started.",
                "{count} events could not be recorded since the bot started.",
                dropped,
            ).format(count=dropped),
        ]
    return "\n".join(lines)
