"""Typed questions: what the message is (`bot.search.understand`), and the answer that fits.

An article question gets the article (or two, when they fit about equally); a place gets the
centres of that kind in that city; someone in danger gets the emergency numbers and the fitting
article at once; thanks and greetings a short friendly word; anything Jol does not cover an
honest "I cannot answer this" with what Jol can do.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

from bot.catalog.model import Article, Centre, pick
from bot.catalog.telegram_html import plain_text
from bot.core import centres, sections
from bot.core.actions import FindNearest, OpenArticle, OpenCentre, OpenCity
from bot.core.articles import EMERGENCY_SECTION
from bot.core.centres import contact_line
from bot.core.keyboards import column, talk_button, with_navigation
from bot.core.menu import main_menu
from bot.core.replies import Button, Event, Message, Outcome
from bot.core.requests import Context
from bot.i18n import Translator
from bot.search.places import centre_country
from bot.search.rank import MAX_QUERY_CHARS
from bot.search.understand import Understanding, smalltalk_kind, understand

# How much of the best article the answer shows, and how many others it offers.
PREVIEW_CHARS = 220
# The emergency numbers shown to someone in danger: the first lines of this article.
EMERGENCY_ARTICLE = "emergency-numbers"
EMERGENCY_CHARS = 320
OTHERS = 3


def answer(ctx: Context, tr: Translator, text: str) -> Outcome:
    understood = understand(ctx.search, text, tr.locale)
    match understood.intent:
        case "smalltalk":
            return Outcome((smalltalk(ctx, tr, text),))
        case "distress":
            reply, first = distress(ctx, tr, understood.articles)
            return Outcome((reply,), events=(Event("search_hit", subject=first),))
        case "place":
            return Outcome(tuple(place(ctx, tr, understood)), events=_place_event(ctx))
        case "article" if understood.articles:
            found_articles = [ctx.catalog.articles[a] for a in understood.articles]
            best, *others = found_articles
            event = (Event("search_hit", subject=best.id),)
            if understood.ambiguous and others:
                return Outcome((which_one(tr, best, others[0]),), events=event)
            return Outcome((found(tr, best, others[:OTHERS]),), events=event)
    # Only the first characters are kept; the application scrubs them, once, before anything
    # keeps them.
    query = text[:MAX_QUERY_CHARS]
    return Outcome((not_found(ctx, tr),), events=(Event("search_miss", query=query),))


def _place_event(ctx: Context) -> tuple[Event, ...]:
    section = centres.centres_section(ctx)
    return (Event("search_hit", subject=section.id if section else None),)


def preview(text: str, limit: int = PREVIEW_CHARS) -> str:
    """The first lines of an article's text, up to `limit` characters cut at a word, escaped."""
    shown: list[str] = []
    room = limit
    for line in (line.strip() for line in plain_text(text).splitlines()):
        if not line:
            continue
        if len(line) > room:
            cut = line[:room].rsplit(" ", 1)[0].rstrip(",;:—-")
            if cut:
                shown.append(cut + "…")
            break
        shown.append(line)
        room -= len(line) + 1
    return escape("\n".join(shown))


def _open(tr: Translator, article: Article) -> Button:
    return Button("→ " + article.text(tr.locale)[0].title, OpenArticle(article.id))


def found(tr: Translator, best: Article, others: list[Article]) -> Message:
    text, _ = best.text(tr.locale)
    body = "\n\n".join(
        (
            tr.gettext("This may answer your question:"),
            f"<b>{escape(text.title)}</b>\n{preview(text.body)}",
        )
    )
    buttons = [Button("📖 " + tr.gettext("Read the article"), OpenArticle(best.id))]
    buttons += [_open(tr, a) for a in others]
    return Message(body, with_navigation(column(buttons), tr))


def which_one(tr: Translator, first: Article, second: Article) -> Message:
    """Two articles fit about equally: let the user choose rather than guess."""
    text = tr.gettext("Two articles may answer this. Which one is closer to your question?")
    return Message(text, with_navigation(column((_open(tr, first), _open(tr, second))), tr))


def not_found(ctx: Context, tr: Translator) -> Message:
    """An honest "I cannot answer this", with the main sections and the first emergency
    article, so nobody is left with nothing."""
    buttons = sections.buttons(ctx, tr)
    emergency = ctx.catalog.articles_in(EMERGENCY_SECTION)[:1]
    buttons += [_open(tr, a) for a in emergency]
    if ctx.desk is not None:
        buttons.append(talk_button(tr))
    text = tr.gettext(
        "I cannot answer that: Jol knows about work, documents, rights and safety of migrants "
        "in Kazakhstan. Try other words, or choose a topic below. If you are in danger, open "
        "«Emergency»."
    )
    return Message(text + _emergency_numbers(ctx, tr), column(buttons))


def _emergency_numbers(ctx: Context, tr: Translator) -> str:
    """The emergency numbers of contacts.yaml, one a line, written so they can be dialled."""
    numbers = [contact_line(tr, c) for c in ctx.catalog.contacts_in("emergency")]
    return "\n\n" + "\n".join(numbers) if numbers else ""


def smalltalk(ctx: Context, tr: Translator, text: str) -> Message:
    if smalltalk_kind(text) == "thanks":
        lead = tr.gettext("You are welcome! Write whenever you have a question.")
    else:
        lead = tr.gettext(
            "Hello! I am Jol: I answer migrants' questions about work, documents and rights in "
            "Kazakhstan. Type your question in a few words."
        )
    return main_menu(ctx, tr, lead=lead)


def distress(ctx: Context, tr: Translator, fitting: tuple[str, ...]) -> tuple[Message, str]:
    """The emergency numbers first, then the articles that fit; and what to count it as."""
    emergency = ctx.catalog.articles.get(EMERGENCY_ARTICLE) or next(
        iter(ctx.catalog.articles_in(EMERGENCY_SECTION)), None
    )
    lead = tr.gettext("If you are in danger, call for help now:")
    numbers = _emergency_numbers(ctx, tr)
    if not numbers and emergency is not None:  # no numbers listed: the article's first lines
        text, _ = emergency.text(tr.locale)
        numbers = "\n\n" + preview(text.body, EMERGENCY_CHARS)
    shown = [ctx.catalog.articles[a] for a in fitting if a in ctx.catalog.articles]
    if emergency is not None and emergency not in shown:
        shown.append(emergency)
    buttons = [_open(tr, article) for article in shown[: OTHERS + 1]]
    if ctx.desk is not None:
        buttons.append(talk_button(tr))
    first = shown[0].id if shown else EMERGENCY_ARTICLE
    return Message(lead + numbers, with_navigation(column(buttons), tr)), first


def _centre_button(tr: Translator, centre: Centre) -> Button:
    label = f"{pick(centre.name, tr.locale)[0]} · {tr.gettext(centres.KIND_LABELS[centre.kind])}"
    return Button(label, OpenCentre(centre.id))


def place(ctx: Context, tr: Translator, asked: Understanding) -> list[Message]:
    """The centres asked for; or the city's list when that kind is not listed there; or, with
    no city named, a question for the city or the user's location."""
    kind, city = asked.place_kind, ctx.catalog.cities.get(asked.city or "")
    matching = [
        c
        for c in ctx.catalog.centres.values()
        if c.active
        and (kind is None or c.kind == kind)
        and (city is None or c.city == city.id)
        and (asked.country is None or centre_country(c) == asked.country)
    ]
    matching.sort(key=lambda c: (c.city, c.id))
    if city is not None and kind is None:
        return [replace(centres.city_message(ctx, tr, city), edit=False)]
    if city is None and not (kind == "consulate" and asked.country and matching):
        return [ask_city(ctx, tr, kind)]
    label = tr.gettext(centres.KIND_LABELS[kind]) if kind else ""
    if not matching:
        where = pick(city.name, tr.locale)[0] if city else ""
        text = tr.gettext(
            "We have no «{kind}» listed in {city} yet. Here is what we know there:"
        ).format(kind=label, city=where)
        listing = replace(centres.city_message(ctx, tr, city), edit=False) if city else None
        return [Message(text), listing] if listing else [Message(text)]
    if len(matching) == 1:
        return [replace(centres.card(ctx, tr, matching[0]), edit=False)]
    text = f"<b>{escape(label)}</b>"
    if city is not None:
        text += f" — {escape(pick(city.name, tr.locale)[0])}"
    back = OpenCity(city.id) if city else None
    buttons = column(_centre_button(tr, c) for c in matching)
    return [Message(text, with_navigation(buttons, tr, back=back))]


def ask_city(ctx: Context, tr: Translator, kind: str | None) -> Message:
    """Which city: the cities that have this kind of centre, and the nearest to the user."""
    cities = [
        c
        for c in ctx.catalog.cities_sorted(tr.locale)
        if kind is None or any(centre.kind == kind for centre in ctx.catalog.centres_in(c.id))
    ]
    text = tr.gettext("In which city? Choose one, or send your location to find the nearest.")
    if kind:
        text = f"<b>{escape(tr.gettext(centres.KIND_LABELS[kind]))}</b>\n{text}"
    buttons = [Button("📍 " + tr.gettext("Nearest to me"), FindNearest())]
    buttons += [Button(pick(c.name, tr.locale)[0], OpenCity(c.id)) for c in cities]
    return Message(text, with_navigation(column(buttons), tr))
