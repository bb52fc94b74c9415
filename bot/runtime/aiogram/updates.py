"""Builds the updates Telegram would send for one user, for the terminal chat and the tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from aiogram.types import (
    CallbackQuery,
    Chat,
    Location,
    Message,
    PhotoSize,
    Sticker,
    Update,
    User,
    Voice,
)


class UpdateFactory:
    def __init__(
        self,
        user_id: int = 1001,
        language_code: str | None = None,
        first_name: str = "Test",
        username: str | None = None,
    ) -> None:
        self.user = User(
            id=user_id,
            is_bot=False,
            first_name=first_name,
            username=username,
            language_code=language_code,
        )
        self.chat = Chat(id=user_id, type="private")
        self._ids = itertools.count(1)

    def _message(self, **content: Any) -> Update:
        message = Message(
            message_id=10_000 + next(self._ids),
            date=dt.datetime.now(dt.UTC),
            chat=content.pop("chat", self.chat),
            from_user=self.user,
            **content,
        )
        return Update(update_id=next(self._ids), message=message)

    def text(self, text: str) -> Update:
        return self._message(text=text)

    def location(self, latitude: float, longitude: float) -> Update:
        return self._message(location=Location(latitude=latitude, longitude=longitude))

    def sticker(self) -> Update:
        sticker = Sticker(
            file_id="s",
            file_unique_id="s",
            type="regular",
            width=512,
            height=512,
            is_animated=False,
            is_video=False,
        )
        return self._message(sticker=sticker)

    def voice(self) -> Update:
        return self._message(voice=Voice(file_id="v", file_unique_id="v", duration=3))

    def photo(self) -> Update:
        return self._message(photo=[PhotoSize(file_id="p", file_unique_id="p", width=9, height=9)])

    def in_group(self, text: str) -> Update:
        return self._message(text=text, chat=Chat(id=-100, type="supergroup"))

    def press(self, message: Message | None, data: str | None) -> Update:
        query = CallbackQuery(
            id=str(next(self._ids)),
            from_user=self.user,
            chat_instance="chat",
            message=message,
            data=data,
        )
        return Update(update_id=next(self._ids), callback_query=query)
