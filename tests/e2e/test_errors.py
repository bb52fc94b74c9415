"""How the bot copes when the Bot API answers with an error."""

from __future__ import annotations

import pytest

from tests.e2e.fake_telegram import BLOCKED, CANT_EDIT, EDIT_NOT_FOUND, NOT_MODIFIED
from tests.e2e.harness import Driver, TgUser, is_main_menu

QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


def to_chat(user: TgUser):
    return lambda params: params.get("chat_id") == user.id


async def test_a_flood_limit_is_waited_out_and_the_message_delivered(bot: Driver) -> None:
    user = bot.user("kk")
    bot.fake.flood("sendMessage", retry_after=1, when=to_chat(user))
    sent = bot.send_text(user, "/start")
    refused, delivered = await bot.next_calls("sendMessage", 2, since=sent, chat_id=user.id)
    assert refused.status == 429
    assert delivered.ok
    assert delivered.at - refused.at >= 0.9  # it waited retry_after
    assert delivered.params == refused.params
    assert is_main_menu(delivered, "kk")


async def test_a_flood_limit_on_an_edit_is_waited_out(bot: Driver) -> None:
    user = bot.user("ru")
    menu = await bot.reply(user, bot.send_text(user, "/menu"))
    bot.fake.flood("editMessageText", retry_after=1, when=to_chat(user))
    press = bot.press(user, menu, "1|s|before")
    refused, edited = await bot.next_calls("editMessageText", 2, since=press, chat_id=user.id)
    assert (refused.status, edited.status) == (429, 200)
    assert "First steps (ru)" in edited.button_texts
    assert not bot.calls("sendMessage", since=press, chat_id=user.id)


async def test_message_is_not_modified_is_ignored(bot: Driver) -> None:
    user = bot.user("kk")
    menu = await bot.reply(user, bot.send_text(user, "/menu"))
    bot.fake.fail("editMessageText", status=400, description=NOT_MODIFIED, when=to_chat(user))
    press = bot.press(user, menu, "1|s|before")
    refused = await bot.wait_for("editMessageText", since=press, chat_id=user.id)
    assert refused.status == 400
    assert (await bot.answer_to(press)).ok
    # Nothing else is sent, and the bot goes on as usual.
    end = await bot.sentinel(user)
    assert not bot.calls("sendMessage", since=press, until=end, chat_id=user.id)
    assert len(bot.calls("editMessageText", since=press, until=end, chat_id=user.id)) == 1


async def test_pressing_the_same_button_twice_is_harmless(bot: Driver) -> None:
    """The second press edits to the same content: Telegram refuses, and that is fine."""
    user = bot.user("uz")
    menu = await bot.reply(user, bot.send_text(user, "/menu"))
    first = bot.press(user, menu, "1|s|rights")
    section = await bot.reply(user, first, "editMessageText")
    # A double tap: the second press carries the same data as the first.
    second = bot.press(user, section, data="1|s|rights")
    refused = await bot.wait_for("editMessageText", since=second, chat_id=user.id)
    assert refused.status == 400
    assert refused.response["description"].startswith("Bad Request: message is not modified")
    end = await bot.sentinel(user)
    assert not bot.calls("sendMessage", since=second, until=end, chat_id=user.id)


@pytest.mark.parametrize("description", [CANT_EDIT, EDIT_NOT_FOUND])
async def test_a_message_that_cannot_be_edited_is_sent_anew(bot: Driver, description: str) -> None:
    user = bot.user("tg")
    menu = await bot.reply(user, bot.send_text(user, "/menu"))
    bot.fake.fail("editMessageText", status=400, description=description, when=to_chat(user))
    press = bot.press(user, menu, "1|s|before")
    refused = await bot.wait_for("editMessageText", since=press, chat_id=user.id)
    assert refused.status == 400
    sent = await bot.reply(user, press)
    assert sent.text == refused.params["text"]
    assert sent.reply_markup == refused.params["reply_markup"]
    assert "First steps (tg)" in sent.button_texts
    # The new message works like any other.
    article = await bot.reply(user, bot.press(user, sent, "First steps (tg)"), "editMessageText")
    assert article.params["message_id"] == sent.result["message_id"]


async def test_a_user_who_blocked_the_bot_does_not_stop_it(bot: Driver) -> None:
    blocker = bot.user("kk")
    bot.fake.fail("sendMessage", status=403, description=BLOCKED, when=to_chat(blocker), times=None)
    sent = bot.send_text(blocker, "/start")
    refused = await bot.wait_for("sendMessage", since=sent, chat_id=blocker.id)
    assert refused.status == 403
    bot.send_sticker(blocker)
    end = await bot.sentinel(blocker)
    tries = bot.calls("sendMessage", since=sent, until=end, chat_id=blocker.id)
    assert all(c.status == 403 for c in tries)
    # Not retried: one attempt per answer.
    assert len(tries) == 2

    other = bot.user("ru")
    assert is_main_menu(await bot.reply(other, bot.send_text(other, "/start")), "ru")
    assert bot.process.alive


async def test_a_press_answered_too_late_still_shows_the_screen(bot: Driver) -> None:
    """After a restart or a slow moment Telegram refuses to acknowledge an old press; the user
    must still get the screen they asked for."""
    user = bot.user("kk")
    menu = await bot.reply(user, bot.send_text(user, "/menu"))
    bot.fake.fail("answerCallbackQuery", status=400, description=QUERY_TOO_OLD)
    press = bot.press(user, menu, "1|s|before")
    refused = await bot.answer_to(press)
    assert refused.status == 400
    section = await bot.reply(user, press, "editMessageText")
    assert "First steps (kk)" in section.button_texts


async def test_bot_api_errors_naming_the_chat_leave_no_id_in_the_log(bot: Driver) -> None:
    user = bot.user("kk")
    menu = await bot.reply(user, bot.send_text(user, "/menu"))
    bot.fake.fail(
        "answerCallbackQuery",
        status=400,
        description=f"Bad Request: query is too old for chat {user.id} (user_id={user.id})",
    )
    bot.fake.flood("editMessageText", retry_after=1, when=to_chat(user))
    press = bot.press(user, menu, "1|s|before")
    await bot.reply(user, press, "editMessageText")
    end = await bot.sentinel(user)
    assert end.ok
    logs = bot.process.logs()
    assert "answerCallbackQuery" in logs or "acknowledge" in logs  # the failure was logged
    assert str(user.id) not in logs
