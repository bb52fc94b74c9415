"""Given the real content and a user, when they type a question, they see this."""

import pytest

from bot.core import Message
from bot.core.actions import OpenArticle, OpenMenu, OpenSection, PickLanguage
from bot.core.questions import OTHERS, PREVIEW_CHARS, preview

from .factories import actions, labels, only_message, type_text


def test_a_question_gets_the_best_article_with_a_button_to_open_it(real_ctx):
    outcome = type_text(real_ctx, "работодатель забрал паспорт", locale="ru")
    answer = only_message(outcome)
    tr = real_ctx.texts("ru")
    assert answer.text.startswith(tr.gettext("This may answer your question:"))
    assert "<b>Работодатель забрал паспорт</b>" in answer.text
    assert "Паспорт — ваш документ" in answer.text  # the article's first line
    assert labels(answer)[0] == "📖 " + tr.gettext("Read the article")
    assert actions(answer)[0] == OpenArticle("passport-taken")
    assert actions(answer)[-1] == OpenMenu()
    assert not answer.edit  # a new message under the question
    assert [(e.kind, e.subject, e.query) for e in outcome.events] == [
        ("search_hit", "passport-taken", None)
    ]


def test_up_to_three_other_likely_articles_come_as_buttons(real_ctx):
    answer = only_message(type_text(real_ctx, "патент", locale="ru"))
    opened = [a for a in actions(answer) if isinstance(a, OpenArticle)]
    assert 2 <= len(opened) <= 1 + OTHERS
    assert len(set(opened)) == len(opened)
    assert all(label.startswith("→ ") for label in labels(answer)[1 : len(opened)])


@pytest.mark.parametrize(
    ("locale", "question", "title"),
    [
        ("kk", "паспортымды жоғалттым", "Паспорт жоғалды немесе мерзімі өтті"),
        ("uz", "pasportimni yo'qotdim", "Pasport yoʻqoldi yoki muddati tugadi"),
        ("tg", "шиноснома гум шуд", "Шиноснома гум шуд ё мӯҳлаташ гузашт"),
        ("uz", "потерял паспорт", "Pasport yoʻqoldi yoki muddati tugadi"),
        ("tg", "потерял паспорт", "Шиноснома гум шуд ё мӯҳлаташ гузашт"),
    ],
)
def test_the_answer_is_in_the_users_language_whatever_the_question_was(
    real_ctx, locale, question, title
):
    answer = only_message(type_text(real_ctx, question, locale=locale))
    tr = real_ctx.texts(locale)
    assert f"<b>{title}</b>" in answer.text
    assert answer.text.startswith(tr.gettext("This may answer your question:"))
    assert "📖 " + tr.gettext("Read the article") in labels(answer)


def test_nothing_fits_says_so_offers_the_sections_and_emergency_and_counts_it(real_ctx):
    outcome = type_text(real_ctx, "рецепт плова, звоните +7 701 123 45 67", locale="kk")
    answer = only_message(outcome)
    tr = real_ctx.texts("kk")
    assert answer.text.startswith(
        tr.gettext(
            "I cannot answer that: Jol knows about work, documents, rights and safety of migrants "
            "in Kazakhstan. Try other words, or choose a topic below. If you are in danger, open "
            "«Emergency»."
        )
    )
    assert "Шұғыл көмек" in answer.text
    # The emergency numbers from contacts.yaml, written plainly so they can be dialled.
    assert "\n☎️ 112 — бірыңғай шұғыл қызмет нөмірі" in answer.text
    assert "☎️ 102 — полиция" in answer.text
    assert "1414" not in answer.text  # a hotline, not an emergency number
    assert [OpenSection(s.id) for s in real_ctx.catalog.sections] == [
        a for a in actions(answer) if isinstance(a, OpenSection)
    ]
    assert OpenArticle("emergency-numbers") in actions(answer)
    [event] = outcome.events
    assert event.kind == "search_miss"
    # The typed text goes to the application, which scrubs it once before anything keeps it.
    assert event.query == "рецепт плова, звоните +7 701 123 45 67"
    assert event.subject is None


def test_a_greeting_gets_the_menu_and_is_not_counted_as_unanswered(real_ctx):
    outcome = type_text(real_ctx, "Salom!", locale="uz")
    menu = only_message(outcome)
    hello = real_ctx.texts("uz").gettext(
        "Hello! I am Jol: I answer migrants' questions about work, documents and rights in "
        "Kazakhstan. Type your question in a few words."
    )
    assert menu.text.startswith(hello)
    assert PickLanguage() in actions(menu)
    assert outcome.events == ()


def test_a_thousands_of_characters_long_text_gets_a_short_polite_answer(real_ctx):
    for text in ("x" * 5000, "Не платят зарплату. " + "Очень долго рассказываю. " * 400):
        outcome = type_text(real_ctx, text, locale="ru")
        answer = only_message(outcome)
        assert isinstance(answer, Message)
        assert len(answer.text) < 500
        # Only what search read is handed on (the application cuts it shorter still).
        assert all(len(event.query or "") <= 300 for event in outcome.events)


def test_a_question_on_the_test_catalog_opens_the_fixture_article(ctx):
    outcome = type_text(ctx, "документы", locale="tg")
    assert actions(only_message(outcome))[0] == OpenArticle("first-steps")
    assert "First steps (tg)" in only_message(outcome).text


def test_the_preview_keeps_lines_cuts_at_a_word_and_escapes():
    body = "<b>Первая строка</b> &amp; всё.\n\nВторая строка " + "слово " * 100
    shown = preview(body)
    assert shown.startswith("Первая строка &amp; всё.\nВторая строка слово")
    assert shown.endswith("слово…")
    assert len(shown) <= PREVIEW_CHARS + len("&amp;")
