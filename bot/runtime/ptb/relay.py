"""The hand-off's `Relay` as Bot API calls: forum topics and copies of messages."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import Forbidden, TelegramError

from bot.app.handoff import Copied, RelayError
from bot.app.plan import Plan
from bot.runtime.ptb.render import send

log = logging.getLogger(__name__)


class PtbRelay:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def create_topic(self, chat_id: int, name: str) -> int:
        try:
            topic = await self.bot.create_forum_topic(chat_id, name)
        except TelegramError as exc:
            raise RelayError(type(exc).__name__) from None
        return topic.message_thread_id

    async def close_topic(self, chat_id: int, thread_id: int) -> None:
        try:
            await self.bot.close_forum_topic(chat_id, thread_id)
        except TelegramError as exc:  # already closed, or deleted by an operator
            log.info("could not close a topic: %s", type(exc).__name__)

    async def copy(
        self, from_chat: int, message_id: int, to_chat: int, thread_id: int | None
    ) -> Copied:
        try:
            await self.bot.copy_message(to_chat, from_chat, message_id, message_thread_id=thread_id)
        except Forbidden:
            return Copied.BLOCKED
        except TelegramError as exc:
            log.warning("a message was not copied: %s", type(exc).__name__)
            return Copied.FAILED
        return Copied.OK

    async def deliver(self, plan: Plan) -> bool:
        try:
            for output in plan.outputs:
                await send(self.bot, plan, output)
        except Forbidden:
            return False
        except TelegramError as exc:
            log.warning("a hand-off message was not sent: %s", type(exc).__name__)
            return False
        return True
