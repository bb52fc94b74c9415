"""Talking to a person: what the user is told before, during and after a conversation with
the operators, and the notes operators see in its topic. Plain screens; the relay itself is
`bot.app.handoff`."""

from __future__ import annotations

from bot.core import hours, menu
from bot.core.actions import EndTalk
from bot.core.replies import Button, Message, Outcome, Talk
from bot.core.requests import Context, Desk
from bot.i18n import Translator

EMERGENCY_NUMBERS = "112"  # from content/articles/emergency-numbers


def end_button(tr: Translator) -> Button:
    return Button("✖️ " + tr.gettext("End the conversation"), EndTalk())


def _office(tr: Translator, desk: Desk) -> str:
    return tr.ngettext(
        "{organisation} answers here: {hours} ({timezone}), usually within {count} hour.",
        "{organisation} answers here: {hours} ({timezone}), usually within {count} hours.",
        desk.reply_hours,
    ).format(
        organisation=desk.organisation,
        hours=hours.describe(hours.parse_hours(desk.hours), tr.locale),
        timezone=desk.timezone,
        count=desk.reply_hours,
    )


def _closed_now(tr: Translator, desk: Desk) -> str:
    if desk.open_now or desk.next_opening is None:
        return ""
    return tr.gettext(
        "The operators are not at work now. They will read your message from {when}."
    ).format(when=hours.when(desk.next_opening, tr.locale))


def intro_text(tr: Translator, desk: Desk) -> str:
    parts = [
        "<b>💬 " + tr.gettext("Talk to a person") + "</b>",
        _office(tr, desk),
        _closed_now(tr, desk),
        "⚠️ "
        + tr.gettext(
            "The operators will read everything you send here. Do not send passport, permit "
            "or card numbers. Jol does not keep your messages: they stay in the operators' "
            "chat."
        ),
        "🆘 "
        + tr.gettext("If it is urgent or you are in danger, call {number}.").format(
            number=f"<b>{EMERGENCY_NUMBERS}</b>"
        ),
        tr.gettext(
            "Write your message now: text, a photo, a voice message, a document or a location. "
            "/end finishes the conversation."
        ),
    ]
    return "\n\n".join(part for part in parts if part)


def start(ctx: Context, tr: Translator) -> Outcome:
    if ctx.desk is None:
        return Outcome((menu.not_understood(ctx, tr, "command"),))
    intro = Message(intro_text(tr, ctx.desk), ((end_button(tr),),))
    refused = menu.main_menu(
        ctx, tr, lead=tr.gettext("Sorry, you cannot write to the operators at the moment.")
    )
    return Outcome((), talk=Talk("start", (intro,), (refused,)))


def end(ctx: Context, tr: Translator) -> Outcome:
    done = menu.main_menu(
        ctx, tr, lead=tr.gettext("The conversation is over. Jol has not kept your messages.")
    )
    nothing = menu.main_menu(ctx, tr, lead=tr.gettext("You have no open conversation."))
    return Outcome((), talk=Talk("end", (done,), (nothing,)))


# -- what the relay tells the user -------------------------------------------------------------


def delivered(tr: Translator, desk: Desk) -> Message:
    """After the first message of a conversation only, so later ones do not echo."""
    text = tr.gettext("Your message is with the operators.")
    later = _closed_now(tr, desk) or tr.ngettext(
        "They usually answer within {count} hour.",
        "They usually answer within {count} hours.",
        desk.reply_hours,
    ).format(count=desk.reply_hours)
    return Message(f"{text} {later}", ((end_button(tr),),))


def slow_down(tr: Translator) -> Message:
    return Message(tr.gettext("Too many messages at once. Please wait a minute, then go on."))


def not_delivered(tr: Translator) -> Message:
    return Message(
        tr.gettext("Sorry, your message did not reach the operators. Please try again later.")
    )


def closed_by_operators(ctx: Context, tr: Translator) -> Message:
    lead = tr.gettext(
        "The operators have ended the conversation. To write to them again, send /talk."
    )
    return menu.main_menu(ctx, tr, lead=lead)


# -- notes in the operators' topic, in the operators' language ---------------------------------


def topic_name(code: str, locale: str) -> str:
    """What operators see in the topic list: a code and a language, never a name."""
    return f"{code} · {locale}"


def topic_opened(tr: Translator, code: str, language: str, block_days: int) -> str:
    return tr.gettext(
        "Conversation {code}, language: {language}. What you write in this topic reaches the "
        "person as a message from Jol. /close ends the conversation; /block ends it and stops "
        "this person writing for {days} days."
    ).format(code=code, language=language, days=block_days)


def note(tr: Translator, what: str, count: int = 0) -> str:
    counted = {
        "blocked": tr.ngettext(
            "Blocked for {count} day; the conversation is closed.",
            "Blocked for {count} days; the conversation is closed.",
            count,
        ),
        "idle": tr.ngettext(
            "Closed after {count} day without messages.",
            "Closed after {count} days without messages.",
            count,
        ),
        "slow_down": tr.ngettext(
            "Not delivered: at most {count} message a minute reaches the person.",
            "Not delivered: at most {count} messages a minute reach the person.",
            count,
        ),
    }
    if what in counted:
        return counted[what].format(count=count)
    notes = {
        "user_ended": tr.gettext("The person ended the conversation."),
        "forgotten": tr.gettext(
            "The person erased their data with /forget; the conversation is closed."
        ),
        "closed": tr.gettext("Conversation closed."),
        "gone": tr.gettext(
            "The person has blocked the bot, so the reply was not delivered; the conversation "
            "is closed."
        ),
        "not_open": tr.gettext("This conversation is closed: nothing written here is delivered."),
    }
    return notes[what]
