"""Start-up, the main menu, the language choice and browsing articles, as Telegram sees them."""

from __future__ import annotations

from tests.e2e.harness import Driver, is_main_menu, section_buttons, section_title

LANGUAGES = ("kk", "ru", "uz", "tg")
NATIVE = [
    ("Қазақша", "1|L|kk"),
    ("Русский", "1|L|ru"),
    ("Oʻzbekcha", "1|L|uz"),
    ("Тоҷикӣ", "1|L|tg"),
]


async def test_start_up_registers_the_commands_in_each_language(bot: Driver) -> None:
    started = bot.process.started_at_call
    # Messages sent while the bot was down are still answered.
    [webhook] = bot.calls("deleteWebhook", since=started)
    assert webhook.params.get("drop_pending_updates") in (None, False)
    registered = bot.calls("setMyCommands", since=started)
    for language in LANGUAGES:
        mine = [c for c in registered if c.params.get("language_code") == language]
        assert len(mine) == 1, f"setMyCommands for {language}: {mine}"
        commands = mine[0].params["commands"]
        assert sorted(c["command"] for c in commands) == [
            "forget",
            "help",
            "language",
            "menu",
            "start",
        ]
        assert all(c["description"].strip() for c in commands)
    assert all(c.ok for c in registered)
    assert bot.calls("getMe", since=started)
    poll = bot.calls("getUpdates", since=started)[0]
    assert poll.params["timeout"] > 0
    assert {"message", "callback_query"} <= set(poll.params["allowed_updates"])


async def test_start_in_kazakh_gives_the_kazakh_main_menu(bot: Driver) -> None:
    user = bot.user("kk")
    menu = await bot.reply(user, bot.send_text(user, "/start"))
    assert is_main_menu(menu, "kk"), menu.keyboard
    assert menu.params["parse_mode"] == "HTML"
    assert menu.text.strip()


async def test_each_language_gets_its_own_section_titles(bot: Driver) -> None:
    menus = {}
    for language in ("ru", "uz-UZ", "tg"):
        user = bot.user(language)
        menus[language[:2]] = await bot.reply(user, bot.send_text(user, "/menu"))
    for language, menu in menus.items():
        assert is_main_menu(menu, language), (language, menu.keyboard)
    assert len({tuple(m.button_texts) for m in menus.values()}) == 3


async def test_an_unknown_language_is_asked_and_the_choice_is_kept(bot: Driver) -> None:
    user = bot.user("en")
    picker = await bot.reply(user, bot.send_text(user, "/start"))
    assert picker.keyboard == [[button] for button in NATIVE]

    press = bot.press(user, picker, "Oʻzbekcha")
    answer = await bot.answer_to(press)
    assert answer.ok
    menu = await bot.reply(user, press, "editMessageText")
    assert menu.params["message_id"] == picker.result["message_id"]
    assert is_main_menu(menu, "uz"), menu.keyboard
    # The lead names the chosen language in its own name.
    assert "Oʻzbekcha" in menu.text

    again = await bot.reply(user, bot.send_text(user, "/menu"))
    assert is_main_menu(again, "uz"), again.keyboard


async def test_the_language_can_be_changed_from_the_menu(bot: Driver) -> None:
    user = bot.user("kk")
    menu = await bot.reply(user, bot.send_text(user, "/menu"))
    press = bot.press(user, menu, "1|l|")
    picker = await bot.reply(user, press, "editMessageText")
    assert picker.params["message_id"] == menu.result["message_id"]
    assert picker.keyboard == [[button] for button in NATIVE]

    press = bot.press(user, picker, "Тоҷикӣ")
    tajik = await bot.reply(user, press, "editMessageText")
    assert is_main_menu(tajik, "tg"), tajik.keyboard
    # Telegram still says "kk", but the saved choice wins.
    again = await bot.reply(user, bot.send_text(user, "/start"))
    assert is_main_menu(again, "tg"), again.keyboard

    language = await bot.reply(user, bot.send_text(user, "/language"))
    assert language.keyboard == [[button] for button in NATIVE]


async def test_help_answers_with_the_menu(bot: Driver) -> None:
    user = bot.user("ru")
    help_ = await bot.reply(user, bot.send_text(user, "/help"))
    assert is_main_menu(help_, "ru")
    # A command addressed to the bot by its username is the same command.
    named = await bot.reply(user, bot.send_text(user, "/help@jol_test_bot"))
    assert named.text == help_.text


async def test_browsing_a_section_and_an_article_edits_one_message(bot: Driver) -> None:
    user = bot.user("kk")
    menu = await bot.reply(user, bot.send_text(user, "/start"))
    message_id = menu.result["message_id"]

    press = bot.press(user, menu, section_buttons("kk")[0][0])
    answer = await bot.answer_to(press)
    assert answer.ok and not answer.params.get("text")  # a plain acknowledgement
    section = await bot.reply(user, press, "editMessageText")
    assert section.params["message_id"] == message_id
    assert section_title("before", "kk") in section.text
    assert section.keyboard[0] == [("First steps (kk)", "1|a|first-steps")]
    assert section.keyboard[-1] == [(section.keyboard[-1][0][0], "1|m|")]  # Main menu only

    press = bot.press(user, section, "First steps (kk)")
    article = await bot.reply(user, press, "editMessageText")
    assert article.params["message_id"] == message_id
    assert "First steps (kk)" in article.text
    assert "Body of first steps in kk with <b>bold</b> text." in article.text
    assert "Test source one" in article.text  # the sources line
    assert "First steps (ru)" not in article.text
    assert article.keyboard[0] == [("→ Know your rights (ru)", "1|a|know-rights")]
    back, main = article.keyboard[-1]
    assert (back[1], main[1]) == ("1|s|before", "1|m|")

    press = bot.press(user, article, "1|s|before")
    section_again = await bot.reply(user, press, "editMessageText")
    assert section_again.params["message_id"] == message_id
    assert section_again.text == section.text
    assert section_again.keyboard == section.keyboard

    press = bot.press(user, section_again, "1|m|")
    menu_again = await bot.reply(user, press, "editMessageText")
    assert menu_again.params["message_id"] == message_id
    assert is_main_menu(menu_again, "kk")
    # Browsing never sent a new message.
    assert len(bot.calls("sendMessage", since=menu, chat_id=user.id)) == 1


async def test_an_article_in_another_language(bot: Driver) -> None:
    user = bot.user("uz")
    menu = await bot.reply(user, bot.send_text(user, "/start"))
    section = await bot.reply(user, bot.press(user, menu, "1|s|before"), "editMessageText")
    assert section_title("before", "uz") in section.text
    article = await bot.reply(user, bot.press(user, section, 0), "editMessageText")
    assert "First steps (uz)" in article.text
    assert "Body of first steps in uz" in article.text


async def test_an_article_not_yet_translated_is_shown_in_russian(bot: Driver) -> None:
    user = bot.user("kk")
    menu = await bot.reply(user, bot.send_text(user, "/start"))
    section = await bot.reply(user, bot.press(user, menu, "1|s|rights"), "editMessageText")
    assert section_title("rights", "kk") in section.text
    article = await bot.reply(user, bot.press(user, section, "1|a|know-rights"), "editMessageText")
    assert "Know your rights (ru)" in article.text
    assert "Only in Russian so far." in article.text
    assert '<a href="https://example.org/law">Test source two</a>' in article.text
    back, main = article.keyboard[-1]
    assert (back[1], main[1]) == ("1|s|rights", "1|m|")


async def test_an_empty_section_still_navigates(bot: Driver) -> None:
    user = bot.user("tg")
    menu = await bot.reply(user, bot.send_text(user, "/start"))
    empty = await bot.reply(user, bot.press(user, menu, "1|s|emergency"), "editMessageText")
    assert section_title("emergency", "tg") in empty.text
    assert [data for _, data in empty.keyboard[-1]] == ["1|m|"]
    assert len(empty.keyboard) == 1
