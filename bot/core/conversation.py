"""The one entry point of the core: a request in, an outcome out."""

from __future__ import annotations

from dataclasses import replace

from bot.core import articles, centres, handoff, menu, privacy, questions, reports
from bot.core.actions import (
    Action,
    CancelForget,
    ChooseCountry,
    ConfirmForget,
    DislikeArticle,
    EndTalk,
    FindNearest,
    LikeArticle,
    OpenArticle,
    OpenCentre,
    OpenCity,
    OpenMenu,
    OpenMissions,
    OpenSection,
    PickLanguage,
    ReportProblem,
    ReportReason,
    SetLanguage,
    ShowOnMap,
    StaleAction,
    StartTalk,
    decode,
)
from bot.core.replies import Event, Message, Outcome, RemoveKeyboard
from bot.core.requests import Command, Context, Location, Press, Request, Text, Unsupported
from bot.i18n import Translator
from bot.locales import FALLBACK_LOCALE, LOCALES, supported


def handle(request: Request, ctx: Context) -> Outcome:
    event = request.event
    if isinstance(event, Press):
        try:
            action = decode(event.data)
        except StaleAction:
            action = None
        if isinstance(action, SetLanguage) and action.locale in LOCALES:
            tr = ctx.texts(action.locale)
            lead = tr.gettext("Language: {language}").format(language=tr.language_name(tr.locale))
            return Outcome((menu.main_menu(ctx, tr, edit=True, lead=lead),), locale=action.locale)
    locale = request.locale or supported(request.language_code)
    about_privacy = privacy.concerns(event)
    if locale is None and about_privacy:
        locale = FALLBACK_LOCALE  # seeing or erasing the records never needs a language saved
    if locale is None:
        # First contact in a language we do not speak: ask, in all four.
        return Outcome((menu.language_picker(ctx),))
    tr = ctx.texts(locale)
    if privacy.wants_record(event):
        outcome = privacy.forget_screen(ctx, tr, request.kept)
    elif request.pending and isinstance(event, Text) and not event.text.startswith("/"):
        outcome = reports.details(ctx, tr, request.pending, event.text) or _answer(event, ctx, tr)
    else:
        outcome = _answer(event, ctx, tr)
    if request.pending and outcome.expect is None:
        outcome = replace(outcome, expect="")  # a question asked is answered once or dropped
    if request.locale is None and request.adopt_language and not about_privacy:
        return replace(outcome, locale=locale)
    return outcome


def _answer(event: object, ctx: Context, tr: Translator) -> Outcome:
    match event:
        case Command(name="start"):
            return Outcome((menu.welcome(ctx, tr),), events=(Event("start"),))
        case Command(name="menu"):
            return Outcome((menu.main_menu(ctx, tr),))
        case Command(name="help"):
            return Outcome((menu.help_message(ctx, tr),))
        case Command(name="language"):
            return Outcome((menu.language_picker(ctx),))
        case Command(name="talk"):
            return handoff.start(ctx, tr)
        case Command(name="end") if ctx.desk is not None:
            return handoff.end(ctx, tr)
        case Command():
            return Outcome((menu.not_understood(ctx, tr, "command"),))
        case Press(data=data):
            return _press(data, ctx, tr)
        case Location(latitude=latitude, longitude=longitude):
            replies = centres.nearest(ctx, tr, latitude, longitude)
            # Counted by the city of the nearest centre: the location itself is never kept.
            city = centres.nearest_city(ctx, latitude, longitude)
            return Outcome(tuple(replies), events=(Event("nearest", city),))
        case Text(text=text) if text.strip() == centres.cancel_label(tr):
            cancelled = Message(tr.gettext("Cancelled."), RemoveKeyboard())
            return Outcome((cancelled, menu.main_menu(ctx, tr)))
        case Text(text=text):
            return questions.answer(ctx, tr, text)
        case Unsupported():
            return Outcome((menu.not_understood(ctx, tr, "media"),))
    return Outcome((menu.main_menu(ctx, tr),))


def _press(data: str | None, ctx: Context, tr: Translator) -> Outcome:
    try:
        action = decode(data)
    except StaleAction:
        return _stale(ctx, tr)
    outcome = _open(action, ctx, tr)
    return outcome if outcome is not None else _stale(ctx, tr)


def _stale(ctx: Context, tr: Translator) -> Outcome:
    return Outcome((menu.stale(ctx, tr),), toast=tr.gettext("This menu is out of date."))


def _open(action: Action, ctx: Context, tr: Translator) -> Outcome | None:
    """The screen an action opens, or None if what it points at no longer exists."""
    catalog = ctx.catalog
    match action:
        case OpenMenu():
            return Outcome((menu.main_menu(ctx, tr, edit=True),))
        case PickLanguage():
            return Outcome((menu.language_picker(ctx, edit=True),))
        case OpenSection(section=section_id) if section := catalog.section(section_id):
            event = (Event("section", section.id),)
            if section.kind == "centres":
                return Outcome((centres.home(ctx, tr, section),), events=event)
            return Outcome((articles.section_message(ctx, tr, section),), events=event)
        case OpenArticle(article=article_id) if article_id in catalog.articles:
            article = catalog.articles[article_id]
            return Outcome(
                (articles.article_message(ctx, tr, article),),
                events=(Event("article", article.id),),
            )
        case OpenCity(city=city_id) if city_id in catalog.cities:
            return Outcome((centres.city_message(ctx, tr, catalog.cities[city_id]),))
        case OpenCentre(centre=centre_id) if centre_id in catalog.centres:
            centre = catalog.centres[centre_id]
            return Outcome((centres.card(ctx, tr, centre),), events=(Event("centre", centre.id),))
        case ShowOnMap(centre=centre_id) if centre_id in catalog.centres:
            return Outcome((centres.venue(tr, catalog.centres[centre_id]),))
        case FindNearest():
            return Outcome((centres.ask_location(tr),))
        case ChooseCountry(near=near):
            return Outcome((centres.countries(ctx, tr, near),))
        case OpenMissions(country=country, near=near) if country in centres.COUNTRIES:
            return Outcome((centres.missions(ctx, tr, country, near),))
        case LikeArticle(article=article_id) | DislikeArticle(article=article_id) if (
            article_id in catalog.articles
        ):
            value = "up" if isinstance(action, LikeArticle) else "down"
            # Acknowledged with a toast only: the article stays as it is on the screen.
            toast = tr.gettext("Thank you! This helps us improve Jol.")
            return Outcome((), toast=toast, events=(Event("feedback", article_id, value=value),))
        case StartTalk():
            return handoff.start(ctx, tr)
        case EndTalk():
            return handoff.end(ctx, tr)
        case ReportProblem(target=target):
            return reports.reasons(ctx, tr, target)
        case ReportReason(target=target):
            return reports.reason(ctx, tr, target)
        case ConfirmForget():
            return privacy.erase(ctx, tr)
        case CancelForget():
            return privacy.cancelled(ctx, tr)
    return None
