"""Inline button presses, including stale and forged ones: the core sorts those out."""

from typing import Any

from aiogram import Router
from aiogram.types import CallbackQuery

from bot.core import Press
from bot.runtime.aiogram.delivery import respond


async def on_press(callback: CallbackQuery, **data: Any) -> None:
    chat_id = callback.message.chat.id if callback.message else callback.from_user.id
    await respond(
        Press(callback.data), data, chat_id=chat_id, user=callback.from_user, callback=callback
    )


def create_router() -> Router:
    router = Router(name="buttons")
    router.callback_query.register(on_press)
    return router
