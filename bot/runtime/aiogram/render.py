"""The application's `Plan` as Bot API calls: the one place this runtime sends anything."""

from __future__ import annotations

import logging
from functools import partial

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.app import Output, Picture, Plan
from bot.core import Message, RemoveKeyboard, RequestLocation, Venue
from bot.core.actions import encode
from bot.runtime.answering import play

log = logging.getLogger(__name__)

# What `retries` gives up on after trying: the answer is lost, the bot goes on.
GIVEN_UP = (TelegramRetryAfter, TelegramServerError, TelegramNetworkError, ClientDecodeError)

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


async def acknowledge(bot: Bot, callback_query_id: str, toast: str | None) -> None:
    try:
        await bot.answer_callback_query(callback_query_id, text=toast)
    except TelegramBadRequest as exc:
        # Too late to acknowledge (after a restart or a slow moment): answer all the same.
        log.info("could not acknowledge a button press: %s", exc.message)


async def send_message(
    bot: Bot, chat_id: int, reply: Message, thread_id: int | None = None
) -> None:
    await bot.send_message(
        chat_id, reply.text, reply_markup=markup(reply), message_thread_id=thread_id
    )


async def _edit(bot: Bot, chat_id: int, message_id: int, reply: Message) -> None:
    inline = markup(reply)
    assert inline is None or isinstance(inline, InlineKeyboardMarkup)
    try:
        await bot.edit_message_text(
            text=reply.text, chat_id=chat_id, message_id=message_id, reply_markup=inline
        )
    except TelegramBadRequest as exc:
        if "not modified" in exc.message:
            return
        # Too old to edit, or not a text message (a venue): say it in a new message instead.
        await send_message(bot, chat_id, reply)


async def send(bot: Bot, plan: Plan, output: Output) -> None:
    chat_id = plan.chat_id
    if isinstance(output, Venue):
        await bot.send_venue(
            chat_id, output.latitude, output.longitude, title=output.title, address=output.address
        )
    elif isinstance(output, Picture):
        picture = BufferedInputFile(output.png, filename=output.name)
        await bot.send_photo(chat_id, picture, caption=output.caption)
    elif plan.edits(output):
        assert plan.edit_target is not None
        await _edit(bot, chat_id, plan.edit_target, output)
    else:
        await send_message(bot, chat_id, output, plan.thread_id)


async def render(bot: Bot, plan: Plan, callback_query_id: str | None = None) -> None:
    """Acknowledge a press first (Telegram shows a spinner until then), then send in order;
    in webhook mode, as `bot.runtime.answering` says."""
    ack = None
    if callback_query_id is not None and plan.acknowledge:
        ack = partial(acknowledge, bot, callback_query_id, plan.toast)
    try:
        await play(plan, ack, partial(send, bot, plan))
    except TelegramForbiddenError:
        # The user blocked the bot (or left): not an error, and nothing more can reach them.
        log.info("the user has blocked the bot; the rest of the answer is dropped")
    except GIVEN_UP as exc:
        # `retries` has tried, logged and counted it; the next update may fare better.
        log.warning("the rest of an answer is dropped: %s", type(exc).__name__)
