"""How a webhook update's answer goes out, so that a replica killed at any moment neither
loses it nor, in the common case, sends it twice. The same for every runtime.

A turn's Bot API calls are *steps*: acknowledging a press, then each output of the plan (and the
hand-off's copies, made before). Telegram carries out a call before the sender hears back and
has no idempotency key, so a call that reached it from a replica killed before acknowledging
the update would be made again when the next delivery is handled. Hence:

- The **last step** travels in the webhook's answer: the 200 to Telegram's post carries
  `method` and its fields, form-encoded exactly as the framework would have posted them
  (Bot API, "Making requests when getting updates"). The answer and the acknowledgement are
  then one event: a replica killed before answering has sent nothing of it, and Telegram posts
  the update again.
- Every **earlier step** is recorded in Redis once Telegram has answered it
  (`Replicas.record`); a redelivered update skips the steps recorded, in order, as long as they
  are the same (a digest of what each sends), and sends the rest.

What remains: a step that reached Telegram from a replica killed before recording it is made
again (only answers of two steps or more that are not idempotent: two messages, a copy), and a
call in the webhook's answer that Telegram refuses fails unseen and is not tried again. So a
call goes there only when its failure would change nothing or is unlikely (`Answering.refusal`):
a message, a venue or a press's acknowledgement (never an edit, whose refusal falls back to a
new message, nor a file); not within `FLOOD_CALM` of a 429 this replica was given; not beyond
`JOL_RESPONSE_RATE` messages a second across replicas; not when the update is so old that
Telegram may have stopped waiting for the answer. Otherwise it is made as a call, retried as
usual, and a redelivery would repeat it: counted in `jol_last_calls_total{via="call"}`.

A runtime's one choke point for Bot API calls asks `Turn.offer` before making each call; polling
and `jol chat` have no turn and are not touched.
"""

from __future__ import annotations

import contextvars
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlencode

from bot.app.plan import Output, Plan
from bot.replicas import Replicas
from bot.runtime.retrying import Retries

# Calls whose failure in a webhook's answer would change nothing or is unlikely: a message or a
# venue fails for a user who blocked the bot (then nothing reaches them anyway) or for content
# the catalog checks at load; a late acknowledgement is harmless.
IN_ANSWER = frozenset({"sendMessage", "sendVenue", "answerCallbackQuery"})
MESSAGES = frozenset({"sendMessage", "sendVenue"})  # what Telegram's per-bot limit counts
FLOOD_CALM = 60.0  # seconds after a 429's wait during which answers go by calls, retried
LATE = 50.0  # seconds: Telegram waits about a minute for a webhook's answer
FORM = "application/x-www-form-urlencoded"

Step = Callable[[], Awaitable[Any]]
Fields = Callable[[], dict[str, str] | None]  # None: the call uploads a file


@dataclass(frozen=True)
class Answer:
    """A Bot API call for the webhook's answer: the method and its form fields."""

    method: str
    fields: dict[str, str]

    def body(self) -> bytes:
        return urlencode({"method": self.method, **self.fields}).encode()


class Answering:
    """One per process: the policy and what it needs (Redis, the runtime's flood waits)."""

    def __init__(self, replicas: Replicas, retries: Retries, *, rate: int) -> None:
        self.replicas = replicas
        self.retries = retries
        self.rate = rate

    async def refusal(self, method: str, age: float) -> str | None:
        """Why this call may not go in the webhook's answer, or None if it may."""
        if method not in IN_ANSWER:
            return "method"
        if self.rate == 0:
            return "off"
        if age > LATE:
            return "late"
        if time.monotonic() < self.retries.flood_until + FLOOD_CALM:
            return "flood"
        if method in MESSAGES and not await self.replicas.within("answered", self.rate):
            return "rate"
        return None


def digest(what: object) -> str:
    """What a step sends, in a few bytes: the same step gives the same digest on any replica."""
    return hashlib.blake2b(repr(what).encode(), digest_size=8).hexdigest()


class Turn:
    """One webhook update being handled: its steps, and the call for the webhook's answer."""

    def __init__(self, update_id: int, answering: Answering) -> None:
        self.update_id = update_id
        self.answering = answering
        self.answer: Answer | None = None
        self.via: str | None = None  # how the last call went: "response", or why it was a call
        self.resumed = 0  # steps not made again: a delivery before had made them
        self._started = time.monotonic()
        self._steps = 0
        self._sent: dict[int, str] | None = None
        self._resuming = True
        self._last = False

    async def step(self, what: object, call: Step, *, last: bool = False) -> None:
        """Make one step (or skip it if an earlier delivery made it); the `last` may travel in
        the webhook's answer."""
        number, key = self._steps, digest(what)
        self._steps += 1
        if self._resuming:
            if self._sent is None:
                self._sent = await self.answering.replicas.sent(self.update_id)
            if self._sent.get(number) == key:
                self.resumed += 1
                return
            self._resuming = False  # from here on this delivery's answer differs, or is new
        self._last = last
        try:
            await call()
        finally:
            self._last = False
        if self.answer is None:  # made by a call: a redelivery must not make it again
            await self.answering.replicas.record(self.update_id, number, key)

    async def offer(self, method: str, fields: Fields) -> bool:
        """Asked by the runtime's choke point before each call: True if the call goes in the
        webhook's answer instead (then it is not to be made, and there is nothing to read)."""
        if not self._last or self.answer is not None:
            return False
        why = await self.answering.refusal(method, time.monotonic() - self._started)
        form = fields() if why is None else None
        if form is None:
            self.via = why or "file"
            return False
        self.answer, self.via = Answer(method, form), "response"
        return True


CURRENT: contextvars.ContextVar[Turn | None] = contextvars.ContextVar("jol_turn", default=None)


async def step(what: object, call: Step) -> None:
    """A step outside a plan (a hand-off copy): recorded in a webhook turn, else just made."""
    turn = CURRENT.get()
    if turn is None:
        await call()
    else:
        await turn.step(what, call)


async def play(
    plan: Plan, acknowledge: Step | None, send: Callable[[Output], Awaitable[Any]]
) -> None:
    """Acknowledge a press first (Telegram shows a spinner until then), then send in order."""
    steps: list[tuple[object, Step]] = []
    if acknowledge is not None:
        steps.append((("acknowledge", plan.toast), acknowledge))
    steps += [(output, partial(send, output)) for output in plan.outputs]
    turn = CURRENT.get()
    for number, (what, call) in enumerate(steps, 1):
        if turn is None:
            await call()
        else:
            await turn.step(what, call, last=number == len(steps))
