"""`jol content reports` and `jol content unanswered`: what users flagged, and what Jol could
not answer, for editors."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.core.reports import item_file
from bot.editors.unanswered import format_groups, group
from bot.snapshot import load_context

if TYPE_CHECKING:
    from storage import Database


# Storage (SQLAlchemy, drivers) is imported when a command runs, not with the CLI: `jol run`
# must be able to refuse bad settings before anything heavy is loaded.
async def _open(settings: Settings) -> Database:
    from storage import Database
    from storage.schema import upgrade

    db = Database(settings.database)
    await upgrade(db)
    return db


async def reports(settings: Settings, args: argparse.Namespace) -> int:
    from storage.reports import Reports

    db = await _open(settings)
    try:
        store = Reports(db)
        if args.resolve is not None:
            if await store.resolve(args.resolve):
                print(f"report {args.resolve} marked as resolved")
                return 0
            print(f"jol: no open report {args.resolve}")
            return 1
        listed = await store.listing(include_resolved=args.all)
    finally:
        await db.close()
    if not listed:
        print("No open reports.")
        return 0
    ctx = load_context(settings.content_dir, settings.locales_dir)
    shown: set[tuple[str, str]] = set()
    for report in listed:
        key = (report.item_kind, report.item)
        if key not in shown:
            shown.add(key)
            where = settings.content_dir / item_file(ctx, report.item_kind, report.item)
            print(f"{report.item_kind} {report.item}: {report.item_reports} open  ({where})")
        when = report.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
        text = f": {report.text}" if report.text else ""
        print(f"  #{report.id} {when} UTC [{report.locale or '?'}] {report.reason}{text}")
    print("\nMark one as done with: jol content reports --resolve ID")
    return 0


async def unanswered(settings: Settings, args: argparse.Namespace) -> int:
    from sqlmodel import col, select

    from storage.models import UnansweredQuery

    since = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=settings.query_retention_days)
    db = await _open(settings)
    try:
        async with db.session() as session:
            found = await session.exec(
                select(UnansweredQuery.query, UnansweredQuery.locale).where(
                    col(UnansweredQuery.day) >= since
                )
            )
            asked = [(q, loc) for q, loc in found.all()]
    finally:
        await db.close()
    ctx = load_context(settings.content_dir, settings.locales_dir)
    groups = group(asked, ctx)
    print(format_groups(groups[: args.limit] if args.limit else groups, ctx))
    return 0


def register(actions: argparse._SubParsersAction) -> None:
    parser = actions.add_parser(
        "reports", help="problems users reported, most reported and newest first"
    )
    parser.add_argument("--resolve", type=int, metavar="ID", help="mark a report as resolved")
    parser.add_argument("--all", action="store_true", help="list resolved reports too")
    parser.set_defaults(func=reports)
    parser = actions.add_parser(
        "unanswered", help="questions Jol could not answer, grouped, with the closest articles"
    )
    parser.add_argument("--limit", type=int, default=0, help="show only the first N groups")
    parser.set_defaults(func=unanswered)
