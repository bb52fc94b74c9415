"""`jol run` (the bot on Telegram) and `jol chat` (the bot in this terminal)."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.config import Settings, SettingsError
from bot.locales import LOCALES
from bot.services import Services, open_services

RUNTIMES = ("aiogram", "ptb")
REFUSED = (
    "BOT_TOKEN: Telegram refused the token (401 Unauthorized); "
    "check it with @BotFather and check TELEGRAM_API_BASE"
)

UNREACHABLE = (
    "TELEGRAM_API_BASE: Telegram cannot be reached at {base} ({error}); "
    "check the network, a proxy in between and the address"
)

Polling = Callable[[Services], Awaitable[None]]


@dataclass(frozen=True)
class Runtime:
    run_polling: Polling
    refused: type[Exception]  # what it raises when Telegram refuses the token
    unreachable: tuple[type[Exception], ...]  # ... and when start-up calls fail after retrying
    answered: tuple[type[Exception], ...] = ()  # ... of which these are Telegram's own answers


def _runtime(name: str) -> Runtime:
    if name == "ptb":
        from telegram.error import BadRequest, InvalidToken, NetworkError

        from bot.runtime.ptb.app import run_polling as ptb_polling

        return Runtime(ptb_polling, InvalidToken, (NetworkError,), (BadRequest,))
    from aiogram.exceptions import (
        TelegramNetworkError,
        TelegramServerError,
        TelegramUnauthorizedError,
    )

    from bot.runtime.aiogram.app import run_polling as aiogram_polling

    return Runtime(
        aiogram_polling, TelegramUnauthorizedError, (TelegramNetworkError, TelegramServerError)
    )


async def run(settings: Settings, args: argparse.Namespace) -> int:
    runtime = _runtime(args.runtime or settings.runtime)
    settings.token()  # fail now, before anything starts, if there is none
    services = await open_services(settings)
    try:
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


async def chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.terminal import run_chat

    services = await open_services(settings)
    try:
        await run_chat(services, args.lang, args.runtime or settings.runtime)
    finally:
        await services.close()
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    runtime_help = "the Telegram framework to run on (default: JOL_RUNTIME, else aiogram)"
    parser = commands.add_parser("run", help="run the bot with long polling (needs BOT_TOKEN)")
    parser.add_argument("--runtime", choices=RUNTIMES, help=runtime_help)
    parser.set_defaults(func=run, quiet=False)
    parser = commands.add_parser("chat", help="chat with the bot in this terminal; no token needed")
    parser.add_argument("--lang", choices=LOCALES, help="the language your Telegram would report")
    parser.add_argument("--runtime", choices=RUNTIMES, help=runtime_help)
    parser.set_defaults(func=chat, quiet=True)
