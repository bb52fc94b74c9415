"""Sections of articles and the articles themselves."""

from __future__ import annotations

from html import escape

from bot.catalog.model import Article, Section, reader_details
from bot.core import sections
from bot.core.actions import DislikeArticle, LikeArticle, OpenArticle, OpenSection
from bot.core.centres import contact_line
from bot.core.keyboards import column, talk_button, with_navigation
from bot.core.replies import Button, Message
from bot.core.reports import report_button
from bot.core.requests import Context
from bot.i18n import Translator

EMERGENCY_SECTION = "emergency"


def section_message(ctx: Context, tr: Translator, section: Section) -> Message:
    articles = ctx.catalog.articles_in(section.id)
    title = sections.heading(tr, section)
    if not articles:
        text = f"{title}\n\n" + tr.gettext("Nothing here yet.")
    else:
        count = tr.ngettext("{count} article", "{count} articles", len(articles)).format(
            count=len(articles)
        )
        text = f"{title}\n{count}"
    # Numbers the section puts first (the emergency section: 112, 102, 103, 101), tappable.
    numbers = [ctx.catalog.contacts[i] for i in section.contacts if i in ctx.catalog.contacts]
    if numbers:
        text += "\n\n" + "\n".join(contact_line(tr, c) for c in numbers)
    buttons = column(Button(a.text(tr.locale)[0].title, OpenArticle(a.id)) for a in articles)
    return Message(text, with_navigation(buttons, tr), edit=True)


def _sources_line(tr: Translator, article: Article) -> str:
    names = "; ".join(
        f'<a href="{escape(s.url, quote=True)}">{escape(s.shown(tr.locale))}</a>'
        if s.url
        else escape(s.shown(tr.locale))
        for s in article.sources
    )
    label = tr.gettext("Sources:")
    checked = tr.gettext("Checked: {date}").format(date=tr.date(article.reviewed))
    return f"<i>{label} {names}\n{checked}</i>"


def article_text(tr: Translator, article: Article) -> str:
    """The article as the user reads it: title, body, then where it comes from and when."""
    text, fallback = article.text(tr.locale)
    parts = [f"<b>{escape(text.title)}</b>"]
    if fallback:
        parts.append(
            "<i>" + tr.gettext("Not yet translated into your language; shown in Russian.") + "</i>"
        )
    parts.append(text.body)
    # Only what is still unsure is flagged, each detail by name; confirmed facts carry nothing.
    details = reader_details(article.verify, tr.locale)
    if details:
        parts.append("\n".join("⚠️ " + escape(detail) for detail in details))
    parts.append(_sources_line(tr, article))
    return "\n\n".join(parts)


def feedback_row(tr: Translator, article: Article) -> tuple[Button, ...]:
    return (
        Button("👍 " + tr.gettext("Helpful"), LikeArticle(article.id)),
        Button("👎 " + tr.gettext("Not helpful"), DislikeArticle(article.id)),
    )


def article_message(ctx: Context, tr: Translator, article: Article) -> Message:
    related = [ctx.catalog.articles[i] for i in article.related if i in ctx.catalog.articles]
    links = column(Button("→ " + r.text(tr.locale)[0].title, OpenArticle(r.id)) for r in related)
    extra = [report_button(tr, "a", article.id)]
    if ctx.desk is not None and article.section == EMERGENCY_SECTION:
        extra.insert(0, talk_button(tr))
    buttons = (*links, feedback_row(tr, article), *column(extra))
    return Message(
        article_text(tr, article),
        with_navigation(buttons, tr, back=OpenSection(article.section)),
        edit=True,
    )
