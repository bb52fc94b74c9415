"""`/forget`: what Jol keeps about the user, and erasing it once they confirm."""

from __future__ import annotations

from bot.core import menu
from bot.core.actions import CancelForget, ConfirmForget, StaleAction, decode
from bot.core.centres import cancel_label
from bot.core.disclosure import holdings, never_kept
from bot.core.replies import Button, Erase, Message, Outcome
from bot.core.requests import Command, Context, Event, Kept, Press
from bot.i18n import Translator


def wants_record(event: Event) -> bool:
    """Whether answering this needs what is kept about the user (`Request.kept`)."""
    return isinstance(event, Command) and event.name == "forget"


def concerns(event: Event) -> bool:
    """`/forget` and its buttons: answered even before a language is chosen, and never the
    occasion to save one."""
    if isinstance(event, Press):
        try:
            return isinstance(decode(event.data), ConfirmForget | CancelForget)
        except StaleAction:
            return False
    return wants_record(event)


def _kept_lines(tr: Translator, kept: Kept) -> list[str]:
    lines = [tr.gettext("What Jol keeps about you:")]
    lines.append(
        "• " + tr.gettext("a code made from your Telegram account, not the account itself")
    )
    if kept.locale:
        language = tr.language_name(kept.locale)
        lines.append("• " + tr.gettext("your language: {language}").format(language=language))
    if kept.first_seen and kept.last_seen:
        lines.append(
            "• "
            + tr.gettext("first visit: {first}; last visit: {last}").format(
                first=tr.date(kept.first_seen), last=tr.date(kept.last_seen)
            )
        )
    lines.append(
        "• "
        + tr.ngettext(
            "{count} record of what you opened (never what you typed)",
            "{count} records of what you opened (never what you typed)",
            kept.events,
        ).format(count=kept.events)
    )
    if kept.opted_in:
        lines.append("• " + tr.gettext("your request to receive messages from Jol"))
    if kept.talking:
        lines.append("• " + tr.gettext("your open conversation with the operators"))
    if kept.reporting:
        lines.append("• " + tr.gettext("that you are writing a problem report"))
    return lines


def forget_screen(ctx: Context, tr: Translator, kept: Kept | None) -> Outcome:
    if kept is None:
        lead = tr.gettext("I cannot open the records right now. Please try /forget again later.")
        return Outcome((menu.main_menu(ctx, tr, lead=lead),))
    if kept.empty:
        lead = "\n\n".join(
            [
                tr.gettext("Jol keeps nothing about you."),
                holdings(tr, ctx.retention),
                never_kept(tr),
            ]
        )
        return Outcome((menu.main_menu(ctx, tr, lead=lead),))
    text = "\n".join(
        [
            *_kept_lines(tr, kept),
            "",
            holdings(tr, ctx.retention),
            "",
            never_kept(tr),
            "",
            "<b>" + tr.gettext("Erase everything Jol keeps about you?") + "</b>",
        ]
    )
    buttons = (
        (Button("🗑 " + tr.gettext("Erase everything"), ConfirmForget()),),
        (Button(cancel_label(tr), CancelForget()),),
    )
    return Outcome((Message(text, buttons),))


def erase(ctx: Context, tr: Translator) -> Outcome:
    done = tr.gettext("Done: everything Jol kept about you is erased.")
    failed = tr.gettext("Sorry, I could not erase it right now. Please try /forget again later.")
    return Outcome(
        (),
        erase=Erase(
            done=(menu.main_menu(ctx, tr, edit=True, lead=done),),
            failed=(menu.main_menu(ctx, tr, edit=True, lead=failed),),
        ),
    )


def cancelled(ctx: Context, tr: Translator) -> Outcome:
    lead = tr.gettext("Nothing was erased.")
    return Outcome((menu.main_menu(ctx, tr, edit=True, lead=lead),))
