"""Typed text that is not a command."""

from typing import Any

from aiogram import F, Router
from aiogram.types import Message

from bot.core import Text
from bot.runtime.aiogram.delivery import respond_to_message


async def on_text(message: Message, text: str, **data: Any) -> None:
    await respond_to_message(message, Text(text), data)


def create_router() -> Router:
    router = Router(name="text")
    router.message.register(on_text, F.text.as_("text"))
    return router
