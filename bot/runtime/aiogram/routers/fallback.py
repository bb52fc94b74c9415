"""Stickers, voice, photos, files and anything else: a polite answer, never silence."""

from typing import Any

from aiogram import Router
from aiogram.types import Message

from bot.core import Unsupported
from bot.runtime.aiogram.delivery import respond_to_message


async def on_anything(message: Message, **data: Any) -> None:
    await respond_to_message(message, Unsupported(str(message.content_type)), data)


def create_router() -> Router:
    router = Router(name="fallback")
    router.message.register(on_anything)
    return router
