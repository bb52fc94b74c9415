"""The hand-off's relay over aiogram (see `bot.runtime.relay`)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError

from bot.runtime.aiogram.render import send
from bot.runtime.relay import BotApiRelay


def aiogram_relay(bot: Bot) -> BotApiRelay:
    return BotApiRelay(bot, send, failed=TelegramAPIError, blocked=TelegramForbiddenError)
