"""The `jol` command line. It wires things together and decides nothing."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from bot.catalog.problems import ContentError
from bot.config import Settings, SettingsError, load_settings
from bot.locales import LOCALES
from bot.logs import setup_logging
from bot.services import open_services


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runtime.aiogram.app import run_polling

    settings.token()  # fail now, before anything starts, if there is none
    services = await open_services(settings)
    try:
        await run_polling(services)
    finally:
        await services.close()
    return 0


async def _chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.terminal import run_chat

    services = await open_services(settings)
    try:
        await run_chat(services, args.lang)
    finally:
        await services.close()
    return 0


Command = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jol", description="Jol: information for labour migrants")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the bot with long polling (needs BOT_TOKEN)")
    run.set_defaults(func=_run, quiet=False)
    chat = commands.add_parser("chat", help="chat with the bot in this terminal; no token needed")
    chat.add_argument("--lang", choices=LOCALES, help="the language your Telegram would report")
    chat.set_defaults(func=_chat, quiet=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Command = args.func
    try:
        settings = load_settings()
        secrets = [settings.bot_token.get_secret_value()] if settings.bot_token else []
        setup_logging("WARNING" if args.quiet else settings.log_level, secrets)
        return asyncio.run(func(settings, args))
    except SettingsError as exc:
        print(f"jol: configuration error: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        print(f"jol: the content cannot be served.\n{exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
