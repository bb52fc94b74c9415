"""Talking to a person, end to end: the real bot, the fake Bot API server and the operators'
forum group simulated on it. Each test runs its own bot (the hand-off's clock is per process)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.fake_telegram import BLOCKED, FakeTelegram
from tests.e2e.handoff_world import (
    OPERATOR,
    OPERATORS,
    ORGANISATION,
    SATURDAY_EVENING,
    find_everywhere,
    handoff_env,
    in_topic,
    rows,
    ru,
)
from tests.e2e.harness import TOKEN, BotProcess, Driver, TgUser

TOPIC_NAME = re.compile(r"^[A-HJ-NP-Z2-9]{5} · ru$")


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(TOKEN) as server:
        yield server


def start_bot(fake: FakeTelegram, root: Path, **env: str) -> BotProcess:
    return BotProcess(fake, root / "data", root / "logs", **handoff_env(**env)).start()


async def open_conversation(bot: Driver, user: TgUser) -> tuple[int, str]:
    """/talk, then a first message: the topic made for it, and the intro the user saw."""
    intro = await bot.reply(user, bot.send_text(user, "/talk"))
    first = bot.send_text(user, "Хозяин не платит зарплату третий месяц")
    made = await bot.wait_for("createForumTopic", lambda c: c.ok, since=first)
    thread_id = made.result["message_thread_id"]
    await bot.wait_for("copyMessage", in_topic(thread_id), since=first)
    await bot.reply(user, first)  # "your message is with the operators"
    return thread_id, intro.text


async def test_a_whole_conversation_through_the_operators_topic(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    process = start_bot(fake, tmp_path)
    bot = Driver(fake, process)
    db = tmp_path / "data" / "jol.sqlite3"
    user = TgUser(700_901, "ru", "Алишер")
    try:
        menu = await bot.reply(user, bot.send_text(user, "/start"))
        assert "💬 " + ru("Talk to a person") in menu.button_texts
        commands = {
            c.params.get("language_code"): c.params["commands"] for c in fake.calls("setMyCommands")
        }
        for locale in ("kk", "ru", "uz", "tg", None):
            assert "talk" in [c["command"] for c in commands[locale]], locale

        intro = await bot.reply(user, bot.press(user, menu, "💬 " + ru("Talk to a person")))
        assert ORGANISATION in intro.text and "112" in intro.text
        assert "пн–пт 09:00–18:00" in intro.text and "UTC+5" in intro.text
        assert (
            ru("The operators are not at work now. They will read your message from {when}.")[:20]
            not in intro.text
        )
        assert not fake.calls("createForumTopic")  # no topic before the first message

        first = bot.send_text(user, "Хозяин не платит зарплату третий месяц")
        made = await bot.wait_for("createForumTopic", lambda c: c.ok, since=first)
        assert made.params["chat_id"] == OPERATORS
        name = made.params["name"]
        assert TOPIC_NAME.match(name), name  # a code and the language, never a name
        thread_id = made.result["message_thread_id"]
        copy = await bot.wait_for("copyMessage", in_topic(thread_id), since=first)
        assert copy.params["from_chat_id"] == user.id and copy.params["chat_id"] == OPERATORS
        in_group = fake.message(OPERATORS, copy.result["message_id"])
        assert in_group["text"].startswith("Хозяин не платит")
        assert in_group["from"]["is_bot"]  # the copy does not show who sent it
        notes = await bot.wait_for("sendMessage", in_topic(thread_id), since=first)
        assert name.split(" ")[0] in notes.text and "/close" in notes.text
        told = await bot.reply(user, first)
        assert told.text.startswith(ru("Your message is with the operators."))

        for send in (
            lambda: bot.send_photo(user, "договор"),
            lambda: bot.send_voice(user),
            lambda: bot.send_location(user, 43.25, 76.92),
        ):
            sent = send()
            await bot.wait_for("copyMessage", in_topic(thread_id), since=sent)
        await bot.settle()
        kinds = [
            k
            for m in fake.messages(OPERATORS)
            if m.get("message_thread_id") == thread_id
            for k in ("photo", "voice", "location")
            if k in m
        ]
        assert kinds == ["photo", "voice", "location"]
        # One "with the operators" only: later messages are not echoed.
        assert len(bot.calls("sendMessage", since=first, chat_id=user.id)) == 1

        [open_row] = rows(db, "conversation")
        assert open_row["chat_id"] == user.id and open_row["topic_id"] == thread_id

        answer = bot.send_in_topic(OPERATOR, OPERATORS, thread_id, "Здравствуйте! Напишите город.")
        back = await bot.wait_for("copyMessage", lambda c: c.ok, since=answer)
        assert back.params["chat_id"] == user.id and back.params["from_chat_id"] == OPERATORS
        assert "message_thread_id" not in back.params or back.params["message_thread_id"] is None
        delivered = fake.message(user.id, back.result["message_id"])
        assert delivered["text"] == "Здравствуйте! Напишите город."
        assert delivered["from"]["is_bot"]

        close = bot.send_in_topic(OPERATOR, OPERATORS, thread_id, "/close")
        ended = await bot.reply(user, close)
        assert ended.text.startswith(ru("The operators have ended the conversation.")[:30])
        await bot.wait_for("closeForumTopic", lambda c: c.ok, since=close)
        assert fake.topics(OPERATORS)[0]["closed"]
        after = bot.send_in_topic(OPERATOR, OPERATORS, thread_id, "Вы тут?")
        note = await bot.wait_for("sendMessage", in_topic(thread_id), since=after)
        assert note.text == ru("This conversation is closed: nothing written here is delivered.")
        assert not bot.calls("copyMessage", since=after)

        # Back to the bot: a question is a question again, not a message to the operators.
        question = bot.send_text(user, "патент")
        await bot.reply(user, question)
        assert not bot.calls("copyMessage", since=question)
    finally:
        process.stop_and_check()

    assert rows(db, "conversation") == []
    assert find_everywhere(db, str(user.id)) == []  # no raw id is left anywhere
    kinds = sorted(
        (e["kind"], e["value"]) for e in rows(db, "event") if e["kind"].startswith("talk_")
    )
    assert kinds == [("talk_close", "operator"), ("talk_open", None), ("talk_reply", None)]
    assert all(e["locale"] == "ru" for e in rows(db, "event") if e["kind"].startswith("talk_"))


async def test_off_hours_say_when_the_operators_will_read(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    process = start_bot(fake, tmp_path, now=SATURDAY_EVENING)
    bot = Driver(fake, process)
    user = TgUser(700_902, "ru")
    try:
        intro = await bot.reply(user, bot.send_text(user, "/talk"))
        assert "понедельник, 7 декабря, 09:00" in intro.text
        first = bot.send_text(user, "Помогите")
        told = await bot.reply(user, first)
        assert "понедельник, 7 декабря, 09:00" in told.text
    finally:
        process.stop_and_check()


async def test_the_user_ends_it_and_a_user_who_blocked_the_bot_is_reported(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    process = start_bot(fake, tmp_path)
    bot = Driver(fake, process)
    leaving, gone = TgUser(700_903, "ru"), TgUser(700_904, "ru")
    try:
        thread_id, _ = await open_conversation(bot, leaving)
        end = bot.send_text(leaving, "/end")
        menu = await bot.reply(leaving, end)
        assert menu.text.startswith(ru("The conversation is over. Jol has not kept your messages."))
        note = await bot.wait_for("sendMessage", in_topic(thread_id), since=end)
        assert note.text == ru("The person ended the conversation.")
        await bot.wait_for("closeForumTopic", lambda c: c.ok, since=end)

        thread_id, _ = await open_conversation(bot, gone)
        fake.fail(
            "copyMessage",
            status=403,
            description=BLOCKED,
            when=lambda p: p.get("chat_id") == gone.id,
        )
        reply = bot.send_in_topic(OPERATOR, OPERATORS, thread_id, "Ответ")
        note = await bot.wait_for("sendMessage", in_topic(thread_id), since=reply)
        assert note.text.startswith(
            ru(
                "The person has blocked the bot, so the reply was not delivered; the conversation "
                "is closed."
            )[:25]
        )
        await bot.wait_for("closeForumTopic", lambda c: c.ok, since=reply)
    finally:
        process.stop_and_check()
    assert rows(tmp_path / "data" / "jol.sqlite3", "conversation") == []


async def test_blocking_abuse_and_rate_limits(fake: FakeTelegram, tmp_path: Path) -> None:
    process = start_bot(fake, tmp_path, HANDOFF_USER_RATE="3")
    bot = Driver(fake, process)
    db = tmp_path / "data" / "jol.sqlite3"
    user = TgUser(700_905, "ru")
    try:
        thread_id, _ = await open_conversation(bot, user)  # message 1 of 3 this minute
        for text in ("два", "три"):
            sent = bot.send_text(user, text)
            await bot.wait_for("copyMessage", in_topic(thread_id), since=sent)
        flood = bot.send_text(user, "четыре")
        slow = await bot.reply(user, flood)
        assert slow.text == ru("Too many messages at once. Please wait a minute, then go on.")
        assert not bot.calls("copyMessage", since=flood)

        block = bot.send_in_topic(OPERATOR, OPERATORS, thread_id, "/block")
        await bot.reply(user, block)
        note = await bot.wait_for("sendMessage", in_topic(thread_id), since=block)
        assert note.text == ru("Blocked for {days} days; the conversation is closed.").format(
            days=30
        )
        again = await bot.reply(user, bot.send_text(user, "/talk"))
        assert again.text.startswith(ru("Sorry, you cannot write to the operators at the moment."))
        # /forget erases what is linked to the person, but is no way round a block.
        screen = await bot.reply(user, bot.send_text(user, "/forget"))
        erased = bot.press(user, screen, "🗑")
        await bot.reply(user, erased, "editMessageText")
        assert len(rows(db, "handoff_block")) == 1
        refused = await bot.reply(user, bot.send_text(user, "/talk"))
        assert refused.text.startswith(ru("Sorry, you cannot write to the operators")[:20])
    finally:
        process.stop_and_check()
