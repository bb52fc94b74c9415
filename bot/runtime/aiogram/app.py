"""Wiring of the aiogram runtime: the bot, the dispatcher, and long polling."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteWebhook,
    EditMessageText,
    Response,
    SendMessage,
    SendPhoto,
    SendVenue,
    SetMyCommands,
)
from aiogram.types import BotCommand, ErrorEvent, LinkPreviewOptions, Update
from pydantic import ValidationError

from bot.app import App, Plan
from bot.core.commands import command_menu
from bot.locales import FALLBACK_LOCALE, LOCALES
from bot.runtime.aiogram import handlers
from bot.runtime.aiogram.polling import ALLOWED_UPDATES, PollingDispatcher, RawUpdates
from bot.runtime.aiogram.relay import aiogram_relay
from bot.runtime.aiogram.render import render
from bot.runtime.aiogram.retries import MAX_WAIT, RetryMiddleware
from bot.runtime.retrying import Retries
from bot.services import Services
from bot.web.server import Unreadable, serve_webhook

log = logging.getLogger(__name__)

# aiogram reads every answer from Telegram as `Response[<what the method returns>]`, a generic
# pydantic model that pydantic keeps only weakly: unreferenced, it is built again (a whole model
# class and its validator) after each garbage collection, ~12% of the time of an update in
# the profile. Holding the ones Jol uses keeps them built once.
RESPONSES = tuple(
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        RawUpdates,
        SendMessage,
        EditMessageText,
        AnswerCallbackQuery,
        SendVenue,
        SendPhoto,
        SetMyCommands,
        DeleteWebhook,
    )
)

HOUSEKEEPING_INTERVAL = 60 * 60  # seconds


def create_bot(
    token: str,
    api_base: str,
    session: BaseSession | None = None,
    *,
    max_wait: float = MAX_WAIT,
    retries: Retries | None = None,
) -> Bot:
    session = session or AiohttpSession(api=TelegramAPIServer.from_base(api_base))
    session.middleware(RetryMiddleware(retries or Retries(max_wait=max_wait)))
    defaults = DefaultBotProperties(
        parse_mode=ParseMode.HTML, link_preview=LinkPreviewOptions(is_disabled=True)
    )
    return Bot(token, session=session, default=defaults)


async def _log_error(event: ErrorEvent) -> bool:
    # The update id is enough to find it; the update itself may hold what a user typed.
    log.error(
        "update %s failed: %s",
        event.update.update_id,
        type(event.exception).__name__,
        exc_info=event.exception,
    )
    return True


async def register_commands(bot: Bot, services: Services) -> None:
    """The command menu in each language, and Russian for everyone else."""
    texts = services.content.current.texts
    for locale in (*LOCALES, None):
        tr = texts(locale or FALLBACK_LOCALE)
        listed = command_menu(tr, handoff=services.settings.handoff_enabled)
        commands = [BotCommand(command=n, description=d) for n, d in listed]
        await bot.set_my_commands(commands, language_code=locale)


def create_dispatcher(services: Services, **storage: Any) -> PollingDispatcher:
    """The same dispatcher serves polling, the terminal chat and tests."""
    dp = PollingDispatcher(**storage)
    dp["app"] = App(services)
    dp.include_router(handlers.create_router())
    dp.errors.register(_log_error)
    return dp


async def deliver(bot: Bot, plans: list[Plan]) -> None:
    """Send plans to several chats (operators); one that fails does not stop the others."""
    for plan in plans:
        try:
            await render(bot, plan)
        except TelegramAPIError as exc:  # an operator who never opened a chat with the bot
            log.warning("could not tell an operator: %s", type(exc).__name__)


async def run_polling(services: Services) -> None:
    settings = services.settings
    bot = create_bot(settings.token(), settings.telegram_api_base, max_wait=settings.flood_wait_max)
    dp = create_dispatcher(services)
    app: App = dp["app"]

    async def on_startup() -> None:
        await bot.delete_webhook(drop_pending_updates=False)
        await register_commands(bot, services)
        log.info("Jol is polling %s", settings.telegram_api_base)

    reloads: set[asyncio.Task[None]] = set()

    async def publish() -> None:
        await deliver(bot, await app.publish())

    def on_hangup() -> None:
        # SIGHUP publishes edited content; operators in ADMIN_IDS are told the result.
        task = asyncio.create_task(publish())
        reloads.add(task)
        task.add_done_callback(reloads.discard)

    async def housekeeping() -> None:
        # Idle conversations close on time even when nobody writes; every replica may do it.
        relay = aiogram_relay(bot)
        while True:
            await app.housekeeping(relay)
            await asyncio.sleep(HOUSEKEEPING_INTERVAL)

    if settings.handoff_enabled:
        services.background.append(asyncio.create_task(housekeeping()))

    async def on_shutdown() -> None:
        await services.events.flush()  # the statistics queued so far, before anything closes

    dp.startup.register(on_startup)
    dp.shutdown.register(on_shutdown)
    asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, on_hangup)
    try:
        await dp.start_polling(
            bot,
            handle_signals=True,
            close_bot_session=True,
            allowed_updates=ALLOWED_UPDATES,
            tasks_concurrency_limit=settings.max_concurrent_updates,
        )
    finally:
        await bot.session.close()  # aiogram closes it only if start-up succeeded
        log.info("Jol stopped")


async def run_webhook(services: Services) -> None:
    """Serve updates Telegram posts (`jol run --webhook`); see `bot.web.server`."""
    settings = services.settings
    retries = Retries(max_wait=settings.flood_wait_max)
    bot = create_bot(settings.token(), settings.telegram_api_base, retries=retries)
    dp = create_dispatcher(services)
    app: App = dp["app"]

    async def feed(raw: dict[str, Any]) -> None:
        try:
            update = Update.model_validate(raw, context={"bot": bot})
        except ValidationError:
            raise Unreadable from None
        await dp.feed_update(bot, update)

    async def register() -> None:
        await register_commands(bot, services)
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        await bot.set_webhook(
            str(settings.webhook_url),
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
        )

    async def publish() -> None:
        await deliver(bot, await app.publish())

    try:
        await serve_webhook(
            services,
            feed,
            register=register,
            publish=publish,
            heard=app.heard,
            retries=retries,
        )
    finally:
        await bot.session.close()
