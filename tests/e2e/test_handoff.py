"""Talking to a person, end to end: the real bot, the fake Bot API server and the operators'
forum group simulated on it. One bot serves the module at a Wednesday 11:00 in Almaty (its
clock is fixed, so each conversation's rate limit counts in one minute); off-hours run their own."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.inventory import HOLDINGS, SYSTEM_TABLES
from tests.conftest import scaled
from tests.e2e.fake_telegram import BLOCKED, FakeTelegram
from tests.e2e.handoff_world import (
    OPERATOR,
    OPERATORS,
    ORGANISATION,
    SATURDAY_EVENING,
    TEXTS,
    find_everywhere,
    handoff_env,
    in_topic,
    rows,
    ru,
    tables_and_columns,
)
from tests.e2e.harness import (
    FIXTURE_CONTENT,
    PROJECT_ROOT,
    TOKEN,
    BotProcess,
    Driver,
    TgUser,
    bot_environment,
)

TOPIC_NAME = re.compile(r"^[A-HJ-NP-Z2-9]{5} · ru$")


USER_RATE = 5
README = PROJECT_ROOT / "README.md"


@pytest.fixture(scope="module")
def fake_telegram(runtime: str) -> Iterator[FakeTelegram]:
    """A fake server for each runtime's desk: the tests play the same users on both."""
    with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def desk(
    runtime: str, fake_telegram: FakeTelegram, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Driver, Path]]:
    """The bot with the hand-off on, and its database file."""
    root = tmp_path_factory.mktemp(f"handoff-{runtime}")
    env = handoff_env(HANDOFF_USER_RATE=str(USER_RATE))
    process = BotProcess(
        fake_telegram, root / "data", root / "logs", runtime=runtime, **env
    ).start()
    yield Driver(fake_telegram, process), root / "data" / "jol.sqlite3"
    process.stop_and_check()


async def eventually(check, within: float = scaled(8.0)):
    """Statistics are written in batches every few seconds: wait for them."""
    deadline = time.monotonic() + within
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(0.2)


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
    desk: tuple[Driver, Path], fake_telegram: FakeTelegram
) -> None:
    bot, db = desk
    fake = fake_telegram
    user = TgUser(700_901, "ru", "Алишер")
    menu = await bot.reply(user, bot.send_text(user, "/start"))
    assert "💬 " + ru("Talk to a person") in menu.button_texts
    commands = {
        c.params.get("language_code"): c.params["commands"] for c in fake.calls("setMyCommands")
    }
    for locale in ("kk", "ru", "uz", "tg", None):
        assert "talk" in [c["command"] for c in commands[locale]], locale

    talk = bot.press(user, menu, "💬 " + ru("Talk to a person"))
    intro = await bot.reply(user, talk)
    assert ORGANISATION in intro.text and "112" in intro.text
    assert "пн–пт 09:00–18:00" in intro.text and "UTC+5" in intro.text
    assert "⚠️" in intro.text and "/end" in intro.text
    assert "декабря" not in intro.text  # open now: no "they will read it from …"
    assert not bot.calls("createForumTopic", since=talk)  # no topic before the first message

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
        lambda: bot.send_document(user),
        lambda: bot.send_location(user, 43.25, 76.92),
    ):
        sent = send()
        await bot.wait_for("copyMessage", in_topic(thread_id), since=sent)
    kinds = [
        k
        for m in fake.messages(OPERATORS)
        if m.get("message_thread_id") == thread_id
        for k in ("photo", "voice", "document", "location")
        if k in m
    ]
    assert kinds == ["photo", "voice", "document", "location"]
    # One "with the operators" only: later messages are not echoed.
    assert len(bot.calls("sendMessage", since=first, chat_id=user.id)) == 1

    [open_row] = [r for r in rows(db, "conversation") if r["topic_id"] == thread_id]
    assert open_row["chat_id"] == user.id  # the one raw id, while the conversation is open

    answer = bot.send_in_topic(OPERATOR, OPERATORS, thread_id, "Здравствуйте! Напишите город.")
    back = await bot.wait_for("copyMessage", lambda c: c.ok, since=answer)
    assert back.params["chat_id"] == user.id and back.params["from_chat_id"] == OPERATORS
    assert back.params.get("message_thread_id") is None
    delivered = fake.message(user.id, back.result["message_id"])
    assert delivered["text"] == "Здравствуйте! Напишите город."
    assert delivered["from"]["is_bot"]
    # An operator posting as the group (anonymous admin) is an operator too.
    unsigned = bot.send_in_topic(OPERATOR, OPERATORS, thread_id, "Мы в Алматы.", anonymous=True)
    back = await bot.wait_for("copyMessage", lambda c: c.ok, since=unsigned)
    assert back.params["chat_id"] == user.id
    assert fake.message(user.id, back.result["message_id"])["text"] == "Мы в Алматы."

    close = bot.send_in_topic(OPERATOR, OPERATORS, thread_id, "/close")
    ended = await bot.reply(user, close)
    assert ended.text.startswith(
        ru("The operators have ended the conversation. To write to them again, send /talk.")
    )
    await bot.wait_for("closeForumTopic", lambda c: c.ok, since=close)
    [topic] = [t for t in fake.topics(OPERATORS) if t["message_thread_id"] == thread_id]
    assert topic["closed"]
    after = bot.send_in_topic(OPERATOR, OPERATORS, thread_id, "Вы тут?")
    note = await bot.wait_for("sendMessage", in_topic(thread_id), since=after)
    assert note.text == ru("This conversation is closed: nothing written here is delivered.")
    end = await bot.sentinel(user)
    assert not bot.calls("copyMessage", since=after, until=end)

    # Back to the bot: a question is a question again, not a message to the operators.
    question = bot.send_text(user, "патент")
    await bot.reply(user, question)
    assert not bot.calls("copyMessage", since=question)

    assert not [r for r in rows(db, "conversation") if r["topic_id"] == thread_id]
    assert find_everywhere(db, str(user.id)) == []  # no raw id is left anywhere

    def talk_events() -> list[dict]:
        return [
            e
            for e in rows(db, "event")
            if e["kind"].startswith("talk_") and e["user_key"] == open_row["user_key"]
        ]

    counted = await eventually(lambda: len(talk_events()) == 3)
    assert counted, talk_events()
    kinds = sorted((e["kind"], e["value"]) for e in talk_events())
    assert kinds == [("talk_close", "operator"), ("talk_open", None), ("talk_reply", None)]
    assert all(e["locale"] == "ru" for e in talk_events())


async def test_the_user_ends_it_and_a_user_who_blocked_the_bot_is_reported(
    desk: tuple[Driver, Path], fake_telegram: FakeTelegram
) -> None:
    bot, db = desk
    leaving, gone = TgUser(700_903, "ru"), TgUser(700_904, "ru")
    thread_id, _ = await open_conversation(bot, leaving)
    end = bot.send_text(leaving, "/end")
    menu = await bot.reply(leaving, end)
    assert menu.text.startswith(ru("The conversation is over. Jol has not kept your messages."))
    note = await bot.wait_for("sendMessage", in_topic(thread_id), since=end)
    assert note.text == ru("The person ended the conversation.")
    await bot.wait_for("closeForumTopic", lambda c: c.ok, since=end)

    thread_id, _ = await open_conversation(bot, gone)
    fake_telegram.fail(
        "copyMessage", status=403, description=BLOCKED, when=lambda p: p.get("chat_id") == gone.id
    )
    reply = bot.send_in_topic(OPERATOR, OPERATORS, thread_id, "Ответ")
    note = await bot.wait_for("sendMessage", in_topic(thread_id), since=reply)
    assert note.text == ru(
        "The person has blocked the bot, so the reply was not delivered; the conversation "
        "is closed."
    )
    await bot.wait_for("closeForumTopic", lambda c: c.ok, since=reply)
    for user in (leaving, gone):
        assert find_everywhere(db, str(user.id)) == []


async def test_a_group_that_refuses_a_topic_is_told_to_the_user_and_tried_again(
    desk: tuple[Driver, Path], fake_telegram: FakeTelegram
) -> None:
    bot, _ = desk
    user = TgUser(700_908, "ru")
    await bot.reply(user, bot.send_text(user, "/talk"))
    fake_telegram.fail(
        "createForumTopic", status=400, description="Bad Request: not enough rights", times=1
    )
    refused = bot.send_text(user, "Первое")
    told = await bot.reply(user, refused)
    assert told.text == ru(
        "Sorry, your message did not reach the operators. Please try again later."
    )
    again = bot.send_text(user, "Второе")
    made = await bot.wait_for("createForumTopic", lambda c: c.ok, since=again)
    await bot.wait_for("copyMessage", in_topic(made.result["message_thread_id"]), since=again)


async def test_blocking_abuse_and_rate_limits(desk: tuple[Driver, Path]) -> None:
    bot, db = desk
    user = TgUser(700_905, "ru")
    thread_id, _ = await open_conversation(bot, user)  # message 1 this minute
    for number in range(2, USER_RATE + 1):
        sent = bot.send_text(user, f"сообщение номер {number}")
        await bot.wait_for("copyMessage", in_topic(thread_id), since=sent)
    flood = bot.send_text(user, "ещё одно")
    slow = await bot.reply(user, flood)
    assert slow.text == ru("Too many messages at once. Please wait a minute, then go on.")
    assert not bot.calls("copyMessage", since=flood)

    block = bot.send_in_topic(OPERATOR, OPERATORS, thread_id, "/block")
    await bot.reply(user, block)
    note = await bot.wait_for("sendMessage", in_topic(thread_id), since=block)
    assert note.text == TEXTS("ru").ngettext(
        "Blocked for {count} day; the conversation is closed.",
        "Blocked for {count} days; the conversation is closed.",
        30,
    ).format(count=30)
    again = await bot.reply(user, bot.send_text(user, "/talk"))
    assert again.text.startswith(ru("Sorry, you cannot write to the operators at the moment."))
    # /forget erases what is linked to the person, but is no way round a block.
    screen = await bot.reply(user, bot.send_text(user, "/forget"))
    erased = bot.press(user, screen, "🗑")
    await bot.reply(user, erased, "editMessageText")
    blocks = rows(db, "handoff_block")
    assert len(blocks) == 1 and str(user.id) not in str(blocks)
    refused = await bot.reply(user, bot.send_text(user, "/talk"))
    assert refused.text.startswith(ru("Sorry, you cannot write to the operators at the moment."))


async def test_off_hours_say_when_the_operators_will_read(runtime: str, tmp_path: Path) -> None:
    with FakeTelegram(TOKEN) as fake:
        env = handoff_env(now=SATURDAY_EVENING)
        process = BotProcess(
            fake, tmp_path / "data", tmp_path / "logs", runtime=runtime, **env
        ).start()
        bot = Driver(fake, process)
        user = TgUser(700_902, "ru")
        try:
            intro = await bot.reply(user, bot.send_text(user, "/talk"))
            assert "понедельник, 7 декабря, 09:00" in intro.text
            told = await bot.reply(user, bot.send_text(user, "Помогите"))
            assert "понедельник, 7 декабря, 09:00" in told.text
        finally:
            process.stop_and_check()


async def test_reports_reach_the_editors_and_the_reports_topic(
    desk: tuple[Driver, Path], fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    bot, db = desk
    user = TgUser(700_906, "ru", "Алишер")
    menu = await bot.reply(user, bot.send_text(user, "/menu"))
    article = await bot.reply(
        user, bot.press(user, menu, data="1|a|first-steps"), "editMessageText"
    )
    asked = bot.press(user, article, "🚩 " + ru("Report a problem"))
    reasons = await bot.reply(user, asked)
    assert reasons.button_texts[:4] == [
        ru("The phone number does not answer"),
        ru("The place is closed or has moved"),
        ru("The information is outdated"),
        ru("Something else"),
    ]
    press = bot.press(user, reasons, ru("The phone number does not answer"))
    toast = await bot.answer_to(press)
    assert toast.params.get("text") == ru("Sent to the editors.")
    made = await bot.wait_for("createForumTopic", lambda c: c.ok, since=press)
    assert made.params["name"] == "🚩 " + ru("Reports")
    reports_topic = made.result["message_thread_id"]
    posted = await bot.wait_for("sendMessage", in_topic(reports_topic), since=press)
    assert "first-steps" in posted.text and "articles/first-steps/" in posted.text

    again = bot.press(user, article, "🚩 " + ru("Report a problem"))
    reasons = await bot.reply(user, again)
    other = bot.press(user, reasons, ru("Something else"))
    await bot.answer_to(other)
    words = bot.send_text(user, "Номер +7 701 555 12 34 не отвечает, Алишер")
    thanks = await bot.reply(user, words)
    assert thanks.text.startswith(
        ru("Thank you! The editors will check it. Your report is not linked to you.")
    )
    second = await bot.wait_for("sendMessage", in_topic(reports_topic), since=words)
    assert "не отвечает" in second.text and "555" not in second.text
    assert (
        len([c for c in fake_telegram.calls("createForumTopic") if "🚩" in c.params["name"]]) == 1
    )

    kept = sorted(rows(db, "report"), key=lambda r: r["id"])[-2:]
    assert [r["reason"] for r in kept] == ["number", "other"]
    assert kept[1]["text"] == "номер не отвечает,"  # no digits, no own name
    assert "user_key" not in kept[0]

    env = {**bot_environment(fake_telegram.api_base, tmp_path), "DATABASE_URL": f"sqlite:///{db}"}
    listing = jol(env, "content", "reports")
    assert "article first-steps: 2 open" in listing
    assert str(FIXTURE_CONTENT / "articles" / "first-steps") in listing
    resolved = jol(env, "content", "reports", "--resolve", str(kept[0]["id"]))
    assert f"report {kept[0]['id']} marked as resolved" in resolved
    assert "article first-steps: 1 open" in jol(env, "content", "reports")


def jol(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=scaled(60),
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_what_the_privacy_text_says_is_what_the_database_holds(
    desk: tuple[Driver, Path],
) -> None:
    """After conversations, hand-offs and reports (the tests above), every table and column
    is one the inventory names, and the user's /forget screen states each of them."""
    bot, db = desk
    assert tables_and_columns(db) == {
        **{h.table: list(h.columns) for h in HOLDINGS},
        **{name: list(columns) for name, columns in SYSTEM_TABLES.items()},
    }
    holding = {h.table for h in HOLDINGS}
    assert {t for t in tables_and_columns(db) if rows(db, t)} - set(SYSTEM_TABLES) <= holding
    user = TgUser(700_907, "ru")
    await bot.reply(user, bot.send_text(user, "/start"))
    screen = await bot.reply(user, bot.send_text(user, "/forget"))
    tr = TEXTS("ru")
    for h in HOLDINGS:
        assert tr.gettext(h.what) in screen.text, h.table
    assert screen.text.count(tr.gettext("/forget erases it.")) == sum(
        h.erased_by_forget for h in HOLDINGS
    )
    assert screen.text.count(tr.gettext("Not linked to you, so /forget cannot find it.")) == sum(
        not h.linked for h in HOLDINGS
    )
    privacy = README.read_text(encoding="utf-8").split("## Privacy", 1)[1].split("\n## ", 1)[0]
    for h in HOLDINGS:
        assert f"`{h.table}`" in privacy, h.table
