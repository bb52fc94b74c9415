"""The `jol` command line. It wires things together and decides nothing.

Each feature adds its subcommands in its own module under `bot/cli/`; a subcommand is an async
function `(settings, args) -> exit status`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.catalog.problems import ContentError
from bot.cli import chat, content, search
from bot.config import SettingsError, load_settings
from bot.logs import setup_logging

FEATURES = (chat, content, search)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jol", description="Jol: information for labour migrants")
    commands = parser.add_subparsers(dest="command", required=True)
    for feature in FEATURES:
        feature.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        secrets = [settings.bot_token.get_secret_value()] if settings.bot_token else []
        setup_logging("WARNING" if getattr(args, "quiet", True) else settings.log_level, secrets)
        return asyncio.run(args.func(settings, args))
    except SettingsError as exc:
        print(f"jol: configuration error: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        print(f"jol: the content cannot be served.\n{exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
