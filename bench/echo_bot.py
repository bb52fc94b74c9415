"""The baseline for `bench.pipeline`: the barest aiogram bot, answering every message with its
own text over long polling. Whatever Jol costs beyond this is Jol's own.

    BOT_TOKEN=... TELEGRAM_API_BASE=http://127.0.0.1:PORT python -m bench.echo_bot

With WEBHOOK_LISTEN=host:port (and WEBHOOK_SECRET) it takes webhook posts at /telegram instead,
answering each request only once the update is handled, as Jol does.
"""

from __future__ import annotations

import asyncio
import os

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web


async def main() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_BASE"]))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    listen = os.environ.get("WEBHOOK_LISTEN")
    if not listen:
        await dp.start_polling(bot, handle_signals=True)
        return
    host, _, port = listen.rpartition(":")
    app = web.Application()
    SimpleRequestHandler(
        dp, bot, handle_in_background=False, secret_token=os.environ["WEBHOOK_SECRET"]
    ).register(app, path="/telegram")
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, int(port)).start()
    await asyncio.Event().wait()  # until the benchmark terminates it


if __name__ == "__main__":
    asyncio.run(main())
