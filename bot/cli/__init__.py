"""The `jol` command line. It wires things together and decides nothing.

Each feature adds its subcommands in its own module under `bot/cli/`; a subcommand is an async
function `(settings, args) -> exit status`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from bot.catalog.problems import ContentError
from bot.cli import chat, content, db, health, search, stats
from bot.config import SettingsError, load_settings
from bot.logs import setup_logging

FEATURES = (chat, content, search, db, stats, health)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jol", description="Jol: information for labour migrants")
    commands = parser.add_subparsers(dest="command", required=True)
    for feature in FEATURES:
        feature.register(commands)
    return parser


def _is_database_error(exc: BaseException) -> bool:
    # Storage is loaded only by the commands that use it; if it is not loaded, no database
    # was used and nothing can be a database error.
    storage = sys.modules.get("storage.db")
    return storage is not None and isinstance(exc, storage.DATABASE_ERRORS)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        # `jol` alone: the help, and exit status 2 as for any command line that does nothing.
        parser.print_help()
        return 2
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        level = "WARNING" if getattr(args, "quiet", True) else settings.log_level
        setup_logging(level, settings.secrets())
        return asyncio.run(args.func(settings, args))
    except SettingsError as exc:
        print(f"jol: configuration error: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        print(f"jol: the content cannot be served.\n{exc}", file=sys.stderr)
        return 3
    except BrokenPipeError:
        # The output went to a pipe that closed early (`| head`): nothing is wrong with Jol.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:
        if not _is_database_error(exc):
            raise
        # The driver's own message (not SQLAlchemy's, which may quote statements and values).
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        detail = f": {reason[0][:200]}" if reason else ""
        print(f"jol: the database cannot be used ({type(exc).__name__}{detail})", file=sys.stderr)
        return 4
    except KeyboardInterrupt:
        return 130
