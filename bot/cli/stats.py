"""`jol stats`: operators' statistics in the terminal, as a table, CSV or JSON."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.operators.period import DEFAULT, parse_since

if TYPE_CHECKING:
    from storage.stats import Stats

Row = tuple[str, str, str, str, object]  # table, key, language, measure, value
CSV_HEADER = ("table", "key", "language", "measure", "value")


def rows(stats: Stats) -> Iterator[Row]:
    """Every figure as one row: a long format that spreadsheets pivot easily."""
    yield "users", "", "", "new", stats.new_users
    for locale, n in stats.new_by_language.items():
        yield "users", "", locale, "new", n
    yield "users", "", "", "daily_active", stats.daily_active
    yield "users", "", "", "weekly_active", stats.weekly_active
    yield "users", "", "", "monthly_active", stats.monthly_active
    for locale, n in stats.events_by_language.items():
        yield "language", "", locale, "users_a_day", stats.daily_active_by_language.get(locale, 0)
        yield "language", "", locale, "events", n
    for table, items in (
        ("section", stats.sections),
        ("article", stats.articles),
        ("centre", stats.centres),
        ("nearest", stats.nearest_by_city),
        ("unanswered", stats.unanswered_queries),
    ):
        for key, n in items:
            yield table, key, "", "count", n
    yield "search", "", "", "answered", stats.searches_answered
    yield "search", "", "", "unanswered", stats.searches_unanswered
    for f in stats.feedback:
        yield "feedback", f.article, f.locale, "up", f.up
        yield "feedback", f.article, f.locale, "down", f.down
    for locale, counts in stats.daily_users.items():
        for day, n in zip(stats.days, counts, strict=True):
            yield "daily_users", day.isoformat(), locale, "users", n


def print_csv(stats: Stats) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(rows(stats))


def print_table(stats: Stats) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()

    def table(title: str, *columns: str) -> Table:
        made = Table(
            title=title,
            title_justify="left",
            title_style="bold",
            min_width=len(title),
            show_header=any(columns),
        )
        for n, column in enumerate(columns):
            made.add_column(column, justify="left" if n == 0 else "right")
        return made

    def show(made: Table) -> None:
        if made.row_count:
            console.print(made)
        else:
            console.print(f"[bold]{made.title}[/bold]: none")
        console.print()

    console.print(f"[bold]Jol statistics[/bold], {stats.since} to {stats.until} (UTC days)\n")
    users = table("Users", "", "")
    users.add_row("new", str(stats.new_users))
    users.add_row("active a day (average)", str(stats.daily_active))
    users.add_row("active in the last 7 days", str(stats.weekly_active))
    users.add_row("active in the last 30 days", str(stats.monthly_active))
    show(users)
    languages = table("By language", "language", "new users", "users a day", "events")
    for locale in sorted({*stats.new_by_language, *stats.events_by_language}):
        languages.add_row(
            locale or "(not chosen)",
            str(stats.new_by_language.get(locale, 0)),
            str(stats.daily_active_by_language.get(locale, 0)),
            str(stats.events_by_language.get(locale, 0)),
        )
    show(languages)
    for title, column, items in (
        ("Sections opened", "section", stats.sections),
        ("Top articles", "article", stats.articles),
        ("Top centres", "centre", stats.centres),
        ("Nearest-centre searches by city", "city", stats.nearest_by_city),
    ):
        listing = table(title, column, "count")
        for key, n in items:
            listing.add_row(key, str(n))
        show(listing)
    searches = table("Searches", "", "")
    searches.add_row("answered", str(stats.searches_answered))
    searches.add_row("without an answer", str(stats.searches_unanswered))
    show(searches)
    queries = table("Top searches without an answer (scrubbed)", "query", "count")
    for query, n in stats.unanswered_queries:
        queries.add_row(query, str(n))
    show(queries)
    feedback = table("Feedback per article", "article", "language", "up", "down")
    for f in stats.feedback:
        feedback.add_row(f.article, f.locale, str(f.up), str(f.down))
    show(feedback)


async def stats_command(settings: Settings, args: argparse.Namespace) -> int:
    # Storage loads here, not at start: `jol run` checks its settings before anything heavy.
    from storage import Database
    from storage.schema import upgrade
    from storage.stats import gather

    db = Database(settings.database, timeout=settings.database_timeout)
    try:
        await upgrade(db)
        stats = await gather(db, args.since, _utc_today())
    finally:
        await db.close()
    if args.format == "json":
        print(json.dumps(stats.as_dict(), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print_csv(stats)
    else:
        print_table(stats)
    return 0


def _utc_today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _since(text: str) -> dt.date:
    try:
        return parse_since(text, _utc_today())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("stats", help="usage statistics for operators (never who)")
    parser.add_argument(
        "--since",
        type=_since,
        default=DEFAULT,
        help="the period: 30d (default), 4w, or a first day such as 2026-01-31",
    )
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.set_defaults(func=stats_command, quiet=True)
