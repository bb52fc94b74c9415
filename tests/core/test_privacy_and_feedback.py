"""/forget shows what is kept and asks before erasing; thumbs under articles count feedback."""

import datetime as dt

from bot.core import Command, Request, handle
from bot.core.actions import (
    CancelForget,
    ConfirmForget,
    DislikeArticle,
    LikeArticle,
    OpenArticle,
    OpenSection,
)
from bot.core.replies import Event
from bot.core.requests import Kept

from .factories import actions, labels, only_message, press, share_location

KEPT = Kept("uz", dt.date(2026, 1, 5), dt.date(2026, 2, 1), 12, opted_in=False)


def forget(ctx, kept, **kwargs):
    kwargs.setdefault("locale", "ru")
    return handle(Request(Command("forget"), kept=kept, **kwargs), ctx)


def test_forget_lists_what_is_kept_and_asks_to_confirm(ctx):
    outcome = forget(ctx, KEPT)
    screen = only_message(outcome)
    tr = ctx.texts("ru")
    assert "Oʻzbekcha" in screen.text
    assert tr.date(dt.date(2026, 1, 5)) in screen.text
    assert tr.date(dt.date(2026, 2, 1)) in screen.text
    assert "12" in screen.text
    assert actions(screen) == [ConfirmForget(), CancelForget()]
    assert outcome.events == () and outcome.erase is None and outcome.locale is None


def test_an_opt_in_to_messages_is_listed_too(ctx):
    tr = ctx.texts("kk")
    line = tr.gettext("your request to receive messages from Jol")
    assert line not in only_message(forget(ctx, KEPT, locale="kk")).text
    opted = Kept("kk", None, None, 0, opted_in=True)
    assert line in only_message(forget(ctx, opted, locale="kk")).text


def test_nothing_kept_and_records_unreadable_get_no_erase_button(ctx):
    tr = ctx.texts("tg")
    nothing = only_message(forget(ctx, Kept(None, None, None, 0, False), locale="tg"))
    assert tr.gettext("Jol keeps nothing about you.") in nothing.text
    unreadable = only_message(forget(ctx, None, locale="tg"))
    assert "/forget" in unreadable.text
    for screen in (nothing, unreadable):
        assert ConfirmForget() not in actions(screen)
        assert OpenSection("rights") in actions(screen)


def test_forget_works_before_any_language_is_chosen_and_saves_none(ctx):
    outcome = forget(ctx, KEPT, locale=None, language_code="en")
    assert ConfirmForget() in actions(only_message(outcome))
    assert outcome.locale is None
    confirm = press(ctx, ConfirmForget(), locale=None, language_code="en")
    assert confirm.erase is not None and confirm.locale is None


def test_confirming_asks_the_runtime_to_erase_with_both_answers_ready(ctx):
    outcome = press(ctx, ConfirmForget(), locale="kk")
    tr = ctx.texts("kk")
    assert outcome.replies == ()
    [done], [failed] = outcome.erase.done, outcome.erase.failed
    assert tr.gettext("Done: everything Jol kept about you is erased.") in done.text
    assert "/forget" in failed.text and done.edit and failed.edit


def test_cancelling_erases_nothing(ctx):
    outcome = press(ctx, CancelForget(), locale="ru")
    assert outcome.erase is None
    assert ctx.texts("ru").gettext("Nothing was erased.") in only_message(outcome).text


def test_every_article_has_thumbs_up_and_down(ctx):
    article = only_message(press(ctx, OpenArticle("know-rights"), locale="uz"))
    tr = ctx.texts("uz")
    assert labels(article)[:2] == ["👍 " + tr.gettext("Helpful"), "👎 " + tr.gettext("Not helpful")]
    assert actions(article)[:2] == [LikeArticle("know-rights"), DislikeArticle("know-rights")]


def test_a_thumb_is_counted_and_thanked_without_resending_the_article(ctx):
    up = press(ctx, LikeArticle("first-steps"), locale="tg")
    down = press(ctx, DislikeArticle("first-steps"), locale="ru")
    assert up.replies == () and down.replies == ()
    assert up.toast == ctx.texts("tg").gettext("Thank you! This helps us improve Jol.")
    assert up.events == (Event("feedback", "first-steps", value="up"),)
    assert down.events == (Event("feedback", "first-steps", value="down"),)


def test_a_thumb_for_a_vanished_article_is_stale(ctx):
    outcome = press(ctx, LikeArticle("no-such-article"))
    assert outcome.toast and outcome.events == ()
    assert OpenSection("rights") in actions(only_message(outcome))


def test_a_location_outside_the_region_is_counted_without_a_city(ctx):
    assert share_location(ctx, 55.75, 37.62).events == (Event("nearest", None),)
    assert share_location(ctx, 51.13, 71.43).events == (Event("nearest", "astana"),)
