"""The hand-off's relay over python-telegram-bot (see `bot.runtime.relay`)."""

from __future__ import annotations

from telegram import Bot
from telegram.error import Forbidden, TelegramError

from bot.runtime.ptb.render import send
from bot.runtime.relay import BotApiRelay


def ptb_relay(bot: Bot) -> BotApiRelay:
    return BotApiRelay(bot, send, failed=TelegramError, blocked=Forbidden)
