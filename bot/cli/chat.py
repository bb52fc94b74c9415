"""`jol run` (the bot on Telegram) and `jol chat` (the bot in this terminal)."""

from __future__ import annotations

import argparse
import gc
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config import Settings, SettingsError
from bot.locales import LOCALES

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

RUNTIMES = ("aiogram", "ptb")
REFUSED = (
    "BOT_TOKEN: Telegram refused the token (401 Unauthorized); "
    "check it with @BotFather and check TELEGRAM_API_BASE"
)

UNREACHABLE = (
    "TELEGRAM_API_BASE: Telegram cannot be reached at {base} ({error}); "
    "check the network, a proxy in between and the address"
)

Polling = Callable[["Services"], Awaitable[None]]


@dataclass(frozen=True)
class Runtime:
    run_polling: Polling
    run_webhook: Polling
    refused: type[Exception]  # what it raises when Telegram refuses the token
    unreachable: tuple[type[Exception], ...]  # ... and when start-up calls fail after retrying
    answered: tuple[type[Exception], ...] = ()  # ... of which these are Telegram's own answers


def _runtime(name: str) -> Runtime:
    if name == "ptb":
        from telegram.error import BadRequest, InvalidToken, NetworkError

        from bot.runtime.ptb.app import run_polling as ptb_polling
        from bot.runtime.ptb.app import run_webhook as ptb_webhook

        return Runtime(ptb_polling, ptb_webhook, InvalidToken, (NetworkError,), (BadRequest,))
    from aiogram.exceptions import (
        TelegramNetworkError,
        TelegramServerError,
        TelegramUnauthorizedError,
    )

    from bot.runtime.aiogram.app import run_polling as aiogram_polling
    from bot.runtime.aiogram.app import run_webhook as aiogram_webhook

    return Runtime(
        aiogram_polling,
        aiogram_webhook,
        TelegramUnauthorizedError,
        (TelegramNetworkError, TelegramServerError),
    )


async def run(settings: Settings, args: argparse.Namespace) -> int:
    settings.token()  # a missing or malformed token fails here, before anything heavy loads
    settings.check_shared(args.webhook)
    from bot.startup import check_telegram, fewer_malloc_arenas, start_migration

    fewer_malloc_arenas()

    await check_telegram(settings)  # a token Telegram refuses, or no Telegram at all
    # Migrating runs in a child process while the frameworks load here.
    migration = start_migration(settings)
    runtime = _runtime(args.runtime or settings.runtime)
    from bot.services import open_services
    from bot.web.server import health_listener

    services = await open_services(settings, migration)
    # What start-up built (the framework's models, the catalog, the search index) lives as long
    # as the process: kept out of the garbage collector's passes, which otherwise walk it all
    # again and again, and for seconds when the process exits (SIGTERM took 3 s to end it).
    # The cost: a start-up snapshot replaced by a reload stays in memory if it holds cycles.
    gc.freeze()
    try:
        if args.webhook:
            await runtime.run_webhook(services)
        else:
            database = "PostgreSQL" if settings.database.startswith("postgres") else "SQLite"
            log.warning(
                "single-machine mode: long polling, %s, %s; Telegram allows one poller, so run "
                "one process only (replicas: README, 'Running the scaled stack')",
                database,
                "Redis unused" if services.replicas.shared else "no Redis",
            )
            async with health_listener(services):
                await runtime.run_polling(services)
    except runtime.refused:
        raise SettingsError(REFUSED) from None
    except runtime.unreachable as exc:
        if isinstance(exc, runtime.answered):
            raise
        base, error = settings.telegram_api_base, type(exc).__name__
        raise SettingsError(UNREACHABLE.format(base=base, error=error)) from None
    finally:
        await services.close()
    return 0


CHAT_DATABASE = "chat.sqlite3"
RETURNING_USER = 1  # `jol chat` without --fresh is always this same demo user


def chat_database(settings: Settings, url: str | None) -> str:
    """A demo never mixes with real statistics: its own SQLite file unless told otherwise."""
    return url or f"sqlite+aiosqlite:///{settings.jol_data_dir / CHAT_DATABASE}"


async def chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.services import open_services
    from bot.terminal import run_chat

    settings = settings.model_copy(
        update={"database_url": chat_database(settings, args.database_url)}
    )
    # A new demo user has a new pseudonym, so nothing saved earlier (a language) applies.
    user_id = secrets.randbelow(2**40) + 2**41 if args.fresh else RETURNING_USER
    services = await open_services(settings)
    try:
        await run_chat(services, args.lang, user_id, args.runtime or settings.runtime)
    finally:
        await services.close()
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    runtime_help = "the Telegram framework to run on (default: JOL_RUNTIME, else aiogram)"
    parser = commands.add_parser("run", help="run the bot with long polling (needs BOT_TOKEN)")
    parser.add_argument("--runtime", choices=RUNTIMES, help=runtime_help)
    parser.add_argument(
        "--webhook",
        action="store_true",
        help="take updates Telegram posts to WEBHOOK_LISTEN instead of polling (replicas)",
    )
    parser.set_defaults(func=run, quiet=False)
    parser = commands.add_parser("chat", help="chat with the bot in this terminal; no token needed")
    parser.add_argument("--lang", choices=LOCALES, help="the language your Telegram would report")
    parser.add_argument("--runtime", choices=RUNTIMES, help=runtime_help)
    parser.add_argument(
        "--fresh", action="store_true", help="start as a new user, with nothing saved"
    )
    parser.add_argument(
        "--database-url",
        help=f"the database to use (default: {CHAT_DATABASE} in JOL_DATA_DIR, never the bot's)",
    )
    parser.set_defaults(func=chat, quiet=True)
