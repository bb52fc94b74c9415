"""The main menu, the language picker, help, and the polite answers to what the bot can't read."""

from __future__ import annotations

from bot.core import disclosure, sections
from bot.core.actions import PickLanguage, SetLanguage
from bot.core.keyboards import column, talk_button
from bot.core.replies import Button, Message
from bot.core.requests import Context
from bot.i18n import Translator
from bot.locales import LOCALES, NATIVE_NAMES


def main_menu(ctx: Context, tr: Translator, *, edit: bool = False, lead: str = "") -> Message:
    buttons = sections.buttons(ctx, tr)
    if ctx.desk is not None:
        buttons.append(talk_button(tr))
    buttons.append(Button("🌐 " + tr.gettext("Language"), PickLanguage()))
    text = tr.gettext("Choose a topic:")
    return Message(f"{lead}\n\n{text}" if lead else text, column(buttons), edit=edit)


def language_picker(ctx: Context, *, edit: bool = False) -> Message:
    """Asked in all four languages at once, since we do not know which one the user reads."""
    prompt = "\n".join(ctx.texts(locale).gettext("Choose your language:") for locale in LOCALES)
    buttons = [Button(NATIVE_NAMES[locale], SetLanguage(locale)) for locale in LOCALES]
    return Message(prompt, column(buttons), edit=edit)


def welcome(ctx: Context, tr: Translator) -> Message:
    lead = tr.gettext(
        "Hello! I am Jol, a free information service for labour migrants in Kazakhstan. "
        "I explain your rights, what to prepare before the trip and where to get help. "
        "I do not ask for your name or documents."
    )
    return main_menu(ctx, tr, lead=lead)


def help_message(ctx: Context, tr: Translator) -> Message:
    lead = tr.gettext(
        "How to use Jol:\n"
        "• press the buttons to read about a topic;\n"
        "• or type your question in your own words, and I will find the article that answers it;\n"
        "• /menu opens the main menu at any time;\n"
        "• /language changes the language;\n"
        "• in «Service centres» you can find the nearest office by sharing your location.\n\n"
        "The information here is general. If you are in danger, open «Emergency»."
    )
    parts = [lead]
    if ctx.desk is not None:
        parts.append(tr.gettext("/talk starts a conversation with a person; /end finishes it."))
    parts.append(disclosure.summary(tr, ctx.retention))
    return main_menu(ctx, tr, lead="\n\n".join(parts))


def not_understood(ctx: Context, tr: Translator, kind: str) -> Message:
    if kind == "command":
        lead = tr.gettext("I do not know this command.")
    else:
        lead = tr.gettext("I can only read text and buttons. Please choose a topic below.")
    return main_menu(ctx, tr, lead=lead)


def stale(ctx: Context, tr: Translator) -> Message:
    lead = tr.gettext("This menu is out of date. Here is the current one.")
    return main_menu(ctx, tr, lead=lead, edit=True)
