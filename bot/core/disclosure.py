"""What Jol tells people it keeps: written from `bot.core.inventory`, for `/forget` and `/help`."""

from __future__ import annotations

from bot.core import inventory
from bot.core.inventory import HOLDINGS, Retention, period
from bot.i18n import Translator


def never_kept(tr: Translator) -> str:
    return tr.gettext(
        "Jol never keeps your name, phone number or location. What you write to a person is "
        "not kept by Jol: it stays in the operators' chat."
    )


def holdings(tr: Translator, retention: Retention) -> str:
    """Everything the database holds, how long, linked to the person or not, and what
    `/forget` erases: written from `bot.core.inventory`, which a test checks against the
    database itself."""
    lines = ["<b>" + tr.gettext("Everything Jol keeps, and for how long:") + "</b>"]
    for holding in HOLDINGS:
        how_long = _how_long(tr, holding.kept, period(holding.kept, retention) or 0)
        if holding.erased_by_forget:
            erased = tr.gettext("/forget erases it.")
        elif holding.linked:
            erased = tr.gettext("/forget does not erase it, so a block cannot be undone that way.")
        else:
            erased = tr.gettext("Not linked to you, so /forget cannot find it.")
        lines.append(f"• {tr.gettext(holding.what)}: {how_long}. {erased}")
    return "\n".join(lines)


def summary(tr: Translator, retention: Retention) -> str:
    """The privacy part of /help."""
    return "\n".join(
        [
            holdings(tr, retention),
            never_kept(tr),
            tr.gettext("/forget shows what Jol keeps about you and erases it."),
        ]
    )


def _how_long(tr: Translator, kept: str, count: int) -> str:
    if kept == inventory.UNTIL_ERASED:
        return tr.gettext("until you erase it")
    if kept == inventory.FOREVER:
        return tr.gettext("no limit")
    if kept == inventory.IDLE:
        text = tr.ngettext(
            "until the conversation ends, at most {count} day after the last message",
            "until the conversation ends, at most {count} days after the last message",
            count,
        )
    elif kept == inventory.PENDING:
        text = tr.ngettext("{count} minute", "{count} minutes", count)
    else:
        text = tr.ngettext("{count} day", "{count} days", count)
    return text.format(count=count)
