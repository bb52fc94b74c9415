"""A Bot API request object that never touches the network: it answers as Telegram would and
records. It carries `jol chat --runtime ptb` and the dispatcher-level tests of this runtime.

Calls are recorded as Telegram would read them: the method's name and its parameters as JSON
values (a photo as `{"filename", "data"}`), with the answer Telegram would give.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

from bot.runtime.ptb.app import JolApplication, create_application, create_bot
from bot.runtime.ptb.requests import RetryingRequest
from bot.services import Services

Call = tuple[str, dict[str, Any], Any]  # method, parameters, result
Listener = Callable[[str, dict[str, Any], Any], None]
BOT_ID = 1


class OfflineRequest(BaseRequest):
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self.listeners: list[Listener] = []
        self._next_id = 1

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = dict(request_data.parameters) if request_data else {}
        if request_data and request_data.contains_files:
            for key, (filename, data, _) in request_data.multipart_data.items():
                params[key] = {"filename": filename, "data": data}
        result = self._result(name, params)
        self.calls.append((name, params, result))
        for listener in self.listeners:
            listener(name, params, result)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message(self, chat_id: int, **fields: Any) -> dict[str, Any]:
        message_id = fields.pop("message_id", None) or self._next_id
        self._next_id = max(self._next_id, message_id + 1)
        markup = fields.pop("reply_markup", None)
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Jol"},
            **fields,
        }
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self.messages[message_id] = message
        return message

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        chat_id = int(params.get("chat_id") or 0)
        match name:
            case "sendMessage" | "editMessageText":
                return self._message(
                    chat_id,
                    message_id=params.get("message_id"),
                    text=params["text"],
                    reply_markup=params.get("reply_markup"),
                )
            case "sendVenue":
                location = {"latitude": params["latitude"], "longitude": params["longitude"]}
                venue = {"location": location, "title": params["title"]}
                return self._message(chat_id, venue={**venue, "address": params["address"]})
            case "sendPhoto":
                size = len(params["photo"]["data"]) if isinstance(params.get("photo"), dict) else 0
                photo = {
                    "file_id": f"photo-{self._next_id}",
                    "file_unique_id": f"photo-{self._next_id}",
                    "width": 800,
                    "height": 450,
                    "file_size": size,
                }
                return self._message(chat_id, photo=[photo], caption=params.get("caption"))
            case "getMe":
                return {"id": BOT_ID, "is_bot": True, "first_name": "Jol", "username": "jol_bot"}
            case "getUpdates":
                return []
        return True


class OfflineBot:
    """The real `Application` with `OfflineRequest` in place of Telegram; fed JSON updates."""

    def __init__(self, services: Services, token: str = "1:offline") -> None:
        self.request = OfflineRequest()
        # Behind the same choke point as a bot on the network, as aiogram's offline session is.
        bot = create_bot(
            token,
            "http://offline.invalid",
            request=RetryingRequest(self.request),
            polling=self.request,
        )
        self.application: JolApplication = create_application(services, bot, concurrency=1)
        self.listeners: list[Listener] = self.request.listeners

    async def start(self) -> None:
        await self.application.initialize()

    async def send(self, raw: dict[str, Any]) -> None:
        update = Update.de_json(raw, self.application.bot)
        await self.application.process_update(update)

    async def close(self) -> None:
        await self.application.shutdown()
