"""Talking to a person and reporting a problem, as the core answers them."""

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from bot.core import Request, Text, handle
from bot.core.actions import (
    EndTalk,
    OpenArticle,
    OpenCentre,
    ReportProblem,
    ReportReason,
    StartTalk,
)
from bot.core.hours import describe, is_open, next_opening, parse_hours
from bot.core.replies import Filed
from bot.core.requests import Desk

from .factories import actions, command, only_message, press

ALMATY = ZoneInfo("Asia/Almaty")
DESK = Desk("Help Desk", "Mon-Fri 09:00-18:00", "UTC+5", 4, True, None)


@pytest.fixture
def staffed(ctx):
    return ctx.configured(DESK, ctx.retention)


def test_without_operators_nobody_is_offered_a_person(ctx):
    menu = only_message(command(ctx, "menu"))
    assert StartTalk() not in actions(menu)
    assert "/talk" not in only_message(command(ctx, "help")).text
    unknown = only_message(command(ctx, "talk"))
    assert unknown.text.startswith(ctx.texts("ru").gettext("I do not know this command."))


def test_the_menu_and_not_found_offer_a_person(staffed):
    assert StartTalk() in actions(only_message(command(staffed, "menu")))
    missed = handle(Request(Text("qwerty zxcvb"), locale="ru"), staffed)
    assert StartTalk() in actions(only_message(missed))


def test_before_the_first_message_the_user_is_told_who_when_and_what_not_to_send(staffed):
    outcome = command(staffed, "talk", locale="uz")
    assert outcome.talk is not None and outcome.talk.kind == "start" and not outcome.replies
    [intro] = outcome.talk.done
    tr = staffed.texts("uz")
    assert "Help Desk" in intro.text and "Dush–Jum 09:00–18:00" in intro.text
    assert "UTC+5" in intro.text and "<b>112</b>" in intro.text
    assert tr.gettext("End the conversation") in intro.buttons[0][0].text
    assert "Hujjat" in intro.text or "hujjat" in intro.text
    assert "Do not send" not in intro.text and "operators" not in intro.text  # no English left
    assert "operatorlarga" in outcome.talk.refused[0].text


def test_off_hours_the_user_is_told_when_it_will_be_read(ctx):
    opens = dt.datetime(2026, 12, 7, 9, 0, tzinfo=ALMATY)
    closed = ctx.configured(replace(DESK, open_now=False, next_opening=opens), ctx.retention)
    [intro] = command(closed, "talk", locale="ru").talk.done
    assert "понедельник, 7 декабря, 09:00" in intro.text


def test_ending_is_asked_of_the_application(staffed):
    outcome = press(staffed, EndTalk())
    assert outcome.talk is not None and outcome.talk.kind == "end"


def test_an_emergency_article_offers_a_person_and_every_article_a_report(real_ctx):
    staffed = real_ctx.configured(DESK, real_ctx.retention)
    article = only_message(press(staffed, OpenArticle("passport-taken")))
    assert StartTalk() in actions(article)
    assert ReportProblem("a:passport-taken") in actions(article)
    other = only_message(press(staffed, OpenArticle("work-permit")))
    assert StartTalk() not in actions(other)


def test_a_centre_card_has_report_a_problem(ctx):
    centre = next(iter(ctx.catalog.centres))
    assert ReportProblem(f"c:{centre}") in actions(only_message(press(ctx, OpenCentre(centre))))


def test_a_report_with_a_reason_is_filed_at_once(ctx):
    reasons = only_message(press(ctx, ReportProblem("a:first-steps")))
    assert ReportReason("n:a:first-steps") in actions(reasons)
    outcome = press(ctx, ReportReason("c:a:first-steps"))
    assert outcome.report == Filed("article", "first-steps", "closed")
    assert outcome.toast


def test_something_else_asks_for_words_then_files_them(ctx):
    asked = press(ctx, ReportReason("x:a:first-steps"))
    assert asked.expect == "report:a:first-steps" and asked.report is None
    told = handle(Request(Text("телефон не работает"), locale="ru", pending=asked.expect), ctx)
    assert told.report == Filed("article", "first-steps", "other", "телефон не работает")
    assert told.expect == ""
    # A command instead of the words drops the question and is answered as a command.
    dropped = handle(Request(Text("/menu"), locale="ru", pending=asked.expect), ctx)
    assert dropped.report is None and dropped.expect == ""


def test_a_report_on_something_gone_is_stale(ctx):
    outcome = press(ctx, ReportReason("n:a:no-such-article"))
    assert outcome.report is None and outcome.toast


def test_office_hours():
    spans = parse_hours("Mon-Fri 09:00-18:00, Sat 10:00-14:00")
    saturday = dt.datetime(2026, 12, 5, 15, 0, tzinfo=ALMATY)
    assert not is_open(spans, saturday)
    assert is_open(spans, saturday.replace(hour=11))
    assert next_opening(spans, saturday) == dt.datetime(2026, 12, 7, 9, 0, tzinfo=ALMATY)
    assert describe(spans, "ru") == "пн–пт 09:00–18:00, сб 10:00–14:00"
    for wrong in ("Mon-Fri", "Mon-Fri 18:00-09:00", "Xyz 09:00-10:00", "Mon 25:00-26:00"):
        with pytest.raises(ValueError):
            parse_hours(wrong)
