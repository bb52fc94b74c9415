"""The one place the aiogram runtime talks to the Bot API: asks the core, renders its replies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    User,
)
from aiogram.types import Message as TgMessage

from bot.core import Message, Outcome, RemoveKeyboard, Request, RequestLocation, Venue, handle
from bot.core import replies as core
from bot.core.actions import encode
from bot.core.privacy import wants_record
from bot.core.requests import Event, Kept
from bot.services import Services
from storage.events import DATABASE_ERRORS, EventRecord
from storage.scrub import scrub

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRIES = 3

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None


def markup(reply: Message) -> Markup:
    keyboard = reply.keyboard
    if isinstance(keyboard, RequestLocation):
        return ReplyKeyboardMarkup(
            keyboard=[
                [KeyboardButton(text=keyboard.share_text, request_location=True)],
                [KeyboardButton(text=keyboard.cancel_text)],
            ],
            resize_keyboard=True,
            one_time_keyboard=True,
        )
    if isinstance(keyboard, RemoveKeyboard):
        return ReplyKeyboardRemove()
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text=b.text, url=b.url)
                if b.url
                else InlineKeyboardButton(text=b.text, callback_data=encode(b.action))  # type: ignore[arg-type]
                for b in row
            ]
            for row in keyboard
        ]
    )


async def _call(make: Callable[[], Awaitable[T]]) -> T | None:
    """Call the Bot API, waiting out flood limits; a user who blocked the bot is not an error."""
    for attempt in range(RETRIES):
        try:
            return await make()
        except TelegramRetryAfter as exc:
            if attempt == RETRIES - 1:
                raise
            await asyncio.sleep(exc.retry_after)
        except TelegramForbiddenError:
            log.info("the user has blocked the bot; reply dropped")
            return None
    return None


async def render_message(bot: Bot, chat_id: int, reply: Message) -> None:
    await _call(lambda: bot.send_message(chat_id, reply.text, reply_markup=markup(reply)))


async def send_picture(bot: Bot, chat_id: int, png: bytes, *, name: str, caption: str) -> None:
    picture = BufferedInputFile(png, filename=name)
    await _call(lambda: bot.send_photo(chat_id, picture, caption=caption))


async def _edit(bot: Bot, origin: TgMessage, reply: Message) -> None:
    try:
        await _call(
            lambda: bot.edit_message_text(
                text=reply.text,
                chat_id=origin.chat.id,
                message_id=origin.message_id,
                reply_markup=markup(reply),  # type: ignore[arg-type]
            )
        )
    except TelegramBadRequest as exc:
        if "not modified" in exc.message:
            return
        # Too old to edit, or not a text message (a venue): say it in a new message instead.
        await render_message(bot, origin.chat.id, reply)


async def render(bot: Bot, chat_id: int, outcome: Outcome, origin: TgMessage | None) -> None:
    for reply in outcome.replies:
        if isinstance(reply, Venue):
            await _call(
                partial(
                    bot.send_venue,
                    chat_id,
                    reply.latitude,
                    reply.longitude,
                    title=reply.title,
                    address=reply.address,
                )
            )
        elif reply.edit and origin is not None and origin.text and not reply.keyboard_is_reply:
            await _edit(bot, origin, reply)
        else:
            await render_message(bot, chat_id, reply)


async def _kept(services: Services, user_key: str | None) -> Kept | None:
    """What is kept about the user, for them to see; None if it cannot be read now."""
    if user_key is None:
        return None
    try:
        record = await services.privacy.describe(user_key)
    except DATABASE_ERRORS as exc:
        log.warning("could not read what is kept about a user: %s", type(exc).__name__)
        return None
    return Kept(record.locale, record.first_seen, record.last_seen, record.events, record.opted_in)


def _record(
    services: Services,
    user_key: str | None,
    user: User | None,
    locale: str | None,
    events: Iterable[core.Event],
) -> None:
    """Queue the events for statistics; the database is not waited for here."""
    if user_key is None or user is None:
        return
    # An unanswered question is kept only scrubbed, and never with the asker's own names in it.
    names = (user.first_name, user.last_name, user.username)
    services.events.record(
        EventRecord(
            user_key, e.kind, locale, e.subject, e.value, scrub(e.query, names) if e.query else None
        )
        for e in events
    )


async def _erase(services: Services, user_key: str | None, outcome: Outcome) -> Outcome:
    assert outcome.erase is not None
    replies = outcome.erase.failed
    if user_key is not None:
        try:
            await services.privacy.erase(user_key)
            replies = outcome.erase.done
        except DATABASE_ERRORS as exc:
            log.warning("could not erase a user's records: %s", type(exc).__name__)
    return replace(outcome, replies=replies, erase=None)


async def respond(
    event: Event,
    data: dict[str, Any],
    *,
    chat_id: int,
    user: User | None,
    callback: CallbackQuery | None = None,
) -> Outcome:
    """Answer one update: ask the core, queue its events, save a language choice or erase the
    user's records, acknowledge, render.

    `data` is aiogram's workflow data: `bot`, `services`, and what `UserMiddleware` resolved.
    """
    bot: Bot = data["bot"]
    services: Services = data["services"]
    user_key: str | None = data.get("user_key")
    locale: str | None = data.get("locale")
    kept = await _kept(services, user_key) if wants_record(event) else None
    request = Request(event, locale, user.language_code if user else None, kept)
    outcome = handle(request, services.content.current)
    _record(services, user_key, user, outcome.locale or locale, outcome.events)
    if callback is not None:
        try:
            await _call(lambda: callback.answer(outcome.toast))
        except TelegramBadRequest as exc:
            # Too late to acknowledge (after a restart or a slow moment): answer all the same.
            log.info("could not acknowledge a button press: %s", exc.message)
    if outcome.erase is not None:
        outcome = await _erase(services, user_key, outcome)
    elif outcome.locale and user_key:
        try:
            await services.users.set_locale(user_key, outcome.locale)
        except DATABASE_ERRORS as exc:
            log.warning("could not save the language choice: %s", type(exc).__name__)
    origin = callback.message if callback and isinstance(callback.message, TgMessage) else None
    await render(bot, chat_id, outcome, origin)
    return outcome


async def respond_to_message(message: TgMessage, event: Event, data: dict[str, Any]) -> Outcome:
    return await respond(event, data, chat_id=message.chat.id, user=message.from_user)
