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
# Only when the operators' desk is set up.
HANDOFF_COMMANDS = (
    ("talk", N_("Talk to a person")),
    ("end", N_("End the conversation with a person")),
)


def command_menu(tr: Translator, *, handoff: bool = False) -> list[tuple[str, str]]:
    listed = (*COMMANDS[:-1], *HANDOFF_COMMANDS, COMMANDS[-1]) if handoff else COMMANDS
    return [(name, tr.gettext(description)) for name, description in listed]
