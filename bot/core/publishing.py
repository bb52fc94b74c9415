"""What an operator is told after asking the bot to publish edited content."""

from __future__ import annotations

from html import escape

from bot.catalog.model import Catalog
from bot.catalog.problems import Problem
from bot.core.replies import Message
from bot.i18n import Translator

SHOWN_PROBLEMS = 10


def publish_message(tr: Translator, ok: bool, catalog: Catalog, problems: list[Problem]) -> Message:
    if ok:
        text = tr.gettext("Published. Articles: {articles}, centres: {centres}.").format(
            articles=len(catalog.articles), centres=len(catalog.centres)
        )
        return Message("✅ " + text)
    errors = [p for p in problems if p.severity == "error"]
    lines = [
        "❌ "
        + tr.gettext("Not published: the bot keeps serving the previous content.")
        + "\n"
        + tr.ngettext(
            "{count} error; the first ones:", "{count} errors; the first ones:", len(errors)
        ).format(count=len(errors))
    ]
    lines += [f"<code>{escape(str(p))}</code>" for p in errors[:SHOWN_PROBLEMS]]
    return Message("\n".join(lines))
