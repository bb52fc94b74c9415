"""Both runtimes turn the same Telegram message into the same `Incoming`: what the hand-off
relays (the message id, the topic) and who is let through (an operator posting as the group,
not another bot)."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.types import Message as AiogramMessage
from telegram import Message as PtbMessage

from bot.runtime.aiogram.translate import from_message as aiogram_incoming
from bot.runtime.ptb.translate import from_message as ptb_incoming

USER = {"id": 700_990, "is_bot": False, "first_name": "Dilnoza", "language_code": "uz"}
PRIVATE = {"id": 700_990, "type": "private", "first_name": "Dilnoza"}
FORUM = {"id": -1009876543210, "type": "supergroup", "title": "Operators", "is_forum": True}
ANONYMOUS = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
OTHER_BOT = {"id": 555, "is_bot": True, "first_name": "Helper"}
FILE = {"file_id": "f", "file_unique_id": "u"}


def message(chat: dict[str, Any] = PRIVATE, sender: dict[str, Any] = USER, **content: Any):
    return {"message_id": 42, "date": 1_764_650_000, "chat": chat, "from": sender, **content}


CASES = {
    "text": message(text="Salom"),
    "command": message(text="/talk", entities=[{"type": "bot_command", "offset": 0, "length": 5}]),
    "photo": message(photo=[{**FILE, "width": 90, "height": 90}], caption="shartnoma"),
    "voice": message(voice={**FILE, "duration": 3}),
    "document": message(document={**FILE, "file_name": "contract.pdf"}),
    "location": message(location={"latitude": 43.25, "longitude": 76.92}),
    "sticker": message(
        sticker={
            **FILE,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        },
    ),
    "in a topic": message(FORUM, text="Qaysi shahar?", message_thread_id=7, is_topic_message=True),
    "/close in a topic": message(FORUM, text="/close", message_thread_id=7, is_topic_message=True),
    "a reply outside topics": message(FORUM, text="Hello", message_thread_id=7),
    "anonymous operator": message(
        FORUM,
        ANONYMOUS,
        text="Javob",
        sender_chat=FORUM,
        message_thread_id=7,
        is_topic_message=True,
    ),
    "another bot": message(FORUM, OTHER_BOT, text="spam", message_thread_id=7),
}


@pytest.mark.parametrize("raw", CASES.values(), ids=CASES.keys())
def test_both_runtimes_translate_a_message_alike(raw: dict[str, Any]) -> None:
    seen = aiogram_incoming(AiogramMessage.model_validate(raw))
    assert seen == ptb_incoming(PtbMessage.de_json(raw, None))


def test_what_the_hand_off_needs_is_passed_on() -> None:
    in_topic = ptb_incoming(PtbMessage.de_json(CASES["in a topic"], None))
    assert in_topic is not None and not in_topic.private
    assert (in_topic.message_id, in_topic.thread_id) == (42, 7)
    anonymous = ptb_incoming(PtbMessage.de_json(CASES["anonymous operator"], None))
    assert anonymous is not None and anonymous.thread_id == 7
    assert ptb_incoming(PtbMessage.de_json(CASES["another bot"], None)) is None
    # A reply in the general topic carries a thread id but is not in a topic.
    general = ptb_incoming(PtbMessage.de_json(CASES["a reply outside topics"], None))
    assert general is not None and general.thread_id is None
