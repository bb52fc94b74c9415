"""Given a catalog and a user, when they press or type something, they see this."""

from bot.core import Message, RemoveKeyboard, RequestLocation, Unsupported, Venue
from bot.core.actions import (
    DislikeArticle,
    FindNearest,
    LikeArticle,
    OpenArticle,
    OpenCentre,
    OpenCity,
    OpenMenu,
    OpenSection,
    PickLanguage,
    ReportProblem,
    SetLanguage,
    ShowOnMap,
)
from bot.core.replies import Event
from bot.locales import NATIVE_NAMES

from .factories import (
    actions,
    ask,
    command,
    labels,
    only_message,
    press,
    share_location,
    type_text,
)


def test_first_contact_in_kazakh_opens_the_kazakh_menu_and_remembers_it(ctx):
    outcome = command(ctx, "start", locale=None, language_code="kk")
    menu = only_message(outcome)
    assert outcome.locale == "kk"
    assert "🧳 Жолға шықпас бұрын" in labels(menu)
    assert [a for a in actions(menu) if isinstance(a, OpenSection)] == [
        OpenSection(s.id) for s in ctx.catalog.sections
    ]


def test_first_contact_in_another_language_shows_the_picker_in_native_names(ctx):
    outcome = command(ctx, "start", locale=None, language_code="en")
    picker = only_message(outcome)
    assert outcome.locale is None
    assert labels(picker) == list(NATIVE_NAMES.values())
    assert actions(picker) == [SetLanguage(code) for code in NATIVE_NAMES]


def test_a_saved_choice_wins_over_telegrams_language(ctx):
    outcome = command(ctx, "menu", locale="tg", language_code="ru")
    assert "⚖️ Ҳуқуқҳои шумо" in labels(only_message(outcome))
    assert outcome.locale is None  # nothing new to save


def test_choosing_a_language_saves_it_and_shows_the_menu_in_it(ctx):
    outcome = press(ctx, SetLanguage("uz"), locale="ru")
    menu = only_message(outcome)
    assert outcome.locale == "uz"
    assert menu.edit
    assert "🏢 Xizmat koʻrsatish markazlari" in labels(menu)


def test_language_command_and_button_open_the_picker(ctx):
    assert actions(only_message(command(ctx, "language")))[0] == SetLanguage("kk")
    assert SetLanguage("tg") in actions(only_message(press(ctx, PickLanguage())))


def test_a_section_lists_its_articles_in_order_with_navigation(ctx):
    screen = only_message(press(ctx, OpenSection("before"), locale="uz"))
    assert screen.edit
    assert labels(screen)[0] == "First steps (uz)"
    assert actions(screen) == [OpenArticle("first-steps"), OpenMenu()]


def test_an_article_shows_title_body_sources_and_review_date(ctx):
    outcome = press(ctx, OpenArticle("first-steps"), locale="kk")
    article = only_message(outcome)
    assert article.text.startswith("<b>First steps (kk)</b>")
    assert "<b>bold</b>" in article.text
    assert "Test source one" in article.text
    assert "2026" in article.text
    assert [e.kind for e in outcome.events] == ["article"]
    assert actions(article) == [
        OpenArticle("know-rights"),
        LikeArticle("first-steps"),
        DislikeArticle("first-steps"),
        ReportProblem("a:first-steps"),
        OpenSection("before"),
        OpenMenu(),
    ]


def test_an_untranslated_article_falls_back_to_russian_and_says_so(ctx):
    translated = only_message(press(ctx, OpenArticle("first-steps"), locale="tg")).text
    fallback = only_message(press(ctx, OpenArticle("know-rights"), locale="tg")).text
    russian = only_message(press(ctx, OpenArticle("know-rights"), locale="ru")).text
    assert "Know your rights (ru)" in fallback
    notice = ctx.texts("tg").gettext("Not yet translated into your language; shown in Russian.")
    assert notice in fallback and notice not in translated and notice not in russian


def test_an_article_with_facts_to_verify_warns_the_reader(ctx):
    warning = "⚠️"
    assert warning in only_message(press(ctx, OpenArticle("know-rights"))).text
    assert warning not in only_message(press(ctx, OpenArticle("first-steps"))).text


def test_stale_forged_and_vanished_buttons_get_a_polite_toast_and_the_menu(ctx):
    for data in ["0|a|first-steps", "hack|x|y", "1|a|no-such-article", "1|y|atlantis", None]:
        outcome = press(ctx, data)
        menu = only_message(outcome)
        assert outcome.toast
        assert menu.edit
        assert OpenSection("rights") in actions(menu)


def test_centres_offer_nearest_and_the_cities_sorted_by_name(ctx):
    screen = only_message(press(ctx, OpenSection("centres")))
    assert actions(screen)[:3] == [FindNearest(), OpenCity("almaty"), OpenCity("astana")]


def test_a_city_lists_its_centres(ctx):
    screen = only_message(press(ctx, OpenCity("almaty"), locale="uz"))
    assert "Olmaota" in screen.text
    assert OpenCentre("almaty-exact") in actions(screen)
    assert OpenCentre("almaty-city") in actions(screen)


def test_a_centre_card_has_address_hours_phones_languages_and_a_map_button(ctx):
    card = only_message(press(ctx, OpenCentre("almaty-exact"), locale="kk"))
    for expected in ("Exact kk", "Street 1 kk", "Mon-Fri kk", "+7 701 123 4567", "Русский"):
        assert expected in card.text
    assert ShowOnMap("almaty-exact") in actions(card)
    assert OpenCity("almaty") in actions(card)


def test_a_centre_known_only_by_city_has_no_map_button_and_says_so(ctx):
    card = only_message(press(ctx, OpenCentre("almaty-city")))
    assert not any(isinstance(a, ShowOnMap) for a in actions(card))
    assert "⚠️" in card.text


def test_show_on_map_sends_a_venue(ctx):
    [venue] = press(ctx, ShowOnMap("almaty-exact"), locale="uz").replies
    assert venue == Venue(43.25, 76.92, "Exact uz", "Street 1 uz")


def test_nearest_asks_for_the_location_with_a_reply_keyboard(ctx):
    message = only_message(press(ctx, FindNearest()))
    assert isinstance(message.keyboard, RequestLocation)
    assert not message.edit  # a reply keyboard needs a new message


def test_a_location_in_almaty_gets_the_three_nearest_with_distances(ctx):
    outcome = share_location(ctx, 43.2565, 76.9284, locale="ru")
    listing, choice = outcome.replies
    assert isinstance(listing.keyboard, RemoveKeyboard)
    lines = listing.text.splitlines()
    assert "Exact ru" in lines[1] and "City ru" in lines[2] and "Astana ru" in lines[3]
    # Distances to centres known only by their city are marked as rough.
    assert "≈" not in lines[1] and "— ≈ " in lines[2]
    assert actions(choice)[:3] == [
        OpenCentre("almaty-exact"),
        OpenCentre("almaty-city"),
        OpenCentre("astana-exact"),
    ]
    assert outcome.events == (Event("nearest", "almaty"),)  # the city, never the location


def test_distances_use_the_languages_plural_forms(ctx):
    # 0.0072° of latitude north of the centre at (43.25, 76.92): 800 metres.
    tr = ctx.texts("ru")
    line = share_location(ctx, 43.2572, 76.92).replies[0].text.splitlines()[1]
    assert line.endswith(tr.ngettext("{count} metre", "{count} metres", 800).format(count=800))
    assert tr.ngettext("{count} metre", "{count} metres", 800) != tr.ngettext(
        "{count} metre", "{count} metres", 2
    ), "Russian has distinct plural forms for 2 and 800"


def test_a_location_outside_the_region_gets_an_honest_answer_and_the_cities(ctx):
    outcome = share_location(ctx, 55.75, 37.62)
    first, second = outcome.replies
    assert isinstance(first.keyboard, RemoveKeyboard)
    assert "Exact" not in first.text
    assert OpenCity("almaty") in actions(second)


def test_cancelling_the_location_request_removes_the_keyboard(ctx):
    tr = ctx.texts("kk")
    from bot.core.centres import cancel_label

    first, menu = type_text(ctx, cancel_label(tr), locale="kk").replies
    assert isinstance(first.keyboard, RemoveKeyboard)
    assert OpenSection("before") in actions(menu)


def test_unknown_commands_and_media_get_a_short_answer_with_the_menu(ctx):
    for outcome in (
        command(ctx, "foo"),
        ask(ctx, Unsupported("sticker")),
        ask(ctx, Unsupported("voice")),
    ):
        message = only_message(outcome)
        assert isinstance(message, Message)
        assert OpenSection("emergency") in actions(message)
        assert len(message.text) < 500


def test_typed_text_nothing_answers_gets_a_short_polite_answer_with_the_sections(ctx):
    # Typed text is a question (see test_questions.py); 5000 characters of nothing find nothing.
    outcome = type_text(ctx, "x" * 5000)
    message = only_message(outcome)
    assert OpenSection("emergency") in actions(message)
    assert len(message.text) < 500
    assert [event.kind for event in outcome.events] == ["search_miss"]


def test_every_screen_answers_in_the_users_language(ctx):
    texts = {loc: only_message(command(ctx, "help", locale=loc)).text for loc in NATIVE_NAMES}
    if len(set(texts.values())) < 4:
        missing = [loc for loc, text in texts.items() if text == texts["ru"] and loc != "ru"]
        raise AssertionError(f"help is not translated for {missing}")
