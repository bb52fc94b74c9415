"""Each runtime's own duties: reading updates one by one, retrying Bot API calls in one
place, bounding concurrent work, and ignoring what no private conversation sent."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.fake_telegram import Call, FakeTelegram
from tests.e2e.harness import TOKEN, BotProcess, Driver, TgUser, is_main_menu

NAME = "Zarina"
TYPED = "my secret question about my passport"


def to_chat(user: TgUser):
    return lambda params: params.get("chat_id") == user.id


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(TOKEN) as server:
        yield server


async def test_an_unreadable_update_is_skipped_and_everyone_behind_it_answered(
    bot: Driver,
) -> None:
    before, after = bot.user("kk"), bot.user("ru")
    first = bot.send_text(before, "/start")
    # A message whose date is no date: aiogram cannot read it, nor the batch it comes in.
    broken = bot.fake.push_update(
        message={
            "message_id": bot.fake.new_message_id(),
            "date": "yesterday",
            "chat": {"id": 4242, "type": "private", "first_name": NAME},
            "from": {"id": 4242, "is_bot": False, "first_name": NAME},
            "text": TYPED,
        }
    )
    second = bot.send_text(after, "/start")
    assert is_main_menu(await bot.reply(before, first), "kk")
    assert is_main_menu(await bot.reply(after, second), "ru")
    menu = await bot.reply(after, second)
    press = bot.press(after, menu, "1|s|before")
    assert (await bot.answer_to(press)).ok
    end = await bot.sentinel(after)
    assert not bot.calls(until=end, chat_id=4242)
    assert not bot.fake.pending_updates  # the offset moved past the unreadable one
    logs = bot.process.logs()
    assert re.search(rf"update {broken['update_id']} \(message\) could not be read", logs), logs[
        -3000:
    ]
    assert TYPED not in logs and NAME not in logs and "yesterday" not in logs


async def test_an_unreadable_update_alone_in_its_batch_is_confirmed(bot: Driver) -> None:
    """Nothing readable after it: the next poll must still move past it, or it comes back."""
    broken = bot.fake.push_update(
        callback_query={"id": "x", "from": {"id": "nobody"}, "chat_instance": 7, "data": TYPED}
    )
    for _ in range(200):  # ten seconds at most
        if not bot.fake.pending_updates:
            break
        await asyncio.sleep(0.05)
    assert not bot.fake.pending_updates
    logs = bot.process.logs()
    assert re.search(rf"update {broken['update_id']} \(callback_query\) could not be read", logs)
    assert len(re.findall(rf"update {broken['update_id']} \(", logs)) == 1  # read once only
    assert TYPED not in logs


async def test_only_messages_and_button_presses_are_asked_for(bot: Driver) -> None:
    user = bot.user("kk")
    sent = bot.send_text(user, "/menu")
    await bot.reply(user, sent)
    poll = bot.calls("getUpdates", since=sent)[-1]
    assert poll.params["allowed_updates"] == ["message", "callback_query"]


async def test_a_forged_button_with_a_lone_surrogate_is_answered_as_stale(bot: Driver) -> None:
    user = bot.user("ru")
    menu = await bot.reply(user, bot.send_text(user, "/menu"))
    press = bot.press(user, menu, data="1|a|\ud800")
    answer = await bot.answer_to(press)
    assert answer.ok and answer.params.get("text", "").strip()
    fresh = await bot.reply(user, press, "editMessageText")
    assert is_main_menu(fresh, "ru")


async def test_a_button_press_in_a_group_is_ignored(bot: Driver) -> None:
    user = bot.user("kk")
    group = {"id": -1005550001, "type": "supergroup", "title": "Migrants chat"}
    shown = {"message_id": 77, "date": int(time.time()), "chat": group, "text": "menu"}
    press = bot.callback_query(user, shown, data="1|m|")
    # A private message after it is answered, so the press was read by then.
    other = bot.user("kk")
    assert is_main_menu(await bot.reply(other, bot.send_text(other, "/start")), "kk")
    end = await bot.sentinel(other)
    assert not bot.calls(since=press, until=end, chat_id=group["id"])
    assert not bot.calls("answerCallbackQuery", since=press, until=end)


async def test_links_in_messages_get_no_preview(bot: Driver) -> None:
    user = bot.user("kk")
    answer = await bot.reply(user, bot.send_text(user, "/start"))
    assert answer.params.get("link_preview_options") == {"is_disabled": True}
    assert "disable_web_page_preview" not in answer.params


async def test_a_server_error_or_a_garbled_answer_is_retried(bot: Driver) -> None:
    user = bot.user("uz")
    bot.fake.fail("sendMessage", status=502, description="Bad Gateway", when=to_chat(user))
    bot.fake.fail(
        "sendMessage",
        status=502,
        description="",
        body="<html><body>502 Bad Gateway</body></html>",
        when=to_chat(user),
    )
    sent = bot.send_text(user, "/start")
    delivered = await bot.reply(user, sent)
    assert is_main_menu(delivered, "uz")
    attempts = bot.calls("sendMessage", since=sent, chat_id=user.id)
    assert [c.status for c in attempts] == [502, 502, 200]
    assert attempts[2].at - attempts[1].at >= 0.9  # backing off: 0.5 s, then 1 s


async def test_a_flood_wait_beyond_the_cap_is_given_up_and_counted(bot: Driver) -> None:
    user = bot.user("kk")
    bot.fake.flood("sendMessage", retry_after=3600, when=to_chat(user))
    sent = bot.send_text(user, "/start")
    refused = await bot.wait_for("sendMessage", since=sent, chat_id=user.id)
    assert refused.status == 429
    end = await bot.sentinel(user)
    assert len(bot.calls("sendMessage", since=sent, until=end, chat_id=user.id)) == 1
    logs = bot.process.logs()
    assert "sendMessage: given up (flood wait of 3600 s)" in logs
    assert "Traceback" not in logs and "failed: TelegramRetryAfter" not in logs
    assert is_main_menu(await bot.reply(user, bot.send_text(user, "/menu")), "kk")


async def test_start_up_calls_wait_out_a_flood_limit(
    fake: FakeTelegram, tmp_path: Path, runtime: str
) -> None:
    fake.flood("deleteWebhook", retry_after=1)
    fake.flood("setMyCommands", retry_after=1)
    process = BotProcess(fake, tmp_path / "data", tmp_path / "logs", runtime=runtime).start()
    try:
        user = Driver.user("kk")
        bot = Driver(fake, process)
        assert is_main_menu(await bot.reply(user, bot.send_text(user, "/start")), "kk")
        assert [c.status for c in fake.calls("deleteWebhook")] == [429, 200]
        registered = [c for c in fake.calls("setMyCommands") if c.ok]
        assert [c.params.get("language_code") for c in registered] == ["kk", "ru", "uz", "tg", None]
    finally:
        process.stop_and_check()


async def one_slow_one_quick(bot: Driver) -> tuple[Call, Call]:
    """A slow update (its answer waits out a 2 s flood limit), then a quick one: the quick
    one's answer and the slow one's, as delivered."""
    slow, quick = Driver.user("kk"), Driver.user("ru")
    bot.fake.flood("sendMessage", retry_after=2, when=to_chat(slow))
    first = bot.send_text(slow, "/start")
    await bot.wait_for("sendMessage", since=first, chat_id=slow.id)  # it is waiting now
    second = bot.send_text(quick, "/start")
    answered = await bot.reply(quick, second)
    delivered = await bot.reply(slow, first)
    return answered, delivered


async def test_updates_are_handled_concurrently(bot: Driver) -> None:
    answered, delivered = await one_slow_one_quick(bot)  # JOL_MAX_CONCURRENT_UPDATES=64
    assert answered.at < delivered.at  # the quick one did not wait for the slow one


async def test_concurrent_updates_are_bounded(
    fake: FakeTelegram, tmp_path: Path, runtime: str
) -> None:
    process = BotProcess(
        fake, tmp_path / "data", tmp_path / "logs", runtime=runtime, JOL_MAX_CONCURRENT_UPDATES="1"
    ).start()
    try:
        answered, delivered = await one_slow_one_quick(Driver(fake, process))
        # With room for one update at a time, the second waits until the first is done.
        assert answered.at >= delivered.at
    finally:
        process.stop_and_check()


async def test_one_persons_updates_are_answered_in_the_order_they_came(bot: Driver) -> None:
    """Handled side by side with everyone else's, but not with each other: the answer to the
    first message waits out a flood limit, and the second message's answer comes after it."""
    user = Driver.user("ru")
    bot.fake.flood("sendMessage", retry_after=2, when=to_chat(user))
    first = bot.send_text(user, "/start")
    await bot.wait_for("sendMessage", since=first, chat_id=user.id)  # it is waiting now
    bot.send_text(user, "/language")
    answers = await bot.next_calls(
        "sendMessage", 2, since=first, chat_id=user.id, predicate=lambda c: c.ok
    )
    assert is_main_menu(answers[0], "ru"), answers
    assert not is_main_menu(answers[1], "ru"), answers
