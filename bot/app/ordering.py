"""One chat's updates answered in the order they came.

Both runtimes handle updates concurrently (up to `JOL_MAX_CONCURRENT_UPDATES`), so two quick
messages from one person could be answered in the wrong order: an answer that waits for a
retry would arrive after the answer to the next message, and two quick presses could leave the
message on the screen of the first. A runtime holds `ChatOrder.turn(chat_id)` around asking the
application and sending what it planned.

Tasks are created in the order the updates arrive and `asyncio.Lock` wakes its waiters first
come, first served, so the turns follow the updates. A chat that floods the bot must not hold
every concurrency slot while its updates wait for each other: beyond `max_waiting` waiting
updates, the next one of that chat is handled at once, out of order rather than late for
everyone else. The order is kept within one process; replicas behind a load balancer get one
chat's webhook posts one after another only as Telegram sends them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

MAX_WAITING = 4


@dataclass
class _Chat:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    holders: int = 0  # updates of this chat in a turn or waiting for one


class ChatOrder:
    def __init__(self, max_waiting: int = MAX_WAITING) -> None:
        self._chats: dict[int, _Chat] = {}
        self._max_waiting = max_waiting

    @asynccontextmanager
    async def turn(self, chat_id: int) -> AsyncIterator[None]:
        chat = self._chats.setdefault(chat_id, _Chat())
        if chat.holders > self._max_waiting:
            yield
            return
        chat.holders += 1
        try:
            async with chat.lock:
                yield
        finally:
            chat.holders -= 1
            if chat.holders == 0:
                # Nobody else holds a reference: the chat's entry goes, memory stays flat.
                del self._chats[chat_id]

    def __len__(self) -> int:
        return len(self._chats)
