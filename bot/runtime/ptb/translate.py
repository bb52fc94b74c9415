"""python-telegram-bot's updates as the application's neutral `Incoming`; nothing decided here."""

from __future__ import annotations

from telegram import CallbackQuery, Chat, Message, User

from bot.app import Incoming, Origin
from bot.app.incoming import text_event
from bot.core import Location, Press, Unsupported
from bot.core.requests import Event

# The message's content fields, in the order aiogram's `content_type` looks at them: the name of
# the first one present is what `Unsupported` carries, the same with either runtime.
_CONTENT = (
    "text", "animation", "audio", "document", "paid_media", "photo", "sticker", "story", "video",
    "video_note", "voice", "checklist", "contact", "dice", "game", "poll", "venue", "location",
)  # fmt: skip


def _names(user: User) -> tuple[str | None, ...]:
    return (user.first_name, user.last_name, user.username)


def content_type(message: Message) -> str:
    return next((name for name in _CONTENT if getattr(message, name, None)), "unknown")


def message_event(message: Message) -> Event:
    if message.text is not None:
        return text_event(message.text)
    if message.location is not None:
        return Location(message.location.latitude, message.location.longitude)
    return Unsupported(content_type(message))


def from_message(message: Message) -> Incoming | None:
    user = message.from_user
    if user is None:  # a channel post: nobody to answer
        return None
    # Another bot is nobody to answer either; but an admin posting as the group itself (an
    # anonymous operator) shows as a bot and is let through for the operators' group to see.
    if user.is_bot and not (message.sender_chat and message.sender_chat.id == message.chat.id):
        return None
    return Incoming(
        user_id=user.id,
        chat_id=message.chat.id,
        private=message.chat.type == Chat.PRIVATE,
        event=message_event(message),
        language_code=user.language_code,
        names=_names(user),
        message_id=message.message_id,
        thread_id=message.message_thread_id if message.is_topic_message else None,
    )


def from_press(callback: CallbackQuery) -> Incoming:
    user, shown = callback.from_user, callback.message
    # A message Telegram no longer shows (date 0) still names its chat, but cannot be edited.
    origin = (
        Origin(shown.message_id, shown.text is not None) if isinstance(shown, Message) else None
    )
    return Incoming(
        user_id=user.id,
        chat_id=shown.chat.id if shown else user.id,
        # A press on an inline-mode message has no chat: it is not a private conversation.
        private=shown is not None and shown.chat.type == Chat.PRIVATE,
        event=Press(callback.data),
        language_code=user.language_code,
        names=_names(user),
        origin=origin,
        press=True,
    )
