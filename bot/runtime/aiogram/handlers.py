"""The runtime's only handlers: translate, ask the application, render. Nothing is decided here."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message

from bot.app import App
from bot.runtime.aiogram.relay import aiogram_relay
from bot.runtime.aiogram.render import render
from bot.runtime.aiogram.translate import from_message, from_press


async def on_message(message: Message, bot: Bot, app: App) -> None:
    incoming = from_message(message)
    if incoming is not None:
        async with app.order.turn(incoming.chat_id):
            await render(bot, await app.handle(incoming, aiogram_relay(bot)))


async def on_press(callback: CallbackQuery, bot: Bot, app: App) -> None:
    incoming = from_press(callback)
    async with app.order.turn(incoming.chat_id):
        await render(bot, await app.handle(incoming, aiogram_relay(bot)), callback.id)


def create_router() -> Router:
    router = Router(name="updates")
    router.message.register(on_message)
    router.callback_query.register(on_press)
    return router
