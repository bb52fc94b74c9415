"""The one place the aiogram runtime talks to the Bot API: asks the core, renders its replies."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    User,
)
from aiogram.types import Message as TgMessage
from sqlalchemy.exc import SQLAlchemyError

from bot.core import Message, Outcome, RemoveKeyboard, Request, RequestLocation, Venue, handle
from bot.core.actions import encode
from bot.core.requests import Event
from bot.services import Services

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
                lambda r=reply: bot.send_venue(
                    chat_id, r.latitude, r.longitude, title=r.title, address=r.address
                )
            )
        elif reply.edit and origin is not None and origin.text and not reply.keyboard_is_reply:
            await _edit(bot, origin, reply)
        else:
            await render_message(bot, chat_id, reply)


async def respond(
    event: Event,
    data: dict[str, Any],
    *,
    chat_id: int,
    user: User | None,
    callback: CallbackQuery | None = None,
) -> Outcome:
    """Answer one update: ask the core, save a language choice, acknowledge, render.

    `data` is aiogram's workflow data: `bot`, `services`, and what `UserMiddleware` resolved.
    """
    bot: Bot = data["bot"]
    services: Services = data["services"]
    request = Request(event, data.get("locale"), user.language_code if user else None)
    outcome = handle(request, services.content.current)
    if callback is not None:
        try:
            await _call(lambda: callback.answer(outcome.toast))
        except TelegramBadRequest as exc:
            # Too late to acknowledge (after a restart or a slow moment): answer all the same.
            log.info("could not acknowledge a button press: %s", exc.message)
    user_key = data.get("user_key")
    if outcome.locale and user_key:
        try:
            await services.users.set_locale(user_key, outcome.locale)
        except (SQLAlchemyError, OSError) as exc:
            log.warning("could not save the language choice: %s", type(exc).__name__)
    origin = callback.message if callback and isinstance(callback.message, TgMessage) else None
    await render(bot, chat_id, outcome, origin)
    return outcome


async def respond_to_message(message: TgMessage, event: Event, data: dict[str, Any]) -> Outcome:
    return await respond(event, data, chat_id=message.chat.id, user=message.from_user)
