"""The real bot as a subprocess against `FakeTelegram`, and a driver that plays its users."""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import scaled
from tests.e2e.fake_telegram import Call, FakeTelegram, inline_buttons

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURE_CONTENT = PROJECT_ROOT / "tests" / "fixtures" / "content"
LOCALES_DIR = PROJECT_ROOT / "locales"
TOKEN = "123456:TEST-token-abc"
TOKEN_SECRET = TOKEN.split(":", 1)[1]
# Budgets scale with JOL_TEST_TIME_FACTOR, for slow or busy machines.
START_TIMEOUT = scaled(60.0)
STOP_TIMEOUT = scaled(15.0)
WAIT_TIMEOUT = scaled(15.0)

# Settings the bot reads; none may leak in from the environment running the tests.
_BOT_SETTINGS = (
    "BOT_TOKEN",
    "TELEGRAM_API_BASE",
    "JOL_DATA_DIR",
    "DATABASE_URL",
    "ADMIN_IDS",
    "LOG_LEVEL",
    "JOL_CONTENT_DIR",
    "JOL_LOCALES_DIR",
    "JOL_PSEUDONYM_KEY",
    "JOL_DATABASE_TIMEOUT",
    "OPERATORS_CHAT_ID",
    "HANDOFF_ORGANISATION",
    "HANDOFF_HOURS",
    "HANDOFF_TIMEZONE",
    "HANDOFF_REPLY_HOURS",
    "HANDOFF_USER_RATE",
    "HANDOFF_OPERATOR_RATE",
    "JOL_HANDOFF_NOW",
    "JOL_RUNTIME",
    "WEBHOOK_URL",
    "WEBHOOK_SECRET",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PATH",
    "REDIS_URL",
    "JOL_REDIS_PREFIX",
    "JOL_CLAIM_SECONDS",
    "JOL_RESPONSE_RATE",
    "JOL_HEALTH_LISTEN",
)

# Every end-to-end test runs against each runtime; a difference between them fails a test.
RUNTIMES = ("aiogram", "ptb")

_user_ids = itertools.count(700_001)
# Who Telegram says sent a message an admin posted as the group itself.
GROUP_ANONYMOUS_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


def section_buttons(locale: str) -> list[tuple[str, str]]:
    """The main menu's section buttons in `locale`, as (text, callback_data), from the fixture."""
    sections = yaml.safe_load((FIXTURE_CONTENT / "sections.yaml").read_text(encoding="utf-8"))
    return [(f"{s['icon']} {s['title'][locale]}", f"1|s|{s['id']}") for s in sections]


def section_title(section_id: str, locale: str) -> str:
    sections = yaml.safe_load((FIXTURE_CONTENT / "sections.yaml").read_text(encoding="utf-8"))
    return next(s["title"][locale] for s in sections if s["id"] == section_id)


def is_main_menu(call: Call, locale: str) -> bool:
    """The main menu: the fixture's sections in `locale`, then the language button."""
    keyboard = call.keyboard
    return (
        [row[0] for row in keyboard[:-1]] == section_buttons(locale)
        and all(len(row) == 1 for row in keyboard)
        and keyboard[-1][0][1] == "1|l|"
    )


@dataclass(frozen=True)
class TgUser:
    id: int
    language_code: str | None = "kk"
    first_name: str = "Test"

    def as_dict(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language_code is not None:
            user["language_code"] = self.language_code
        return user

    def private_chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name}


def bot_environment(
    api_base: str, data_dir: Path, token: str = TOKEN, **extra: str
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _BOT_SETTINGS}
    env.update(
        BOT_TOKEN=token,
        TELEGRAM_API_BASE=api_base,
        JOL_CONTENT_DIR=str(FIXTURE_CONTENT),
        JOL_LOCALES_DIR=str(LOCALES_DIR),
        JOL_DATA_DIR=str(data_dir),
        LOG_LEVEL="DEBUG",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_ROOT), env.get("PYTHONPATH")])),
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )
    env.update(extra)
    return env


class BotProcess:
    """`python -m bot run` with its output in files (a pipe could fill up and block it)."""

    _runs = itertools.count(1)

    def __init__(
        self,
        fake: FakeTelegram,
        data_dir: Path,
        log_dir: Path,
        token: str = TOKEN,
        *,
        runtime: str,
        args: tuple[str, ...] = ("run",),
        **env: str,
    ) -> None:
        self.args = args
        self.runtime = runtime
        self.env = {"JOL_RUNTIME": runtime, **env}
        self.fake = fake
        self.data_dir = data_dir
        self.token = token
        run = next(self._runs)
        log_dir.mkdir(parents=True, exist_ok=True)
        self.stdout_path = log_dir / f"bot-{run}.stdout"
        self.stderr_path = log_dir / f"bot-{run}.stderr"
        # Run from an empty folder, so no `.env` of a developer is read.
        self.cwd = log_dir
        self.proc: subprocess.Popen[bytes] | None = None
        self.started_at_call = 0

    def launch(self) -> BotProcess:
        """Start the process, without waiting for anything."""
        self.started_at_call = self.fake.call_count
        env = bot_environment(self.fake.api_base, self.data_dir, self.token, **self.env)
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot", *self.args],
                cwd=self.cwd,
                env=env,
                stdout=out,
                stderr=err,
            )
        return self

    def start(self, timeout: float = START_TIMEOUT) -> BotProcess:
        """Start the process and wait until it polls for updates."""
        self.launch()
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while not self.fake.calls("getUpdates", since=self.started_at_call):
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"the bot exited with {self.proc.returncode} before polling:\n{self.logs()}"
                )
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"the bot did not poll within {timeout} s:\n{self.logs()}")
            time.sleep(0.02)
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT, sig: signal.Signals = signal.SIGTERM) -> int:
        """SIGTERM, as a service manager stops it; its exit code (None if it had to be killed)."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError(
                    f"the bot did not stop within {timeout} s of SIGTERM:\n{self.logs()}"
                ) from None
        return self.proc.returncode

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)

    def logs(self) -> str:
        parts = []
        for path in (self.stdout_path, self.stderr_path):
            if path.exists():
                parts.append(path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(parts)

    def stop_and_check(self, sig: signal.Signals = signal.SIGTERM) -> str:
        """Stop the bot; assert it exited with 0, logged no traceback, and never the token."""
        try:
            code = self.stop(sig=sig)
        finally:
            self.kill()
        logs = self.logs()
        assert code == 0, f"the bot exited with {code}:\n{logs[-5000:]}"
        assert " DEBUG " in logs, "no debug logs were captured: the token check would be vacuous"
        assert TOKEN_SECRET not in logs, "the bot token appeared in the logs"
        assert "Traceback" not in logs, f"the bot logged a traceback:\n{logs[-5000:]}"
        failed = re.search(r"update \d+ failed: .*", logs)
        assert failed is None, f"the bot failed on an update: {failed and failed.group()}"
        return logs


@contextmanager
def running_bot(
    fake: FakeTelegram,
    data_dir: Path,
    log_dir: Path,
    runtime: str,
    stop_with: signal.Signals = signal.SIGTERM,
) -> Iterator[BotProcess]:
    process = BotProcess(fake, data_dir, log_dir, runtime=runtime).start()
    try:
        yield process
    except BaseException:
        process.kill()
        raise
    process.stop_and_check(stop_with)


@dataclass(frozen=True)
class Sent:
    """An update a test sent; usable as `since=`, to see only what the bot did after it."""

    at: int
    update: dict[str, Any]

    @property
    def callback_id(self) -> str:
        return self.update["callback_query"]["id"]


Since = int | Sent | Call


def _index(since: Since | None) -> int:
    """Where to start looking: after a sent update, or from a call (itself included)."""
    if since is None:
        return 0
    if isinstance(since, Sent):
        return since.at
    return since.index if isinstance(since, Call) else since


class Driver:
    """Plays Telegram users against the running bot and watches what the bot calls."""

    def __init__(self, fake: FakeTelegram, process: BotProcess) -> None:
        self.fake = fake
        self.process = process

    # -- users and what they send -----------------------------------------------------------

    @staticmethod
    def user(language_code: str | None = "kk") -> TgUser:
        """A user no other test has used."""
        return TgUser(next(_user_ids), language_code)

    def mark(self) -> int:
        """A point in the call log: `since=` it, only later calls are seen."""
        return self.fake.call_count

    def send_message(
        self, user: TgUser, chat: dict[str, Any] | None = None, **content: Any
    ) -> Sent:
        at = self.mark()
        message = {
            "message_id": self.fake.new_message_id(),
            "date": int(time.time()),
            "chat": chat or user.private_chat(),
            "from": user.as_dict(),
            **content,
        }
        return Sent(at, self.fake.push_update(message=message))

    def send_text(self, user: TgUser, text: str) -> Sent:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.send_message(user, **content)

    def send_location(self, user: TgUser, latitude: float, longitude: float) -> Sent:
        return self.send_message(user, location={"latitude": latitude, "longitude": longitude})

    def send_sticker(self, user: TgUser) -> Sent:
        sticker = {
            "file_id": "sticker-file",
            "file_unique_id": "sticker-unique",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self.send_message(user, sticker=sticker)

    def send_voice(self, user: TgUser) -> Sent:
        voice = {"file_id": "voice-file", "file_unique_id": "voice-unique", "duration": 3}
        return self.send_message(user, voice=voice)

    def send_photo(self, user: TgUser, caption: str | None = None) -> Sent:
        photo = [{"file_id": "photo-file", "file_unique_id": "photo-u", "width": 90, "height": 90}]
        content: dict[str, Any] = {"photo": photo}
        if caption:
            content["caption"] = caption
        return self.send_message(user, **content)

    def send_document(self, user: TgUser, name: str = "contract.pdf") -> Sent:
        document = {"file_id": "doc-file", "file_unique_id": "doc-unique", "file_name": name}
        return self.send_message(user, document=document)

    def send_in_topic(
        self,
        operator: TgUser,
        group_id: int,
        thread_id: int | None,
        text: str,
        *,
        anonymous: bool = False,
    ) -> Sent:
        """An operator writes in a topic of the operators' forum group (None: the general one).

        `anonymous`: an admin posting as the group, as Telegram shows it (sent by its
        GroupAnonymousBot, on behalf of the group's chat)."""
        chat = {"id": group_id, "type": "supergroup", "title": "Operators", "is_forum": True}
        content: dict[str, Any] = {"text": text}
        if anonymous:
            content["from"] = dict(GROUP_ANONYMOUS_BOT)
            content["sender_chat"] = chat
        if thread_id is not None:
            content.update(message_thread_id=thread_id, is_topic_message=True)
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.send_message(operator, chat=chat, **content)

    def send_in_group(self, user: TgUser, text: str, group_id: int = -1001234567890) -> Sent:
        chat = {"id": group_id, "type": "supergroup", "title": "Migrants chat"}
        return self.send_message(user, chat=chat, text=text)

    def current(self, message: Call | dict[str, Any]) -> dict[str, Any]:
        """The message as it is now on the server, from the call that sent or edited it."""
        if isinstance(message, Call):
            if isinstance(message.result, dict):
                chat_id, message_id = message.result["chat"]["id"], message.result["message_id"]
            else:
                chat_id, message_id = message.params["chat_id"], message.params["message_id"]
        else:
            chat_id, message_id = message["chat"]["id"], message["message_id"]
        stored = self.fake.message(chat_id, message_id)
        assert stored is not None, f"the bot never sent message {message_id} to {chat_id}"
        return stored

    def press(
        self,
        user: TgUser,
        message: Call | dict[str, Any],
        button: int | str | None = None,
        *,
        data: str | None = None,
    ) -> Sent:
        """Press an inline button of a message the bot sent, as it is now.

        `button` is a flat index, a button's exact text, its callback_data, or a part of its
        text that only one button has. `data` sends any callback_data instead (forged, stale).
        """
        current = self.current(message)
        if data is None:
            data = self._find_button(current, button).get("callback_data")
        return self.callback_query(user, current, data=data)

    def callback_query(self, user: TgUser, message: dict[str, Any], **fields: Any) -> Sent:
        """A callback query exactly as given: `message` may be one Telegram no longer shows
        (`date` 0), and `fields` may leave out `data` (a game button)."""
        at = self.mark()
        query = {
            "id": self.fake.new_callback_id(),
            "from": user.as_dict(),
            "message": message,
            "chat_instance": f"ci{message['chat']['id']}",
            **fields,
        }
        return Sent(at, self.fake.push_update(callback_query=query))

    @staticmethod
    def _find_button(message: dict[str, Any], button: int | str | None) -> dict[str, Any]:
        buttons = inline_buttons(message.get("reply_markup"))
        shown = [(b["text"], b.get("callback_data")) for b in buttons]
        if isinstance(button, int):
            assert 0 <= button < len(buttons), f"no button {button} in {shown}"
            return buttons[button]
        for matches in (
            [b for b in buttons if b["text"] == button],
            [b for b in buttons if b.get("callback_data") == button],
            [b for b in buttons if button and button in b["text"]],
        ):
            if len(matches) == 1:
                return matches[0]
        raise AssertionError(f"no single button {button!r} in {shown}")

    # -- what the bot does --------------------------------------------------------------------

    def calls(
        self,
        method: str | None = None,
        *,
        since: Since = 0,
        until: Since | None = None,
        chat_id: int | None = None,
        predicate: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Calls from `since` on, and before `until` if given."""
        end = _index(until) if until is not None else None
        return [
            c
            for c in self.fake.calls(method, since=_index(since))
            if (end is None or c.index < end)
            and (chat_id is None or c.chat_id == chat_id)
            and (predicate is None or predicate(c))
        ]

    async def next_calls(
        self,
        method: str | None = None,
        count: int = 1,
        *,
        since: Since = 0,
        chat_id: int | None = None,
        predicate: Callable[[Call], bool] | None = None,
        within: float = WAIT_TIMEOUT,
    ) -> list[Call]:
        """The first `count` answered calls matching, waiting up to `within` seconds."""
        deadline = time.monotonic() + within
        while True:
            found = [
                c
                for c in self.calls(method, since=since, chat_id=chat_id, predicate=predicate)
                if c.response
            ]
            if len(found) >= count:
                return found[:count]
            if time.monotonic() > deadline or not self.process.alive:
                recent = self.fake.calls(since=_index(since))[-15:]
                state = "is running" if self.process.alive else "HAS EXITED"
                raise AssertionError(
                    f"waited {within} s for {count} {method or 'call'}(s) to chat {chat_id}, "
                    f"got {len(found)}; the bot {state}; calls since: {recent}\n"
                    f"logs:\n{self.process.logs()[-4000:]}"
                )
            await asyncio.sleep(0.01)

    async def wait_for(
        self,
        method: str | None = None,
        predicate: Callable[[Call], bool] | None = None,
        within: float = WAIT_TIMEOUT,
        *,
        since: Since = 0,
        chat_id: int | None = None,
    ) -> Call:
        found = await self.next_calls(
            method, 1, since=since, chat_id=chat_id, predicate=predicate, within=within
        )
        return found[0]

    async def reply(self, user: TgUser, since: Since, method: str = "sendMessage") -> Call:
        """The bot's next successful `method` to this user's chat after `since`."""
        return await self.wait_for(method, lambda c: c.ok, since=since, chat_id=user.id)

    async def answer_to(self, press: Sent) -> Call:
        """The bot's answerCallbackQuery to this press."""
        return await self.wait_for(
            "answerCallbackQuery",
            lambda c: c.params.get("callback_query_id") == press.callback_id,
            since=press,
        )

    async def settle(self, since: Since | None = None, quiet: float = 0.3) -> None:
        """Wait until the bot has made no call for `quiet` seconds (polls aside)."""
        deadline = time.monotonic() + WAIT_TIMEOUT
        seen = -1
        last_change = time.monotonic()
        while time.monotonic() < deadline:
            calls = self.fake.calls(since=_index(since))
            count = len([c for c in calls if c.method != "getUpdates"])
            if count != seen:
                seen, last_change = count, time.monotonic()
            elif time.monotonic() - last_change >= quiet:
                return
            await asyncio.sleep(0.02)

    async def sentinel(self, user: TgUser) -> Call:
        """Send one more known update (/language) from `user` and wait for the bot's answer to
        it, told apart from any other by its language buttons.

        Updates are answered in the order they came, so by the time this answer is made the
        bot has done all it will do for the user's earlier updates: check them with
        `until=` this call. No quiet period is waited for, so a slow machine cannot pass a test
        that a fast one fails.
        """
        sent = self.send_text(user, "/language")
        return await self.wait_for(
            "sendMessage",
            lambda c: any((data or "").startswith("1|L|") for data in c.callback_data),
            since=sent,
            chat_id=user.id,
        )
