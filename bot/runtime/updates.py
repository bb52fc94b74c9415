"""Updates as Telegram sends them (JSON objects) for one user: for the terminal chat and the
tests, so that each runtime reads exactly what it would read from Telegram."""

from __future__ import annotations

import itertools
import time
from typing import Any

Raw = dict[str, Any]


class RawUpdates:
    def __init__(
        self,
        user_id: int = 1001,
        language_code: str | None = None,
        first_name: str = "Test",
        username: str | None = None,
    ) -> None:
        self.user: Raw = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username is not None:
            self.user["username"] = username
        if language_code is not None:
            self.user["language_code"] = language_code
        self.chat: Raw = {"id": user_id, "type": "private", "first_name": first_name}
        self._ids = itertools.count(1)

    def _message(self, chat: Raw | None = None, **content: Any) -> Raw:
        message = {
            "message_id": 10_000 + next(self._ids),
            "date": int(time.time()),
            "chat": chat or self.chat,
            "from": self.user,
            **content,
        }
        return {"update_id": next(self._ids), "message": message}

    def text(self, text: str) -> Raw:
        return self._message(text=text)

    def location(self, latitude: float, longitude: float) -> Raw:
        return self._message(location={"latitude": latitude, "longitude": longitude})

    def sticker(self) -> Raw:
        sticker = {
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self._message(sticker=sticker)

    def voice(self) -> Raw:
        return self._message(voice={"file_id": "v", "file_unique_id": "v", "duration": 3})

    def photo(self) -> Raw:
        return self._message(
            photo=[{"file_id": "p", "file_unique_id": "p", "width": 9, "height": 9}]
        )

    def in_group(self, text: str) -> Raw:
        return self._message(chat={"id": -100, "type": "supergroup", "title": "Group"}, text=text)

    def press(self, message: Raw | None, data: str | None) -> Raw:
        query: Raw = {"id": str(next(self._ids)), "from": self.user, "chat_instance": "chat"}
        if message is not None:
            query["message"] = message
        if data is not None:
            query["data"] = data
        return {"update_id": next(self._ids), "callback_query": query}
