"""The framework-free core: requests in, replies out.

Nothing here imports aiogram, python-telegram-bot or sqlmodel; a runtime adapter turns Telegram
updates into `Request`s and renders the `Reply`s it gets back.
"""

from bot.core.conversation import handle
from bot.core.replies import Button, Message, Outcome, RemoveKeyboard, RequestLocation, Venue
from bot.core.requests import (
    Command,
    Context,
    Location,
    Press,
    Request,
    Text,
    Unsupported,
)

__all__ = [
    "Button",
    "Command",
    "Context",
    "Location",
    "Message",
    "Outcome",
    "Press",
    "RemoveKeyboard",
    "Request",
    "RequestLocation",
    "Text",
    "Unsupported",
    "Venue",
    "handle",
]
