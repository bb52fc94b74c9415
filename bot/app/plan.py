"""What the application asks a runtime to send: neutral values any runtime can render."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.replies import Message, Venue


@dataclass(frozen=True)
class Picture:
    """A PNG to send as a photo (the operators' chart)."""

    png: bytes
    name: str
    caption: str


Output = Message | Venue | Picture


@dataclass(frozen=True)
class Plan:
    """Everything to send for one update, in order.

    `acknowledge` is True for a button press, which the runtime answers first (with `toast` as
    the short notice, if any). A `Message` with `edit` set replaces the message `edit_target`
    when there is one and the message has no reply keyboard; otherwise, or when Telegram refuses
    the edit (too old, or not a text message), it is sent as a new message. "Message is not
    modified" means the screen already shows it: nothing more to do.
    """

    chat_id: int
    outputs: tuple[Output, ...] = ()
    acknowledge: bool = False
    toast: str | None = None
    edit_target: int | None = None
    thread_id: int | None = None  # a topic of a forum group (the operators')

    def edits(self, output: Output) -> bool:
        """Whether `output` is to be rendered as an edit of `edit_target`."""
        return (
            isinstance(output, Message)
            and output.edit
            and self.edit_target is not None
            and not output.keyboard_is_reply
        )


NOTHING = Plan(chat_id=0)
