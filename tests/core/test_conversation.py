"""Given a catalog and a user, when they press or type something, they see this."""

from bot.core import Message, RemoveKeyboard, Unsupported
from bot.core.actions import (
    DislikeArticle,
    LikeArticle,
    OpenArticle,
    OpenMenu,
    OpenSection,
    PickLanguage,
    ReportProblem,
    SetLanguage,
)
from bot.locales import NATIVE_NAMES

from .factories import (
    actions,
    ask,
    command,
    labels,
    only_message,
    press,
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


def test_an_article_names_each_detail_still_to_verify_in_the_readers_language(ctx):
    text = only_message(press(ctx, OpenArticle("know-rights"), locale="uz")).text
    assert "⚠️ Fee uz: confirm it" in text
    # A plain-string item names nothing a reader can act on: it is not shown.
    assert "a fact still to confirm" not in text
    assert text.count("⚠️") == 1
    # The generic "some details are still being checked" line is gone.
    assert "being checked" not in text and "tekshirilmoqda" not in text


def test_confirmed_facts_carry_no_warning(ctx):
    assert "⚠️" not in only_message(press(ctx, OpenArticle("first-steps"))).text


def test_a_contact_placeholder_in_an_article_becomes_the_number(ctx):
    text = only_message(press(ctx, OpenArticle("know-rights"))).text
    assert "In danger, call 112." in text
    assert "{contact:" not in text


def test_stale_forged_and_vanished_buttons_get_a_polite_toast_and_the_menu(ctx):
    for data in ["0|a|first-steps", "hack|x|y", "1|a|no-such-article", "1|y|atlantis", None]:
        outcome = press(ctx, data)
        menu = only_message(outcome)
        assert outcome.toast
        assert menu.edit
        assert OpenSection("rights") in actions(menu)


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
