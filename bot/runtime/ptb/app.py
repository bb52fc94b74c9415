"""Wiring of the python-telegram-bot runtime: the bot, the `Application`, and long polling."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from telegram import Bot, BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.app import App, Plan
from bot.core.commands import command_menu
from bot.locales import FALLBACK_LOCALE, LOCALES
from bot.runtime.ptb.polling import ALLOWED_UPDATES, PollingBot
from bot.runtime.ptb.relay import ptb_relay
from bot.runtime.ptb.render import render
from bot.runtime.ptb.requests import RetryingRequest
from bot.runtime.ptb.translate import from_message, from_press
from bot.runtime.retrying import MAX_WAIT, Retries
from bot.services import Services
from bot.web.server import Unreadable, serve_webhook

log = logging.getLogger(__name__)

HOUSEKEEPING_INTERVAL = 60 * 60  # seconds
POLLING_TIMEOUT = 10  # seconds a getUpdates long poll is held open, as with aiogram
SIGNALS = (signal.SIGTERM, signal.SIGINT)

JolApplication = Application[PollingBot, ContextTypes.DEFAULT_TYPE, dict, dict, dict, None]


def quiet_library_logs() -> None:
    """PTB logs whole updates and call parameters at DEBUG (what users typed, their names);
    httpx logs every request. Neither goes to the log, whatever LOG_LEVEL says."""
    for name, level in (("telegram", logging.INFO), ("httpx", logging.WARNING)):
        logger = logging.getLogger(name)
        logger.setLevel(max(level, logging.getLogger().getEffectiveLevel()))


def create_bot(
    token: str,
    api_base: str,
    request: BaseRequest | None = None,
    *,
    max_wait: float = MAX_WAIT,
    retries: Retries | None = None,
    polling: BaseRequest | None = None,
) -> PollingBot:
    if request is None:
        request = RetryingRequest(
            HTTPXRequest(connection_pool_size=256), retries or Retries(max_wait=max_wait)
        )
    defaults = Defaults(
        parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
    )
    return PollingBot(
        token,
        base_url=f"{api_base}/bot",
        base_file_url=f"{api_base}/file/bot",
        request=request,
        # Long polls get their own connection and are not retried: polling has its own back-off.
        get_updates_request=polling or HTTPXRequest(connection_pool_size=1, read_timeout=5.0),
        defaults=defaults,
    )


async def _log_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    # The update id is enough to find it; the update itself may hold what a user typed.
    update_id = update.update_id if isinstance(update, Update) else None
    error = context.error
    log.error(
        "update %s failed: %s",
        update_id,
        type(error).__name__,
        exc_info=(type(error), error, error.__traceback__) if error else None,
    )


def create_application(services: Services, bot: PollingBot, concurrency: int) -> JolApplication:
    """The same application serves polling, the terminal chat and tests."""
    app = App(services)

    async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None
        incoming = from_message(update.message)
        if incoming is not None:
            async with app.order.turn(incoming.chat_id):
                await render(context.bot, await app.handle(incoming, ptb_relay(context.bot)))

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.callback_query is not None
        callback = update.callback_query
        incoming = from_press(callback)
        async with app.order.turn(incoming.chat_id):
            await render(
                context.bot, await app.handle(incoming, ptb_relay(context.bot)), callback.id
            )

    application = (
        ApplicationBuilder().bot(bot).concurrent_updates(concurrency).job_queue(None).build()
    )
    application.bot_data["app"] = app
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, on_message))
    application.add_handler(CallbackQueryHandler(on_press))
    application.add_error_handler(_log_error)
    return application


async def register_commands(bot: Bot, services: Services) -> None:
    """The command menu in each language, and Russian for everyone else."""
    texts = services.content.current.texts
    for locale in (*LOCALES, None):
        tr = texts(locale or FALLBACK_LOCALE)
        listed = command_menu(tr, handoff=services.settings.handoff_enabled)
        commands = [BotCommand(n, d) for n, d in listed]
        await bot.set_my_commands(commands, language_code=locale)


async def deliver(bot: Bot, plans: list[Plan]) -> None:
    """Send plans to several chats (operators); one that fails does not stop the others."""
    for plan in plans:
        try:
            await render(bot, plan)
        except TelegramError as exc:  # an operator who never opened a chat with the bot
            log.warning("could not tell an operator: %s", type(exc).__name__)


def _polling_failed(error: TelegramError) -> None:
    # The type only: the error's text may quote the updates.
    log.error("could not fetch updates (%s); trying again", type(error).__name__)


async def run_polling(services: Services) -> None:
    settings = services.settings
    quiet_library_logs()
    bot = create_bot(settings.token(), settings.telegram_api_base, max_wait=settings.flood_wait_max)
    application = create_application(services, bot, settings.max_concurrent_updates)
    app: App = application.bot_data["app"]
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
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
        relay = ptb_relay(bot)
        while True:
            await app.housekeeping(relay)
            await asyncio.sleep(HOUSEKEEPING_INTERVAL)

    for sig in SIGNALS:
        loop.add_signal_handler(sig, stopping.set)
    loop.add_signal_handler(signal.SIGHUP, on_hangup)
    try:
        async with application:  # getMe: a refused token stops here
            await register_commands(bot, services)
            updater = application.updater
            assert updater is not None
            await updater.start_polling(
                timeout=POLLING_TIMEOUT,
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,
                error_callback=_polling_failed,
            )
            await application.start()
            if settings.handoff_enabled:
                services.background.append(asyncio.create_task(housekeeping()))
            log.info("Jol is polling %s", settings.telegram_api_base)
            await stopping.wait()
            await updater.stop()  # confirms what was fetched, so nothing is replayed
            await application.stop()  # waits for the updates being handled
            await services.events.flush()  # the statistics queued so far, before anything closes
    finally:
        loop.remove_signal_handler(signal.SIGHUP)
        for sig in SIGNALS:
            # Still stopping (closing the framework, the database): a second SIGTERM from an
            # impatient service manager must not cut that short with the default action.
            loop.add_signal_handler(sig, log.info, "already stopping")
        log.info("Jol stopped")


async def run_webhook(services: Services) -> None:
    """Serve updates Telegram posts (`jol run --webhook`); see `bot.web.server`."""
    settings = services.settings
    quiet_library_logs()
    retries = Retries(max_wait=settings.flood_wait_max)
    bot = create_bot(settings.token(), settings.telegram_api_base, retries=retries)
    application = create_application(services, bot, settings.max_concurrent_updates)
    app: App = application.bot_data["app"]

    async def feed(raw: dict[str, Any]) -> None:
        try:
            update = Update.de_json(raw, bot)
        except Exception:  # PTB reads with plain dict access: any error means unreadable
            raise Unreadable from None
        await application.process_update(update)

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

    async with application:  # getMe: a refused token stops here
        await serve_webhook(
            services,
            feed,
            register=register,
            publish=publish,
            heard=app.heard,
            retries=retries,
        )
