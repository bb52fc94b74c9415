"""`jol health`: is the bot running here able to answer? For Docker's HEALTHCHECK.

It asks the running bot's own `/healthz`: on JOL_HEALTH_LISTEN when that is set (polling mode
serves it there), else on WEBHOOK_LISTEN (webhook mode). Exit 0 healthy, 1 not.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.config import Settings

TIMEOUT = 4.0  # seconds; Docker's check allows 5


def health_url(settings: Settings) -> str:
    listen = settings.health_listen or settings.webhook_listen
    host, port = Settings.address(listen)
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    return f"http://{host}:{port}/healthz"


async def health(settings: Settings, args: argparse.Namespace) -> int:
    import aiohttp

    url = health_url(settings)
    try:
        async with (
            asyncio.timeout(TIMEOUT),
            aiohttp.ClientSession() as session,
            session.get(url) as response,
        ):
            status, body = response.status, await response.text()
    except (TimeoutError, aiohttp.ClientError) as exc:
        print(f"jol: not healthy: nothing answers at {url} ({type(exc).__name__})", file=sys.stderr)
        return 1
    if status != 200:
        print(f"jol: not healthy: {body.strip()[:300]}", file=sys.stderr)
        return 1
    print(body.strip())
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("health", help="ask the running bot whether it can answer")
    parser.set_defaults(func=health, quiet=True)
