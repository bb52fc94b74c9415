"""How a section is named on its button and at the top of its screen, the same everywhere."""

from __future__ import annotations

from html import escape

from bot.catalog.model import Section, pick
from bot.core.actions import OpenSection
from bot.core.replies import Button
from bot.core.requests import Context
from bot.i18n import Translator


def label(tr: Translator, section: Section) -> str:
    return f"{section.icon} {pick(section.title, tr.locale)[0]}".strip()


def heading(tr: Translator, section: Section) -> str:
    return f"<b>{escape(label(tr, section))}</b>"


def buttons(ctx: Context, tr: Translator) -> list[Button]:
    """One button per section, in the menu's order."""
    return [Button(label(tr, s), OpenSection(s.id)) for s in ctx.catalog.sections]
