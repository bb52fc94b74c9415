"""Checks made before the bot starts, the same for every runtime: is the data folder writable,
does Telegram answer, and does it accept the token; and the migration started early.

A failed check is a `SettingsError`: one line for the operator, exit status 2.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings, SettingsError

if TYPE_CHECKING:
    from storage.migration import Migration

TELEGRAM_TIMEOUT = 10.0  # seconds for the whole getMe call
# glibc's mallopt parameter for how many arenas its allocator makes at most.
M_ARENA_MAX = -8
ARENAS = 2


def fewer_malloc_arenas() -> None:
    """glibc gives each thread that allocates an arena of its own (up to eight a core), whose
    free memory no other thread reuses. The bot's threads (the executor's, each SQLite
    connection's) allocate little, so two arenas in all hold ~4 MB less than one each (as
    MALLOC_ARENA_MAX=2 would, but needing no setting). Called before any thread starts."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to ask
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, ARENAS)


def check_data_dir(path: Path) -> None:
    """The data folder (SQLite database, pseudonym key) exists or can be made, and is writable."""
    from storage.files import private_folder

    probe = path / f".jol-write-test-{secrets.token_hex(4)}"
    try:
        private_folder(path)
        probe.touch()
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SettingsError(
            f"JOL_DATA_DIR: the data folder {path} cannot be written ({reason}); "
            "point JOL_DATA_DIR at a folder this user may write"
        ) from None


def needs_data_dir(settings: Settings) -> bool:
    return settings.database_url is None or settings.pseudonym_key is None


def start_migration(settings: Settings) -> Migration:
    """Check the data folder, then start bringing the database to the newest schema in a child
    process (`storage.migration`), to be awaited once the bot needs the database."""
    from storage.migration import Migration

    if needs_data_dir(settings):
        check_data_dir(settings.jol_data_dir)
    return Migration(settings.database, settings.database_timeout)


async def check_telegram(settings: Settings) -> str:
    """Call getMe; the bot's username, or `SettingsError` saying what is wrong (never the token)."""
    import aiohttp

    token = settings.token()
    base = settings.telegram_api_base
    try:
        async with (
            asyncio.timeout(TELEGRAM_TIMEOUT),
            aiohttp.ClientSession(trust_env=True) as session,
            session.get(f"{base}/bot{token}/getMe") as response,
        ):
            status = response.status
            body = await response.json(content_type=None) if status < 500 else {}
    except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
        reason = "no answer in time" if isinstance(exc, TimeoutError) else type(exc).__name__
        raise SettingsError(
            f"TELEGRAM_API_BASE: Telegram cannot be reached at {base} ({reason}); "
            "check the network, a proxy, or TELEGRAM_API_BASE"
        ) from None
    if status in (401, 404):
        raise SettingsError(
            f"BOT_TOKEN: Telegram refused the token ({status} Unauthorized); "
            "check it with @BotFather and check TELEGRAM_API_BASE"
        )
    if status != 200 or not isinstance(body, dict) or not body.get("ok"):
        raise SettingsError(
            f"TELEGRAM_API_BASE: {base} answered getMe with HTTP {status}; "
            "is it a Telegram Bot API server?"
        )
    return str(body.get("result", {}).get("username", ""))
