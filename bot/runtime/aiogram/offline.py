"""A Bot API session that never touches the network: it answers as Telegram would and records.

It carries `jol chat` (the terminal stands in for Telegram) and the dispatcher-level tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, Callable
from typing import Any

from aiogram import Bot
from aiogram.client.default import Default
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    EditMessageText,
    GetMe,
    SendMessage,
    SendPhoto,
    SendVenue,
    TelegramMethod,
)
from aiogram.types import (
    BufferedInputFile,
    Chat,
    InlineKeyboardMarkup,
    Location,
    Message,
    PhotoSize,
    Update,
    User,
    Venue,
)
from pydantic import BaseModel

from bot.services import Services

Listener = Callable[[TelegramMethod[Any], Any], None]


class OfflineSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[TelegramMethod[Any]] = []
        self.messages: dict[int, Message] = {}
        self.listeners: list[Listener] = []
        self._next_id = 1

    async def close(self) -> None:
        return None

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        raise RuntimeError("an offline session has no files to stream")
        yield b""  # pragma: no cover

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> Any:
        self.calls.append(method)
        result = self._result(bot, method)
        for listener in self.listeners:
            listener(method, result)
        return result

    def _message(self, bot: Bot, chat_id: int, **fields: Any) -> Message:
        message_id = fields.pop("message_id", None) or self._next_id
        self._next_id = max(self._next_id, message_id + 1)
        markup = fields.pop("reply_markup", None)
        message = Message(
            message_id=message_id,
            date=dt.datetime.now(dt.UTC),
            chat=Chat(id=chat_id, type="private"),
            from_user=User(id=bot.id, is_bot=True, first_name="Jol"),
            reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
            **fields,
        ).as_(bot)
        self.messages[message_id] = message
        return message

    def _result(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        match method:
            case SendMessage():
                return self._message(
                    bot, int(method.chat_id), text=method.text, reply_markup=method.reply_markup
                )
            case EditMessageText():
                return self._message(
                    bot,
                    int(method.chat_id or 0),
                    message_id=method.message_id,
                    text=method.text,
                    reply_markup=method.reply_markup,
                )
            case SendVenue():
                venue = Venue(
                    location=Location(latitude=method.latitude, longitude=method.longitude),
                    title=method.title,
                    address=method.address,
                )
                return self._message(bot, int(method.chat_id), venue=venue)
            case SendPhoto():
                size = len(method.photo.data) if isinstance(method.photo, BufferedInputFile) else 0
                photo = PhotoSize(
                    file_id=f"photo-{self._next_id}",
                    file_unique_id=f"photo-{self._next_id}",
                    width=800,
                    height=450,
                    file_size=size,
                )
                return self._message(
                    bot, int(method.chat_id), photo=[photo], caption=method.caption
                )
            case GetMe():
                return User(id=bot.id, is_bot=True, first_name="Jol", username="jol_bot")
        if method.__returning__ is bool:
            return True
        raise RuntimeError(f"the offline session cannot answer {type(method).__name__}")


def neutral(method: TelegramMethod[Any]) -> dict[str, Any]:
    """A call's parameters as Telegram reads them (JSON values; a photo as filename and data),
    the same shape `bot.runtime.ptb.offline` records, so one terminal serves both runtimes."""
    return {
        name: _json(value)
        for name, value in method
        if value is not None and not isinstance(value, Default)
    }


def _json(value: Any) -> Any:
    if isinstance(value, BufferedInputFile):
        return {"filename": value.filename, "data": value.data}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True, by_alias=True)
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value


NeutralListener = Callable[[str, dict[str, Any], Any], None]


class OfflineBot:
    """The real dispatcher with `OfflineSession` in place of Telegram; fed JSON updates."""

    def __init__(self, services: Services, token: str = "1:offline") -> None:
        from bot.runtime.aiogram.app import create_bot, create_dispatcher

        self.session = OfflineSession()
        self.session.listeners.append(self._tell)
        self.bot = create_bot(token, "http://offline.invalid", session=self.session)
        self.dp = create_dispatcher(services)
        self.listeners: list[NeutralListener] = []

    def _tell(self, method: TelegramMethod[Any], result: Any) -> None:
        if isinstance(result, BaseModel):
            result = result.model_dump(mode="json", exclude_none=True, by_alias=True)
        for listener in self.listeners:
            listener(method.__api_method__, neutral(method), result)

    async def start(self) -> None:
        return None

    async def send(self, raw: dict[str, Any]) -> None:
        update = Update.model_validate(raw, context={"bot": self.bot})
        await self.dp.feed_update(self.bot, update)

    async def close(self) -> None:
        await self.bot.session.close()
