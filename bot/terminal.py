"""`jol chat`: talk to the real bot in a terminal, with no token and no network.

The real runtime (aiogram's dispatcher or python-telegram-bot's `Application`, `--runtime`),
core, catalog and storage run; only Telegram is replaced, by an offline session that prints what
the bot sends. Buttons are numbered and chosen by number.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from bot.runtime.updates import Raw, RawUpdates
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
    update: Callable[[], Raw] | None  # None: the button asks for the user's location


ASK_LOCATION = "location"
QUIT = "quit"


class TerminalChat:
    def __init__(
        self,
        services: Services,
        language_code: str | None,
        write: Callable[[str], None],
        user_id: int = 1,
        runtime: str = "aiogram",
    ):
        self.bot = offline_bot(services, runtime)
        self.bot.listeners.append(self._show)
        self.updates = RawUpdates(user_id=user_id, language_code=language_code)
        self.write = write
        self.choices: list[Choice] = []
        self.pictures = services.settings.jol_data_dir

    def _show(self, method: str, params: dict[str, Any], result: Any) -> None:
        match method:
            case "answerCallbackQuery" if params.get("text"):
                self.write(f"({params['text']})")
            case "sendPhoto" if isinstance(params.get("photo"), dict):
                path = self.pictures / params["photo"]["filename"]
                path.write_bytes(params["photo"]["data"])
                self.write(f"🖼 {params.get('caption') or ''}\n   {path}")
            case "sendVenue":
                link = map_link(float(params["latitude"]), float(params["longitude"]))
                self.write(f"📍 {params['title']}\n   {params['address']}\n   {link}")
            case "sendMessage" | "editMessageText":
                mark = "(edited) " if method == "editMessageText" else ""
                self.write(f"{mark}{plain(params.get('text') or '')}")
                self._offer(params.get("reply_markup"), result)
            case _:
                return
        self.write("")

    def _offer(self, markup: Any, message: Raw) -> None:
        markup = markup if isinstance(markup, dict) else {}
        if "inline_keyboard" in markup:
            self.choices = [
                Choice(button["text"], self._press(message, button.get("callback_data")))
                for row in markup["inline_keyboard"]
                for button in row
            ]
        elif "keyboard" in markup:
            self.choices = [
                Choice(
                    key["text"], None if key.get("request_location") else self._type(key["text"])
                )
                for row in markup["keyboard"]
                for key in row
            ]
        else:
            return
        for number, choice in enumerate(self.choices, start=1):
            self.write(f"  [{number}] {choice.label}")

    def _press(self, message: Raw, data: str | None) -> Callable[[], Raw]:
        return lambda: self.updates.press(message, data)

    def _type(self, text: str) -> Callable[[], Raw]:
        return lambda: self.updates.text(text)

    def parse(self, line: str) -> Raw | str | None:
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

    async def send(self, update: Raw) -> None:
        await self.bot.send(update)


class Offline(Protocol):
    """A runtime with Telegram replaced: fed JSON updates, it tells `listeners` each call."""

    listeners: list[Callable[[str, dict[str, Any], Any], None]]

    async def start(self) -> None: ...
    async def send(self, raw: Raw) -> None: ...
    async def close(self) -> None: ...


def offline_bot(services: Services, runtime: str) -> Offline:
    if runtime == "ptb":
        from bot.runtime.ptb.offline import OfflineBot as PtbOffline

        return PtbOffline(services, OFFLINE_TOKEN)
    from bot.runtime.aiogram.offline import OfflineBot as AiogramOffline

    return AiogramOffline(services, OFFLINE_TOKEN)


def read_point(text: str) -> tuple[float, float] | None:
    try:
        latitude, longitude = (float(part) for part in text.replace(",", " ").split())
    except ValueError:
        return None
    return latitude, longitude


async def run_chat(
    services: Services, language_code: str | None, user_id: int = 1, runtime: str = "aiogram"
) -> None:
    def write(text: str) -> None:
        print(text, flush=True)

    chat = TerminalChat(services, language_code, write, user_id, runtime)
    await chat.bot.start()

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
        if isinstance(update, dict):
            await chat.send(update)
    await chat.bot.close()
