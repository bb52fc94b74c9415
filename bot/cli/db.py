"""`jol db upgrade`, `jol db rollup` and `jol db revision`: the database's schema and retention."""

from __future__ import annotations

import argparse

from bot.config import Settings

# Storage loads in the commands, not at start: `jol run` checks its settings before anything heavy.


async def upgrade_command(settings: Settings, args: argparse.Namespace) -> int:
    from storage import Database
    from storage.schema import upgrade

    db = Database(settings.database, timeout=settings.database_timeout)
    try:
        revision = await upgrade(db)
    finally:
        await db.close()
    print(f"{db.display}: schema at revision {revision}")
    return 0


async def rollup_command(settings: Settings, args: argparse.Namespace) -> int:
    from storage import Database
    from storage.retention import roll_up
    from storage.schema import upgrade

    db = Database(settings.database, timeout=settings.database_timeout)
    try:
        await upgrade(db)
        done = await roll_up(
            db, keep_days=settings.retention_days, query_days=settings.query_retention_days
        )
    finally:
        await db.close()
    days = "1 day" if done.days == 1 else f"{done.days} days"
    print(
        f"{done.events} events from {days} rolled up into daily counts and deleted "
        f"(older than {settings.retention_days} days); "
        f"{done.queries} unanswered queries cleared (older than "
        f"{settings.query_retention_days} days)"
    )
    return 0


async def revision_command(settings: Settings, args: argparse.Namespace) -> int:
    from storage import Database
    from storage.schema import new_revision

    db = Database(settings.database, timeout=settings.database_timeout)
    try:
        paths = await new_revision(db, args.message)
    finally:
        await db.close()
    for path in paths:
        print(f"wrote {path}: check it, then commit it")
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("db", help="the database: schema migrations and retention")
    actions = parser.add_subparsers(dest="db_command", required=True)
    upgrade_parser = actions.add_parser(
        "upgrade", help="apply the schema migrations not yet applied"
    )
    upgrade_parser.set_defaults(func=upgrade_command, quiet=True)
    rollup = actions.add_parser(
        "rollup", help="roll old raw events up into daily counts, as the bot does daily"
    )
    rollup.set_defaults(func=rollup_command, quiet=True)
    revision = actions.add_parser(
        "revision", help="write a migration for changed models (developers, in a source checkout)"
    )
    revision.add_argument("-m", "--message", required=True, help="what the migration changes")
    revision.set_defaults(func=revision_command, quiet=True)
