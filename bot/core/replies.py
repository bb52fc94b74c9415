"""What the core answers: plain values that any runtime can render."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.actions import Action


@dataclass(frozen=True)
class Button:
    """An inline button: either an action for the bot or a link to open."""

    text: str
    action: Action | None = None
    url: str | None = None


@dataclass(frozen=True)
class RequestLocation:
    """A one-time reply keyboard with a 'share my location' button and a cancel button."""

    share_text: str
    cancel_text: str


@dataclass(frozen=True)
class RemoveKeyboard:
    """Take a reply keyboard (such as `RequestLocation`) off the screen."""


Keyboard = tuple[tuple[Button, ...], ...] | RequestLocation | RemoveKeyboard


@dataclass(frozen=True)
class Message:
    """A text message in Telegram's HTML subset.

    `edit` asks the runtime to replace the message whose button was pressed instead of sending
    a new one, so browsing does not flood the chat.
    """

    text: str
    keyboard: Keyboard = ()
    edit: bool = False

    @property
    def buttons(self) -> tuple[tuple[Button, ...], ...]:
        return self.keyboard if isinstance(self.keyboard, tuple) else ()

    @property
    def keyboard_is_reply(self) -> bool:
        """A reply keyboard cannot be put on an edited message; it needs a new one."""
        return not isinstance(self.keyboard, tuple)


@dataclass(frozen=True)
class Venue:
    latitude: float
    longitude: float
    title: str
    address: str


Reply = Message | Venue


@dataclass(frozen=True)
class Event:
    """Something worth counting for operators; never who did it, nor what they typed."""

    kind: str
    subject: str | None = None  # an id from the catalog: section, article, centre, city
    # Only for unanswered searches: the typed text, which the application scrubs before keeping.
    query: str | None = None
    value: str | None = None  # feedback: "up" or "down"


@dataclass(frozen=True)
class Erase:
    """Asks the application to erase everything kept about the user, then to show `done`, or
    `failed` if the erasing could not be done."""

    done: tuple[Reply, ...]
    failed: tuple[Reply, ...]


@dataclass(frozen=True)
class Talk:
    """Asks the application to open (`start`) or end (`end`) the user's conversation with the
    operators, then to show `done`, or `refused` (blocked, or nothing open to end)."""

    kind: str
    done: tuple[Reply, ...]
    refused: tuple[Reply, ...]


@dataclass(frozen=True)
class Filed:
    """A problem reported with an article or a centre, for the editors."""

    item_kind: str  # article or centre
    item: str
    reason: str  # number, closed, outdated, other
    text: str | None = None  # as typed: the application scrubs it before keeping it


@dataclass(frozen=True)
class Outcome:
    """Everything one request produces.

    `locale` is set when the user chose a language, for the application to save; `toast` is the
    short notice shown when a button press is acknowledged; `erase` asks for the user's records
    to be erased, and then carries the replies instead of `replies`; `talk` likewise opens or
    ends a conversation with the operators. `report` is a problem to file for editors;
    `expect` (a purpose) says the user's next text answers a question just asked, and `""`
    that nothing is expected any more.
    """

    replies: tuple[Reply, ...]
    locale: str | None = None
    toast: str | None = None
    events: tuple[Event, ...] = field(default=())
    erase: Erase | None = None
    talk: Talk | None = None
    report: Filed | None = None
    expect: str | None = None
