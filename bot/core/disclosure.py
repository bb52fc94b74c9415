"""What Jol tells people it keeps: written from `bot.core.inventory`, for `/forget` and `/help`."""

from __future__ import annotations

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
        template, values = period(holding.kept, retention)
        if holding.erased_by_forget:
            erased = tr.gettext("/forget erases it.")
        elif holding.linked:
            erased = tr.gettext("/forget does not erase it, so a block cannot be undone that way.")
        else:
            erased = tr.gettext("Not linked to you, so /forget cannot find it.")
        lines.append(
            f"• {tr.gettext(holding.what)}: {tr.gettext(template).format(**values)}. {erased}"
        )
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
