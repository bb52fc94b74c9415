"""What users send that the bot does not expect: it always answers, and never falls over."""

from __future__ import annotations

import pytest

from tests.e2e.harness import Driver, Sent, TgUser, is_main_menu, section_buttons

INPUTS = {
    "sticker": lambda bot, user: bot.send_sticker(user),
    "voice": lambda bot, user: bot.send_voice(user),
    "unknown command": lambda bot, user: bot.send_text(user, "/foo"),
    "photo": lambda bot, user: bot.send_message(
        user, photo=[{"file_id": "p", "file_unique_id": "p", "width": 9, "height": 9}]
    ),
    "contact": lambda bot, user: bot.send_message(
        user, contact={"phone_number": "+77011234567", "first_name": "A"}
    ),
}


@pytest.mark.parametrize("kind", list(INPUTS))
async def test_unexpected_input_gets_the_menu(bot: Driver, kind: str) -> None:
    user = bot.user("kk")
    sent: Sent = INPUTS[kind](bot, user)
    answer = await bot.reply(user, sent)
    assert is_main_menu(answer, "kk"), answer.keyboard
    assert answer.text.strip()
    # ...nothing else, and the bot is still there for the next one.
    end = await bot.sentinel(user)
    assert len(bot.calls("sendMessage", since=sent, until=end, chat_id=user.id)) == 1


@pytest.mark.parametrize(
    "text", ["ж" * 5000, "Где получить ИИН? <b>&amp;", "🙂🙂", "x" * 4096 + " /start"]
)
async def test_text_nobody_could_answer_gets_a_short_polite_answer(bot: Driver, text: str) -> None:
    user = bot.user("kk")
    sent = bot.send_text(user, text)
    answer = await bot.reply(user, sent)
    sections = [row[0] for row in answer.keyboard if row[0][1].startswith("1|s|")]
    assert sections == section_buttons("kk"), answer.keyboard
    assert 0 < len(answer.text) < 500
    assert "<b>&amp;" not in answer.text and "ИИН" not in answer.text  # never echoed back
    end = await bot.sentinel(user)
    assert len(bot.calls("sendMessage", since=sent, until=end, chat_id=user.id)) == 1


async def menu_for(bot: Driver, user: TgUser):
    return await bot.reply(user, bot.send_text(user, "/menu"))


@pytest.mark.parametrize(
    "data",
    ["hack|x|y", "0|a|first-steps", "1|a|no-such-article", "1|s|", "1|m|extra", "1|" + "x" * 80],
)
async def test_a_forged_or_stale_button_gets_a_notice_and_the_menu(bot: Driver, data: str) -> None:
    user = bot.user("ru")
    menu = await menu_for(bot, user)
    article = await bot.reply(user, bot.press(user, menu, "1|s|before"), "editMessageText")

    press = bot.press(user, article, data=data)
    answer = await bot.answer_to(press)
    assert answer.ok
    assert answer.params.get("text", "").strip(), answer.params
    fresh = await bot.reply(user, press, "editMessageText")
    assert fresh.params["message_id"] == menu.result["message_id"]
    assert is_main_menu(fresh, "ru"), fresh.keyboard


async def test_a_press_without_data_gets_the_menu(bot: Driver) -> None:
    user = bot.user("uz")
    menu = await menu_for(bot, user)
    section = await bot.reply(user, bot.press(user, menu, "1|s|rights"), "editMessageText")
    press = bot.callback_query(user, bot.current(section), game_short_name="nope")
    assert (await bot.answer_to(press)).ok
    fresh = await bot.reply(user, press, "editMessageText")
    assert is_main_menu(fresh, "uz")


async def test_a_press_on_a_message_too_old_to_see_gets_a_new_message(bot: Driver) -> None:
    user = bot.user("kk")
    # Telegram sends an "inaccessible message" (date 0) for messages it no longer shows.
    gone = {"chat": user.private_chat(), "message_id": 1, "date": 0}
    at = bot.callback_query(user, gone, data="1|s|before")
    assert (await bot.answer_to(at)).ok
    section = await bot.reply(user, at)
    assert "First steps (kk)" in section.button_texts
    assert not bot.calls("editMessageText", since=at, chat_id=user.id)


async def test_group_chats_get_no_answer(bot: Driver) -> None:
    user = bot.user("kk")
    group = -1009876543210
    sent = bot.send_in_group(user, "/start", group_id=group)
    bot.send_in_group(user, "hello", group_id=group)
    # A private message after them is answered, so the group ones were read by now.
    other = bot.user("kk")
    end = await bot.sentinel(other)
    assert not [c for c in bot.calls(since=sent, until=end) if c.chat_id == group]
    assert not bot.calls(since=sent, until=end, chat_id=user.id)
