""" "Report a problem" under every article and centre card: why, and thanks. The report goes to
editors without anything that links it to who sent it."""

from __future__ import annotations

from html import escape

from bot.catalog.model import pick
from bot.core.actions import Action, OpenArticle, OpenCentre, ReportProblem, ReportReason
from bot.core.keyboards import column, with_navigation
from bot.core.replies import Button, Filed, Message, Outcome
from bot.core.requests import Context
from bot.i18n import N_, Translator

KINDS = {"a": "article", "c": "centre"}
REASONS = {
    "n": ("number", N_("The phone number does not answer")),
    "c": ("closed", N_("The place is closed or has moved")),
    "o": ("outdated", N_("The information is outdated")),
    "x": ("other", N_("Something else")),
}
PENDING = "report:"
MAX_DETAILS = 500


def report_button(tr: Translator, kind: str, item: str) -> Button:
    return Button("🚩 " + tr.gettext("Report a problem"), ReportProblem(f"{kind}:{item}"))


def _item(ctx: Context, target: str) -> tuple[str, str, Action] | None:
    """(kind letter, id, the action back to it), or None if it is no longer there."""
    kind, _, item = target.partition(":")
    if kind == "a" and item in ctx.catalog.articles:
        return kind, item, OpenArticle(item)
    if kind == "c" and item in ctx.catalog.centres:
        return kind, item, OpenCentre(item)
    return None


def _title(ctx: Context, tr: Translator, kind: str, item: str) -> str:
    if kind == "a":
        return ctx.catalog.articles[item].text(tr.locale)[0].title
    return pick(ctx.catalog.centres[item].name, tr.locale)[0]


def reasons(ctx: Context, tr: Translator, target: str) -> Outcome | None:
    found = _item(ctx, target)
    if found is None:
        return None
    kind, item, back = found
    text = tr.gettext("What is wrong with «{title}»?").format(
        title=escape(_title(ctx, tr, kind, item))
    )
    buttons = column(
        Button(tr.gettext(label), ReportReason(f"{letter}:{kind}:{item}"))
        for letter, (_, label) in REASONS.items()
    )
    return Outcome((Message(text, with_navigation(buttons, tr, back=back)),))


def reason(ctx: Context, tr: Translator, target: str) -> Outcome | None:
    letter, _, rest = target.partition(":")
    found = _item(ctx, rest)
    if found is None or letter not in REASONS:
        return None
    kind, item, back = found
    if REASONS[letter][0] == "other":
        ask = tr.gettext(
            "Write in a few words what is wrong. Please do not write names, phone numbers or "
            "document numbers."
        )
        return Outcome(
            (Message(ask, with_navigation((), tr, back=back), edit=True),),
            expect=PENDING + f"{kind}:{item}",
        )
    filed = Filed(KINDS[kind], item, REASONS[letter][0])
    return Outcome((_thanks(tr, back),), toast=tr.gettext("Sent to the editors."), report=filed)


def details(ctx: Context, tr: Translator, pending: str, text: str) -> Outcome | None:
    """The user's words for "something else", once they have typed them."""
    found = _item(ctx, pending.removeprefix(PENDING))
    if found is None:
        return None
    kind, item, back = found
    # Cut to what a report holds; the application scrubs it before anything keeps it.
    filed = Filed(KINDS[kind], item, "other", text[:MAX_DETAILS])
    return Outcome((_thanks(tr, back, edit=False),), report=filed, expect="")


def _thanks(tr: Translator, back: Action, *, edit: bool = True) -> Message:
    text = tr.gettext("Thank you! The editors will check it. Your report is not linked to you.")
    return Message(text, with_navigation((), tr, back=back), edit=edit)


def item_file(ctx: Context, item_kind: str, item: str) -> str:
    """Where editors find the item, relative to the content folder."""
    if item_kind == "centre" and item in ctx.catalog.centres:
        return f"centres/{ctx.catalog.centres[item].city}.yaml"
    return f"articles/{item}/"


def operators_note(
    tr: Translator, ctx: Context, report_id: int, filed: Filed, text: str | None, count: int
) -> str:
    """A report as the operators' "Reports" topic shows it."""
    letter = next(k for k, (name, _) in REASONS.items() if name == filed.reason)
    lines = [
        "🚩 "
        + tr.gettext("Report #{id}: {item} ({file})").format(
            id=report_id,
            item=escape(filed.item),
            file=escape(item_file(ctx, filed.item_kind, filed.item)),
        ),
        tr.gettext(REASONS[letter][1]),
    ]
    if text:
        lines.append(f"«{escape(text)}»")
    lines.append(
        tr.ngettext("{count} open report about it", "{count} open reports about it", count).format(
            count=count
        )
    )
    return "\n".join(lines)
