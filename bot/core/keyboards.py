"""The one place that lays out inline keyboards, so every screen navigates the same way."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.actions import Action, OpenMenu, StartTalk
from bot.core.replies import Button
from bot.i18n import Translator

Rows = tuple[tuple[Button, ...], ...]


def column(buttons: Iterable[Button]) -> Rows:
    """One button a row: long titles stay readable on small phones."""
    return tuple((button,) for button in buttons)


def navigation(tr: Translator, back: Action | None = None) -> tuple[Button, ...]:
    """The Back / Main menu row under every screen but the menu itself."""
    row = []
    if back is not None:
        row.append(Button(tr.gettext("« Back"), back))
    row.append(Button(tr.gettext("Main menu"), OpenMenu()))
    return tuple(row)


def with_navigation(rows: Rows, tr: Translator, back: Action | None = None) -> Rows:
    return (*rows, navigation(tr, back))


def talk_button(tr: Translator) -> Button:
    """ "Talk to a person", offered only where the operators' desk is set up."""
    return Button("💬 " + tr.gettext("Talk to a person"), StartTalk())
