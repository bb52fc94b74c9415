"""`jol content check | stats | stamp`: the editors' commands."""

from __future__ import annotations

import argparse

from bot.catalog import loader
from bot.catalog.rules import Policy
from bot.cli import reports
from bot.config import Settings
from bot.editors.coverage import format_coverage
from bot.editors.report import format_report, full_check
from bot.editors.stamp import stamp
from bot.locales import FALLBACK_LOCALE, LOCALES


def _policy(settings: Settings, args: argparse.Namespace) -> Policy:
    return Policy(review_max_days=args.review_max_days or settings.review_max_days)


async def check(settings: Settings, args: argparse.Namespace) -> int:
    report = full_check(settings.content_dir, settings.locales_dir, _policy(settings, args))
    print(format_report(report, show_warnings=not args.errors_only))
    return 1 if report.errors else 0


async def stats(settings: Settings, args: argparse.Namespace) -> int:
    report = full_check(settings.content_dir, settings.locales_dir, _policy(settings, args))
    print(format_coverage(report))
    return 1 if report.errors else 0


async def stamp_command(settings: Settings, args: argparse.Namespace) -> int:
    catalog = loader.load(settings.content_dir)
    ids = list(catalog.articles) if args.article == "all" else [args.article]
    unknown = [i for i in ids if i not in catalog.articles]
    if unknown:
        print(f"jol: no article {unknown[0]!r} in {settings.content_dir}")
        return 1
    locales = args.locales or [loc for loc in LOCALES if loc != FALLBACK_LOCALE]
    if not set(locales) <= set(LOCALES) - {FALLBACK_LOCALE}:
        print("jol: only kk, uz and tg translations are stamped")
        return 1
    for article_id in ids:
        for path in stamp(catalog, settings.content_dir, article_id, locales):
            print(f"marked as following the current ru.md: {path}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    content = commands.add_parser("content", help="check and describe the content (for editors)")
    actions = content.add_subparsers(dest="action", required=True)
    for name, func, text in (
        ("check", check, "validate content/ and locales/; exit 1 on errors"),
        ("stats", stats, "coverage by section and language, and what needs work first"),
    ):
        parser = actions.add_parser(name, help=text)
        parser.add_argument(
            "--review-max-days", type=int, help="reviews older than this are reported"
        )
        parser.set_defaults(func=func)
        if name == "check":
            parser.add_argument("--errors-only", action="store_true", help="hide warnings")
    parser = actions.add_parser(
        "stamp", help="mark translations as following the current Russian text"
    )
    parser.add_argument("article", help="an article id, or 'all'")
    parser.add_argument("locales", nargs="*", help="kk, uz, tg (default: all three)")
    parser.set_defaults(func=stamp_command)
    reports.register(actions)
