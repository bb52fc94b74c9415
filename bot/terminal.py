"""`jol chat`: talk to the real bot in a terminal, with no token and no network.

The real dispatcher, core, catalog and storage run; only Telegram is replaced, by an offline
session that prints what the bot sends. Buttons are numbered and chosen by number.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    SendMessage,
    SendPhoto,
    SendVenue,
    TelegramMethod,
)
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    Update,
)

from bot.runtime.aiogram.app import create_bot, create_dispatcher
from bot.runtime.aiogram.offline import OfflineSession
from bot.runtime.aiogram.updates import UpdateFactory
from bot.services import Services

OFFLINE_TOKEN = "1:offline-terminal-chat"
HELP = """Type a number to press a button, or type text or /commands as in Telegram.
Also: :location LAT LON   :sticker   :voice   :photo   :quit"""
TAG = re.compile(r"<[^>]+>")
LINK = re.compile(r'<a href="([^"]+)">(.*?)</a>', re.S)


def plain(text: str) -> str:
    """Telegram HTML as terminal text: links keep their address, tags go."""
    text = LINK.sub(lambda m: f"{m.group(2)} ({html.unescape(m.group(1))})", text)
    return html.unescape(TAG.sub("", text))


def map_link(latitude: float, longitude: float) -> str:
    return f"https://www.openstreetmap.org/?mlat={latitude:.5f}&mlon={longitude:.5f}#map=17/{latitude:.5f}/{longitude:.5f}"


@dataclass
class Choice:
    label: str
    update: Callable[[], Update] | None  # None: the button asks for the user's location


ASK_LOCATION = "location"
QUIT = "quit"


class TerminalChat:
    def __init__(
        self,
        services: Services,
        language_code: str | None,
        write: Callable[[str], None],
        user_id: int = 1,
    ):
        self.session = OfflineSession()
        self.session.listeners.append(self._show)
        self.bot = create_bot(OFFLINE_TOKEN, "http://offline.invalid", session=self.session)
        self.dp = create_dispatcher(services)
        self.updates = UpdateFactory(user_id=user_id, language_code=language_code)
        self.write = write
        self.choices: list[Choice] = []
        self.pictures = services.settings.jol_data_dir

    def _show(self, method: TelegramMethod[Any], result: Any) -> None:
        match method:
            case AnswerCallbackQuery(text=str(toast)):
                self.write(f"({toast})")
            case SendPhoto(photo=BufferedInputFile(filename=str(name)) as picture):
                path = self.pictures / name
                path.write_bytes(picture.data)
                self.write(f"🖼 {method.caption or ''}\n   {path}")
            case SendVenue():
                link = map_link(method.latitude, method.longitude)
                self.write(f"📍 {method.title}\n   {method.address}\n   {link}")
            case SendMessage() | EditMessageText():
                mark = "(edited) " if isinstance(method, EditMessageText) else ""
                self.write(f"{mark}{plain(method.text or '')}")
                self._offer(method.reply_markup, result)
            case _:
                return
        self.write("")

    def _offer(self, markup: Any, message: Message) -> None:
        if isinstance(markup, InlineKeyboardMarkup):
            self.choices = [
                Choice(button.text, self._press(message, button.callback_data))
                for row in markup.inline_keyboard
                for button in row
            ]
        elif isinstance(markup, ReplyKeyboardMarkup):
            self.choices = [
                Choice(key.text, None if key.request_location else self._type(key.text))
                for row in markup.keyboard
                for key in row
            ]
        else:
            return
        for number, choice in enumerate(self.choices, start=1):
            self.write(f"  [{number}] {choice.label}")

    def _press(self, message: Message, data: str | None) -> Callable[[], Update]:
        return lambda: self.updates.press(message, data)

    def _type(self, text: str) -> Callable[[], Update]:
        return lambda: self.updates.text(text)

    def parse(self, line: str) -> Update | str | None:
        """The update a typed line stands for, `QUIT`, `ASK_LOCATION`, or None for nothing."""
        line = line.strip()
        if not line:
            return None
        if line.isdigit() and len(line) < 3:
            if not 1 <= int(line) <= len(self.choices):
                self.write(f"There is no button {line}.")
                return None
            make = self.choices[int(line) - 1].update
            return make() if make else ASK_LOCATION
        command, _, rest = line.partition(" ")
        match command:
            case ":quit" | ":q":
                return QUIT
            case ":sticker":
                return self.updates.sticker()
            case ":voice":
                return self.updates.voice()
            case ":photo":
                return self.updates.photo()
            case ":location":
                point = read_point(rest)
                return self.updates.location(*point) if point else None
        return self.updates.text(line)

    async def send(self, update: Update) -> None:
        await self.dp.feed_update(self.bot, update)


def read_point(text: str) -> tuple[float, float] | None:
    try:
        latitude, longitude = (float(part) for part in text.replace(",", " ").split())
    except ValueError:
        return None
    return latitude, longitude


async def run_chat(services: Services, language_code: str | None, user_id: int = 1) -> None:
    def write(text: str) -> None:
        print(text, flush=True)

    chat = TerminalChat(services, language_code, write, user_id)

    async def prompt(label: str) -> str | None:
        try:
            return await asyncio.to_thread(input, label)
        except EOFError:
            return None

    write(HELP + "\n")
    await chat.send(chat.updates.text("/start"))
    while (line := await prompt("> ")) is not None:
        update = chat.parse(line)
        if update == ASK_LOCATION:
            point = read_point(await prompt("latitude, longitude (e.g. 43.25, 76.92): ") or "")
            update = chat.updates.location(*point) if point else None
        if update == QUIT:
            break
        if isinstance(update, Update):
            await chat.send(update)
    await chat.bot.session.close()
