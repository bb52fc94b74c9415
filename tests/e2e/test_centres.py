"""Service centres: by city, a centre's card, the map, and the nearest ones to a location."""

from __future__ import annotations

import pytest

from tests.e2e.harness import Driver, TgUser, is_main_menu, section_title

ALMATY = (43.25, 76.92)  # right at the fixture's centre "almaty-exact"
MOSCOW = (55.75, 37.62)
CENTRE_NAMES = ("Exact", "City", "Astana")


async def open_centres(bot: Driver, user: TgUser):
    menu = await bot.reply(user, bot.send_text(user, "/menu"))
    home = await bot.reply(user, bot.press(user, menu, "1|s|centres"), "editMessageText")
    assert home.params["message_id"] == menu.result["message_id"]
    return home


@pytest.mark.parametrize(
    ("language", "almaty", "astana"),
    [("kk", "Алматы", "Астана"), ("uz", "Olmaota", "Astana")],
)
async def test_centres_home_lists_the_cities(
    bot: Driver, language: str, almaty: str, astana: str
) -> None:
    user = bot.user(language)
    home = await open_centres(bot, user)
    assert section_title("centres", language) in home.text
    data = [row[0][1] for row in home.keyboard]
    assert data[0] == "1|n|"  # "nearest to me" first
    # Cities are sorted by their name in the user's language.
    cities = dict(row[0] for row in home.keyboard[1:-1])
    assert cities == {almaty: "1|y|almaty", astana: "1|y|astana"}
    assert [d for _, d in home.keyboard[-1]] == ["1|m|"]


async def test_city_then_centre_then_the_map(bot: Driver) -> None:
    user = bot.user("kk")
    home = await open_centres(bot, user)
    message_id = home.params["message_id"]

    city = await bot.reply(user, bot.press(user, home, "1|y|almaty"), "editMessageText")
    assert city.params["message_id"] == message_id
    assert "Алматы" in city.text
    centres = dict(row[0] for row in city.keyboard[:-1])
    assert sorted(centres.values()) == ["1|c|almaty-city", "1|c|almaty-exact"]
    assert any(text.startswith("Exact kk · ") for text in centres)
    assert [d for _, d in city.keyboard[-1]] == ["1|s|centres", "1|m|"]

    card = await bot.reply(user, bot.press(user, city, "1|c|almaty-exact"), "editMessageText")
    assert card.params["message_id"] == message_id
    for fact in ("Exact kk", "Street 1 kk", "Mon-Fri kk", "+7 701 123 4567", "Oʻzbekcha"):
        assert fact in card.text
    assert card.keyboard[0] == [(card.keyboard[0][0][0], "1|p|almaty-exact")]
    assert [d for _, d in card.keyboard[-1]] == ["1|y|almaty", "1|m|"]

    press = bot.press(user, card, "1|p|almaty-exact")
    venue = await bot.reply(user, press, "sendVenue")
    assert venue.params["latitude"] == pytest.approx(43.25)
    assert venue.params["longitude"] == pytest.approx(76.92)
    assert venue.params["title"] == "Exact kk"
    assert venue.params["address"] == "Street 1 kk"
    assert (await bot.answer_to(press)).ok
    # The card stays as it was: the map is a new message.
    end = await bot.sentinel(user)
    assert not bot.calls("editMessageText", since=press, until=end, chat_id=user.id)

    back = await bot.reply(user, bot.press(user, card, "1|y|almaty"), "editMessageText")
    assert back.text == city.text


async def test_a_centre_known_only_by_city_has_no_map_button(bot: Driver) -> None:
    user = bot.user("ru")
    home = await open_centres(bot, user)
    city = await bot.reply(user, bot.press(user, home, "1|y|almaty"), "editMessageText")
    card = await bot.reply(user, bot.press(user, city, "1|c|almaty-city"), "editMessageText")
    assert "City ru" in card.text
    assert all(not data.startswith("1|p|") for data in card.callback_data if data)
    assert len(card.keyboard) == 1  # navigation only


async def test_nearest_asks_for_the_location_with_a_reply_keyboard(bot: Driver) -> None:
    user = bot.user("kk")
    home = await open_centres(bot, user)
    press = bot.press(user, home, "1|n|")
    ask = await bot.reply(user, press)
    markup = ask.reply_markup
    assert "inline_keyboard" not in markup
    share, cancel = markup["keyboard"]
    assert share[0]["request_location"] is True
    assert share[0]["text"].strip()
    assert "request_location" not in cancel[0]
    assert markup["one_time_keyboard"] is True
    assert markup["resize_keyboard"] is True
    # The centres screen above it is left alone.
    assert not bot.calls("editMessageText", since=press, chat_id=user.id)

    # "Cancel" takes the keyboard away and gives the menu.
    sent = bot.send_text(user, cancel[0]["text"])
    removed, menu = await bot.next_calls("sendMessage", 2, since=sent, chat_id=user.id)
    assert removed.reply_markup == {"remove_keyboard": True}
    assert is_main_menu(menu, "kk")


async def test_a_location_in_almaty_gets_the_three_nearest(bot: Driver) -> None:
    user = bot.user("kk")
    sent = bot.send_location(user, *ALMATY)
    nearest, buttons = await bot.next_calls("sendMessage", 2, since=sent, chat_id=user.id)
    assert nearest.reply_markup == {"remove_keyboard": True}
    positions = [nearest.text.index(f"{name} kk") for name in CENTRE_NAMES]
    assert positions == sorted(positions), nearest.text  # nearest first, Astana last
    assert "Алматы" in nearest.text and "Астана" in nearest.text
    assert [row[0][1] for row in buttons.keyboard[:-1]] == [
        "1|c|almaty-exact",
        "1|c|almaty-city",
        "1|c|astana-exact",
    ]
    assert buttons.keyboard[0][0][0] == "1. Exact kk"
    assert [d for _, d in buttons.keyboard[-1]] == ["1|s|centres", "1|m|"]

    card = await bot.reply(user, bot.press(user, buttons, 2), "editMessageText")
    assert "Astana kk" in card.text
    assert card.params["message_id"] == buttons.result["message_id"]


async def test_a_location_outside_kazakhstan_gets_the_city_list(bot: Driver) -> None:
    user = bot.user("ru")
    sent = bot.send_location(user, *MOSCOW)
    answer, home = await bot.next_calls("sendMessage", 2, since=sent, chat_id=user.id)
    assert answer.reply_markup == {"remove_keyboard": True}
    for message in (answer, home):
        assert not any(f"{name} ru" in message.text for name in CENTRE_NAMES), message.text
    assert section_title("centres", "ru") in home.text
    assert {"1|y|almaty", "1|y|astana", "1|n|"} <= set(home.callback_data)
    end = await bot.sentinel(user)
    assert len(bot.calls("sendMessage", since=sent, until=end, chat_id=user.id)) == 2
