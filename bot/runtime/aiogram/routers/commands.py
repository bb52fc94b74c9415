"""Every `/command`; the core knows which exist and answers the rest politely."""

from typing import Any

from aiogram import F, Router
from aiogram.types import Message

from bot.core import Command
from bot.runtime.aiogram.delivery import respond_to_message


def parse_command(text: str) -> Command:
    head, _, args = text.partition(" ")
    name = head[1:].split("@", 1)[0].lower()
    return Command(name=name, args=args.strip())


async def on_command(message: Message, **data: Any) -> None:
    await respond_to_message(message, parse_command(message.text or "/"), data)


def create_router() -> Router:
    router = Router(name="commands")
    router.message.register(on_command, F.text.startswith("/"))
    return router
