"""Typed questions: the article that answers best, or an honest "I did not find it"."""

from __future__ import annotations

from html import escape

from bot.catalog.model import Article
from bot.catalog.telegram_html import plain_text
from bot.core import sections
from bot.core.actions import OpenArticle
from bot.core.articles import EMERGENCY_SECTION
from bot.core.centres import contact_line
from bot.core.keyboards import column, talk_button, with_navigation
from bot.core.menu import main_menu
from bot.core.replies import Button, Event, Message, Outcome
from bot.core.requests import Context
from bot.i18n import Translator
from bot.search import asks_anything, search
from bot.search.rank import MAX_QUERY_CHARS

# How much of the best article the answer shows, and how many others it offers.
PREVIEW_CHARS = 220
OTHERS = 3


def answer(ctx: Context, tr: Translator, text: str) -> Outcome:
    if not asks_anything(text):
        # A greeting or an emoji is not a question nobody could answer: no need to count it.
        lead = tr.gettext("Type your question in a few words.")
        return Outcome((main_menu(ctx, tr, lead=lead),))
    hits = search(ctx.search, text, tr.locale, limit=1 + OTHERS)
    if not hits:
        # Only what search read; the application scrubs it, once, before anything keeps it.
        query = text[:MAX_QUERY_CHARS]
        return Outcome((not_found(ctx, tr),), events=(Event("search_miss", query=query),))
    best, *others = (ctx.catalog.articles[hit.article] for hit in hits)
    return Outcome((found(tr, best, others),), events=(Event("search_hit", subject=best.id),))


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


def found(tr: Translator, best: Article, others: list[Article]) -> Message:
    text, _ = best.text(tr.locale)
    body = "\n\n".join(
        (
            tr.gettext("This may answer your question:"),
            f"<b>{escape(text.title)}</b>\n{preview(text.body)}",
        )
    )
    buttons = [Button("📖 " + tr.gettext("Read the article"), OpenArticle(best.id))]
    buttons += [Button("→ " + a.text(tr.locale)[0].title, OpenArticle(a.id)) for a in others]
    return Message(body, with_navigation(column(buttons), tr))


def not_found(ctx: Context, tr: Translator) -> Message:
    """The main sections and the first emergency article, so nobody is left with nothing."""
    buttons = sections.buttons(ctx, tr)
    emergency = ctx.catalog.articles_in(EMERGENCY_SECTION)[:1]
    buttons += [Button("→ " + a.text(tr.locale)[0].title, OpenArticle(a.id)) for a in emergency]
    if ctx.desk is not None:
        buttons.append(talk_button(tr))
    text = tr.gettext(
        "I did not find an answer to that. Try other words, or choose a topic below. "
        "If you are in danger, open «Emergency»."
    )
    numbers = [contact_line(tr, c) for c in ctx.catalog.contacts_in("emergency")]
    if numbers:
        text += "\n\n" + "\n".join(numbers)
    return Message(text, column(buttons))
