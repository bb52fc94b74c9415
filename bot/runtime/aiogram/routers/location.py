"""A shared location: used for the nearest centres, then forgotten."""

from typing import Any

from aiogram import F, Router
from aiogram.types import Message

from bot.core import Location
from bot.runtime.aiogram.delivery import respond_to_message


async def on_location(message: Message, point: Any, **data: Any) -> None:
    await respond_to_message(message, Location(point.latitude, point.longitude), data)


def create_router() -> Router:
    router = Router(name="location")
    router.message.register(on_location, F.location.as_("point"))
    return router
