"""The command menu Telegram shows next to the input field, per language."""

from __future__ import annotations

from bot.i18n import N_, Translator

COMMANDS = (
    ("start", N_("Start and main menu")),
    ("menu", N_("Main menu")),
    ("language", N_("Change language")),
    ("help", N_("How to use the bot")),
    ("forget", N_("What is kept about me; erase it")),
)


def command_menu(tr: Translator) -> list[tuple[str, str]]:
    return [(name, tr.gettext(description)) for name, description in COMMANDS]
