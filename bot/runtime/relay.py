"""The hand-off's `Relay` as Bot API calls: forum topics and copies of messages.

aiogram's and python-telegram-bot's `Bot` name these methods and their arguments alike, so one
class serves both runtimes; each names its own error types and its own `send`. Copies and
messages are steps of the webhook turn they are made in (`bot.runtime.answering`): a redelivered
update does not make them again. A topic is not (its id is needed, and a second one is only a
spare topic).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from bot.app.handoff import Copied, RelayError
from bot.app.plan import Output, Plan
from bot.runtime.answering import step

log = logging.getLogger(__name__)

Send = Callable[[Any, Plan, Output], Awaitable[object]]


class BotApiRelay:
    def __init__(
        self, bot: Any, send: Send, *, failed: type[Exception], blocked: type[Exception]
    ) -> None:
        """`failed`: the framework's Bot API error; `blocked`: its 403 (a user blocked the bot)."""
        self.bot, self.send, self.failed, self.blocked = bot, send, failed, blocked

    async def create_topic(self, chat_id: int, name: str) -> int:
        try:
            topic = await self.bot.create_forum_topic(chat_id, name)
        except self.failed as exc:
            raise RelayError(type(exc).__name__) from None
        return int(topic.message_thread_id)

    async def close_topic(self, chat_id: int, thread_id: int) -> None:
        try:
            await self.bot.close_forum_topic(chat_id, thread_id)
        except self.failed as exc:  # already closed, or deleted by an operator
            log.info("could not close a topic: %s", type(exc).__name__)

    async def copy(
        self, from_chat: int, message_id: int, to_chat: int, thread_id: int | None
    ) -> Copied:
        made = partial(
            self.bot.copy_message, to_chat, from_chat, message_id, message_thread_id=thread_id
        )
        try:
            await step(("copy", from_chat, message_id, to_chat, thread_id), made)
        except self.blocked:
            return Copied.BLOCKED
        except self.failed as exc:
            log.warning("a message was not copied: %s", type(exc).__name__)
            return Copied.FAILED
        return Copied.OK

    async def deliver(self, plan: Plan) -> bool:
        try:
            for output in plan.outputs:
                made = partial(self.send, self.bot, plan, output)
                await step(("deliver", plan.chat_id, plan.thread_id, output), made)
        except self.blocked:
            return False
        except self.failed as exc:
            log.warning("a hand-off message was not sent: %s", type(exc).__name__)
            return False
        return True
