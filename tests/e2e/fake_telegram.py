"""A fake Telegram Bot API server on 127.0.0.1, for end-to-end tests of the real bot process.

It speaks just enough of the Bot API for Jol: `getMe`, `deleteWebhook`, `setMyCommands`,
long-polling `getUpdates`, `sendMessage`, `editMessageText`, `sendVenue`, `sendPhoto`,
`answerCallbackQuery`, forum topics (`createForumTopic`, `closeForumTopic`; a closed topic
still takes the bot's messages, since it is an admin that manages topics), `copyMessage` (of
any message pushed as an update or sent by the bot, into a chat or a topic, without its
sender), and `{"ok": true, "result": true}` for any other method.

The server runs in its own thread with its own event loop, so that tests on any event loop
(and synchronous fixtures) can use it. Everything the tests touch is guarded by one lock.

Every call is recorded as a `Call`: the method, its parameters decoded the way Telegram would
read them (JSON bodies, query strings and form fields; JSON-valued form fields such as
`reply_markup` decoded), the HTTP status and the JSON answer. Messages the bot sends are kept,
and edited in place by `editMessageText`, so a test can press their inline buttons.

Errors can be scheduled per method with `fail()`, e.g. a 429 with `retry_after`, a 403 for a
user who blocked the bot, or a 400 for a message that can't be edited. `hold()` keeps a call
waiting on its way until the test lets it through or loses it (it never reaches Telegram).

A webhook's 200 may carry one Bot API call (`method` and its parameters, as JSON, a form or
multipart): Telegram makes it as the bot and tells nobody how it went. `carry_out()` does that
with the body of a webhook's answer; such a call is recorded like any other, `in_response` set.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

HOST = "127.0.0.1"
ANSWER_PATH = "/webhook-answer"  # where a harness hands over a webhook's answer

# Error descriptions as the real Bot API words them.
TOO_MANY_REQUESTS = "Too Many Requests: retry after {retry_after}"
BLOCKED = "Forbidden: bot was blocked by the user"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
CANT_EDIT = "Bad Request: message can't be edited"
EDIT_NOT_FOUND = "Bad Request: message to edit not found"
CHAT_NOT_FOUND = "Bad Request: chat not found"
UNAUTHORIZED = "Unauthorized"
BAD_PARSE_MODE = "Bad Request: unsupported parse_mode"

# Form fields that are plain strings even when they look like JSON (`text` may be "[1]").
STRING_FIELDS = frozenset(
    {
        "text",
        "title",
        "address",
        "caption",
        "parse_mode",
        "language_code",
        "callback_query_id",
        "inline_message_id",
        "url",
        "description",
        "short_description",
        "name",
        "foursquare_id",
        "foursquare_type",
        "google_place_id",
        "google_place_type",
        "business_connection_id",
        "message_effect_id",
        "secret_token",
    }
)

Params = dict[str, Any]
Predicate = Callable[[Params], bool]


def decode_field(name: str, value: str) -> Any:
    """A form field as Telegram reads it: JSON for objects, arrays, numbers and booleans."""
    if name in STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The inline buttons of a reply_markup, row by row, flattened."""
    if not markup:
        return []
    return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class Call:
    """One request the bot made, and what the fake answered."""

    index: int
    method: str
    params: Params
    token: str
    at: float
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    in_response: bool = False  # made by Telegram from a webhook's answer

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        return self.params.get("reply_markup")

    @property
    def keyboard(self) -> list[list[tuple[str, str | None]]]:
        """The inline keyboard as rows of (text, callback_data)."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[(b["text"], b.get("callback_data")) for b in row] for row in rows]

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return inline_buttons(self.reply_markup)

    @property
    def button_texts(self) -> list[str]:
        return [b["text"] for b in self.buttons]

    @property
    def callback_data(self) -> list[str | None]:
        return [b.get("callback_data") for b in self.buttons]

    def __repr__(self) -> str:  # short, for assertion messages
        text = self.text[:60] + ("…" if len(self.text) > 60 else "")
        return f"<Call #{self.index} {self.method} {self.status} chat={self.chat_id} {text!r}>"


@dataclass
class Failure:
    """A scheduled error answer for a method, used `times` times (None: for ever)."""

    method: str
    status: int
    description: str
    when: Predicate | None = None
    times: int | None = 1
    retry_after: int | None = None
    body: str | None = None  # sent as it is instead of a JSON error (e.g. a proxy's HTML page)

    def matches(self, method: str, params: Params) -> bool:
        if method != self.method or self.times == 0:
            return False
        return self.when is None or bool(self.when(params))

    def response(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            answer["parameters"] = {"retry_after": self.retry_after}
        return answer


@dataclass
class Held:
    """A call kept on its way: `reached` once the bot has made it; then `release()` lets it
    reach Telegram, `lose()` drops it (it is never made, nor recorded)."""

    method: str
    when: Predicate | None = None
    reached: threading.Event = field(default_factory=threading.Event)
    decided: threading.Event = field(default_factory=threading.Event)
    lost: bool = False
    used: bool = False

    def matches(self, method: str, params: Params) -> bool:
        if method != self.method or self.used:
            return False
        return self.when is None or bool(self.when(params))

    def release(self) -> None:
        self.decided.set()

    def lose(self) -> None:
        self.lost = True
        self.decided.set()


class FakeTelegram:
    """The fake server. `start()` it, point the bot at `api_base`, `stop()` it at the end."""

    def __init__(self, token: str, *, bot_username: str = "jol_test_bot") -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.port: int | None = None
        self._lock = threading.RLock()
        self._calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._failures: list[Failure] = []
        self._holds: list[Held] = []
        self._topics: dict[tuple[int, int], dict[str, Any]] = {}  # (chat, thread) -> topic
        self._closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._updates_event: asyncio.Event | None = None
        self._polls = 0

    # -- life cycle ---------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        assert self.port is not None, "the fake server is not started"
        return f"http://{HOST}:{self.port}"

    def start(self) -> FakeTelegram:
        ready = threading.Event()
        errors: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start_server())
            except BaseException as exc:  # reported to the starting thread
                errors.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._thread = threading.Thread(target=serve, name="fake-telegram", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake Telegram server did not start")
        if errors:
            raise errors[0]
        return self

    async def _start_server(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_post(ANSWER_PATH, self._webhook_answer)
        self._updates_event = asyncio.Event()
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    def stop(self) -> None:
        """Answer pending long polls at once, then close the server and its thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        with self._lock:
            self._closing = True
            for held in self._holds:  # nobody is left to decide
                held.lose()
        future = asyncio.run_coroutine_threadsafe(self._stop_server(), loop)
        with contextlib.suppress(Exception):
            future.result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)

    async def _stop_server(self) -> None:
        assert self._updates_event is not None
        self._updates_event.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what tests do ------------------------------------------------------------------------

    def push_update(self, **content: Any) -> dict[str, Any]:
        """Queue one update (e.g. `message={...}`) for the next `getUpdates`; returns it."""
        with self._lock:
            update = {"update_id": next(self._update_ids), **content}
            self._updates.append(update)
            message = content.get("message")
            if isinstance(message, dict) and "chat" in message:
                self._messages[(message["chat"]["id"], message["message_id"])] = json.loads(
                    json.dumps(message)
                )
        self._wake_pollers()
        return update

    def new_message_id(self) -> int:
        with self._lock:
            return next(self._message_ids)

    def new_callback_id(self) -> str:
        with self._lock:
            return f"cb{next(self._callback_ids)}"

    def fail(
        self,
        method: str,
        *,
        status: int,
        description: str,
        when: Predicate | None = None,
        times: int | None = 1,
        retry_after: int | None = None,
        body: str | None = None,
    ) -> Failure:
        """Answer the next `times` matching calls of `method` with an error (None: always);
        with `body`, that text instead of Telegram's JSON (what a proxy in between may send)."""
        failure = Failure(method, status, description, when, times, retry_after, body)
        with self._lock:
            self._failures.append(failure)
        return failure

    def flood(self, method: str, *, retry_after: int = 1, **kw: Any) -> Failure:
        description = TOO_MANY_REQUESTS.format(retry_after=retry_after)
        return self.fail(method, status=429, description=description, retry_after=retry_after, **kw)

    def hold(self, method: str, *, when: Predicate | None = None) -> Held:
        """Keep the next matching call of `method` on its way until released or lost."""
        held = Held(method, when)
        with self._lock:
            self._holds.append(held)
        return held

    async def carry_out(self, session: Any, body: bytes, content_type: str) -> None:
        """What Telegram does with a webhook's 200: the call its body holds, if any, is made
        as the bot (`session`: an aiohttp client session on the caller's loop)."""
        if not body.strip():
            return
        url = f"{self.api_base}{ANSWER_PATH}"
        async with session.post(url, data=body, headers={"Content-Type": content_type}) as r:
            await r.read()

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def calls(self, method: str | None = None, *, since: int = 0) -> list[Call]:
        with self._lock:
            return [c for c in self._calls[since:] if method is None or c.method == method]

    @property
    def call_count(self) -> int:
        with self._lock:
            return len(self._calls)

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._updates)

    @property
    def polls(self) -> int:
        """How many `getUpdates` calls have been answered."""
        with self._lock:
            return self._polls

    def share_chats_with(self, other: FakeTelegram) -> FakeTelegram:
        """Serve the same chats, messages and topics as `other` (call before `start`): one
        Telegram reached by two bot replicas, each polling its own server for updates."""
        self._lock = other._lock
        self._messages = other._messages
        self._topics = other._topics
        self._message_ids = other._message_ids
        return self

    def topics(self, chat_id: int) -> list[dict[str, Any]]:
        """The forum topics made in a chat, oldest first, with `closed` set once closed."""
        with self._lock:
            return [
                dict(topic) for (chat, _), topic in sorted(self._topics.items()) if chat == chat_id
            ]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any] | None:
        """The bot's message as it is now (after any edits)."""
        with self._lock:
            stored = self._messages.get((chat_id, message_id))
            return json.loads(json.dumps(stored)) if stored is not None else None

    def messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [
                json.loads(json.dumps(m))
                for (chat, _), m in sorted(self._messages.items())
                if chat_id is None or chat == chat_id
            ]

    # -- the HTTP side ------------------------------------------------------------------------

    def _wake_pollers(self) -> None:
        loop, event = self._loop, self._updates_event
        if loop is not None and event is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(event.set)

    @staticmethod
    async def _params(request: web.Request) -> Params:
        params: Params = {k: decode_field(k, v) for k, v in request.query.items()}
        if request.method != "POST" or not request.body_exists:
            return params
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
            return params
        form = await request.post()
        files = {}
        for key, value in form.items():
            if isinstance(value, str):
                params[key] = decode_field(key, value)
            else:  # an uploaded file: keep its name and size only
                body = value.file.read()
                files[key] = {"filename": getattr(value, "filename", key), "size": len(body)}
                params[key] = files[key]
        # A file may be sent under a name of its own and referred to as "attach://<name>".
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                name = value.removeprefix("attach://")
                if name in files:
                    params[key] = files[name]
                    params.pop(name, None)
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        try:
            params = await self._params(request)
        except ValueError:
            return web.json_response(
                {"ok": False, "error_code": 400, "description": "Bad Request: invalid body"},
                status=400,
            )
        with self._lock:
            held = next((h for h in self._holds if h.matches(method, params)), None)
            if held is not None:
                held.used = True
        if held is not None:
            held.reached.set()
            await asyncio.get_running_loop().run_in_executor(None, held.decided.wait, 60.0)
            if held.lost:
                return web.Response(status=502, text="lost on the way")
        return await self._make(method, params, token)

    async def _webhook_answer(self, request: web.Request) -> web.Response:
        # Telegram reads the answer as a request of the bot's, with `method` among its fields.
        try:
            params = await self._params(request)
        except ValueError:
            return web.Response(status=400, text="not a Bot API call")
        method = params.pop("method", None)
        if not isinstance(method, str):
            return web.Response(status=400, text="no method")
        await self._make(method, params, self.token, in_response=True)
        return web.Response(status=204)  # to the harness: what it made is not told to the bot

    async def _make(
        self, method: str, params: Params, token: str, *, in_response: bool = False
    ) -> web.Response:
        with self._lock:
            call = Call(len(self._calls), method, params, token, time.monotonic())
            call.in_response = in_response
            self._calls.append(call)
        status, answer = await self._answer(call)
        if isinstance(answer, str):
            with self._lock:
                call.status = status
            return web.Response(text=answer, status=status, content_type="text/html")
        with self._lock:
            call.status, call.response = status, answer
        return web.json_response(answer, status=status)

    async def _answer(self, call: Call) -> tuple[int, dict[str, Any] | str]:
        if call.token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": UNAUTHORIZED}
        with self._lock:
            failure = next((f for f in self._failures if f.matches(call.method, call.params)), None)
            if failure is not None and failure.times is not None:
                failure.times -= 1
        if failure is not None:
            return failure.status, failure.body if failure.body is not None else failure.response()
        if call.params.get("parse_mode") not in (None, "HTML", "Markdown", "MarkdownV2"):
            return 400, {"ok": False, "error_code": 400, "description": BAD_PARSE_MODE}
        method = call.method.lower()
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return 200, {"ok": True, "result": True}
        result = await handler(call.params)
        if isinstance(result, tuple):  # an error from the method itself
            status, description = result
            return status, {"ok": False, "error_code": status, "description": description}
        return 200, {"ok": True, "result": result}

    # -- the methods --------------------------------------------------------------------------

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Jol (test)",
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getme(self, params: Params) -> Any:
        return self._bot_user()

    async def _m_getupdates(self, params: Params) -> Any:
        assert self._loop is not None and self._updates_event is not None
        offset = int(params.get("offset") or 0)
        limit = max(1, min(int(params.get("limit") or 100), 100))
        timeout = max(0.0, float(params.get("timeout") or 0))
        deadline = self._loop.time() + timeout
        while True:
            with self._lock:
                if offset > 0:  # like Telegram: an offset confirms every earlier update
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                batch = self._updates[:limit]
                closing = self._closing
            remaining = deadline - self._loop.time()
            if batch or closing or remaining <= 0:
                with self._lock:
                    self._polls += 1
                return batch
            # No await between the check above and clear(): a push made meanwhile sets the
            # event through call_soon_threadsafe, which runs only after clear().
            self._updates_event.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._updates_event.wait(), remaining)

    def _chat(self, chat_id: Any) -> dict[str, Any] | None:
        if not isinstance(chat_id, int):
            return None
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Test"}
        return {"id": chat_id, "type": "supergroup", "title": "Test group"}

    def _new_message(self, chat: dict[str, Any], **content: Any) -> dict[str, Any]:
        with self._lock:
            message = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": chat,
                "from": self._bot_user(),
                **content,
            }
            self._messages[(chat["id"], message["message_id"])] = message
            return json.loads(json.dumps(message))

    @staticmethod
    def _inline_only(markup: Any) -> dict[str, Any]:
        # Telegram echoes only inline keyboards in the Message it returns.
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            return {"reply_markup": markup}
        return {}

    def _topic_of(self, chat: dict[str, Any], params: Params) -> dict[str, Any] | tuple[int, str]:
        """`message_thread_id` checked as Telegram does: a topic that exists and is open."""
        thread_id = params.get("message_thread_id")
        if thread_id is None:
            return {}
        with self._lock:
            topic = self._topics.get((chat["id"], int(thread_id)))
        if topic is None:
            return 400, "Bad Request: message thread not found"
        # A closed topic still takes messages from admins who manage topics, as the bot is.
        return {"message_thread_id": int(thread_id), "is_topic_message": True}

    async def _m_sendmessage(self, params: Params) -> Any:
        chat = self._chat(params.get("chat_id"))
        if chat is None:
            return 400, CHAT_NOT_FOUND
        thread = self._topic_of(chat, params)
        if isinstance(thread, tuple):
            return thread
        text = params.get("text")
        if not text:
            return 400, "Bad Request: message text is empty"
        if len(str(text)) > 4096:
            return 400, "Bad Request: message is too long"
        return self._new_message(
            chat, text=text, **thread, **self._inline_only(params.get("reply_markup"))
        )

    async def _m_editmessagetext(self, params: Params) -> Any:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        with self._lock:
            stored = self._messages.get((chat_id, message_id))  # type: ignore[arg-type]
            if stored is None:
                return 400, EDIT_NOT_FOUND
            if "text" not in stored:
                return 400, "Bad Request: there is no text in the message to edit"
            markup = self._inline_only(params.get("reply_markup")).get("reply_markup")
            if stored["text"] == params.get("text") and stored.get("reply_markup") == markup:
                return 400, NOT_MODIFIED
            stored["text"] = params.get("text")
            stored["edit_date"] = int(time.time())
            if markup is None:
                stored.pop("reply_markup", None)
            else:
                stored["reply_markup"] = markup
            return json.loads(json.dumps(stored))

    async def _m_sendphoto(self, params: Params) -> Any:
        chat = self._chat(params.get("chat_id"))
        if chat is None:
            return 400, CHAT_NOT_FOUND
        photo = params.get("photo")
        if not isinstance(photo, dict) or not photo.get("size"):
            return 400, "Bad Request: there is no photo in the request"
        with self._lock:
            file_id = f"photo-{next(self._message_ids)}"
        size = {"file_id": file_id, "file_unique_id": file_id, "width": 800, "height": 450}
        content: dict[str, Any] = {"photo": [size]}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return self._new_message(chat, **content)

    async def _m_sendvenue(self, params: Params) -> Any:
        chat = self._chat(params.get("chat_id"))
        if chat is None:
            return 400, CHAT_NOT_FOUND
        try:
            location = {
                "latitude": float(params["latitude"]),
                "longitude": float(params["longitude"]),
            }
            venue = {"location": location, "title": params["title"], "address": params["address"]}
        except (KeyError, TypeError, ValueError):
            return 400, "Bad Request: wrong venue"
        return self._new_message(chat, venue=venue, location=location)

    async def _m_answercallbackquery(self, params: Params) -> Any:
        if not params.get("callback_query_id"):
            return 400, "Bad Request: query is too old and response timeout expired"
        return True

    # -- forum topics and copies ------------------------------------------------------------------

    async def _m_createforumtopic(self, params: Params) -> Any:
        chat = self._chat(params.get("chat_id"))
        if chat is None or chat["id"] > 0:
            return 400, "Bad Request: the chat is not a forum"
        name = str(params.get("name") or "")
        if not 1 <= len(name) <= 128:
            return 400, "Bad Request: TOPIC_NAME_INVALID"
        with self._lock:
            # Telegram numbers a topic by the service message that opens it.
            thread_id = next(self._message_ids)
            topic = {"message_thread_id": thread_id, "name": name, "icon_color": 7322096}
            self._topics[(chat["id"], thread_id)] = {**topic, "closed": False}
        return topic

    async def _m_closeforumtopic(self, params: Params) -> Any:
        key = (params.get("chat_id"), int(params.get("message_thread_id") or 0))
        with self._lock:
            topic = self._topics.get(key)  # type: ignore[arg-type]
            if topic is None:
                return 400, "Bad Request: message thread not found"
            if topic["closed"]:
                return 400, "Bad Request: TOPIC_NOT_MODIFIED"
            topic["closed"] = True
        return True

    # What a copy carries over: the content, never who sent it or where from.
    _COPIED = ("text", "entities", "photo", "voice", "document", "location", "sticker", "caption")

    async def _m_copymessage(self, params: Params) -> Any:
        chat = self._chat(params.get("chat_id"))
        if chat is None:
            return 400, CHAT_NOT_FOUND
        with self._lock:
            original = self._messages.get(
                (params.get("from_chat_id"), params.get("message_id"))  # type: ignore[arg-type]
            )
        if original is None:
            return 400, "Bad Request: message to copy not found"
        thread = self._topic_of(chat, params)
        if isinstance(thread, tuple):
            return thread
        content = {k: original[k] for k in self._COPIED if k in original}
        copy = self._new_message(chat, **content, **thread)
        return {"message_id": copy["message_id"]}
