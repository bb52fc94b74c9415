"""What a runtime hands the application for one update: neutral values, no framework types."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.requests import Command, Event, Text


@dataclass(frozen=True)
class Origin:
    """The bot's message whose inline button was pressed: what an edit in place needs.

    `is_text` is False for a venue or a photo, which cannot be edited into a text message.
    """

    message_id: int
    is_text: bool


@dataclass(frozen=True)
class Incoming:
    """One update, as every runtime describes it.

    `user_id` is Telegram's id of the sender; the application turns it into the pseudonymous key
    at once and never stores or logs it. `chat_id` is where the answer goes. `private` is False
    for groups, channels and inline messages: those are dropped before anything is read.
    `names` are the sender's own first name, last name and username, used only to take them out
    of an unanswered question before it is counted; they are never stored. `origin` is set for a
    button press whose message is still visible (None for a message Telegram no longer shows).
    `press` marks a button press, which the runtime must acknowledge (`Plan.toast`).
    `message_id` and `thread_id` let the hand-off copy a message between the user and the
    operators' group.
    """

    user_id: int
    chat_id: int
    private: bool
    event: Event
    language_code: str | None = None
    names: tuple[str | None, ...] = ()
    origin: Origin | None = None
    press: bool = False
    message_id: int | None = None  # the user's message, which the hand-off may copy
    thread_id: int | None = None  # its topic, in a forum group (the operators')


def text_event(text: str) -> Command | Text:
    """A typed text as the core sees it: `/name@bot args` is a command, anything else a text."""
    if not text.startswith("/"):
        return Text(text)
    head, _, args = text.partition(" ")
    name = head[1:].split("@", 1)[0].lower()
    return Command(name=name, args=args.strip())
