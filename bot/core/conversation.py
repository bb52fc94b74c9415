"""The one entry point of the core: a request in, an outcome out."""

from __future__ import annotations

from bot.core import articles, centres, menu, questions
from bot.core.actions import (
    Action,
    FindNearest,
    OpenArticle,
    OpenCentre,
    OpenCity,
    OpenMenu,
    OpenSection,
    PickLanguage,
    SetLanguage,
    ShowOnMap,
    StaleAction,
    decode,
)
from bot.core.replies import Event, Message, Outcome, RemoveKeyboard
from bot.core.requests import Command, Context, Location, Press, Request, Text, Unsupported
from bot.i18n import Translator
from bot.locales import LOCALES, supported

MENU_COMMANDS = ("start", "menu", "help", "language")


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
    if locale is None:
        # First contact in a language we do not speak: ask, in all four.
        return Outcome((menu.language_picker(ctx),))
    outcome = _answer(event, ctx, ctx.texts(locale))
    if request.locale is None:
        return Outcome(outcome.replies, locale, outcome.toast, outcome.events)
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
        case Command():
            return Outcome((menu.not_understood(ctx, tr, "command"),))
        case Press(data=data):
            return _press(data, ctx, tr)
        case Location(latitude=latitude, longitude=longitude):
            replies = centres.nearest(ctx, tr, latitude, longitude)
            return Outcome(tuple(replies), events=(Event("nearest"),))
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
    return None
