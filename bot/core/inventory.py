"""Everything Jol's database holds, table by table: what it is, whether it is linked to the
person, how long it stays and whether `/forget` erases it.

The privacy texts (`/forget`, `/help`) are written from this list, and a test checks it
against the database after a full conversation (a hand-off and a report included): a table or
column that is not named here fails it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_

# How long, by the name of the setting that decides it (see `Retention`).
UNTIL_ERASED = "until_erased"
RETENTION = "retention_days"
QUERY_RETENTION = "query_retention_days"
IDLE = "idle_days"
BLOCK = "block_days"
PENDING = "pending_minutes"
FOREVER = "forever"


@dataclass(frozen=True)
class Holding:
    table: str
    columns: tuple[str, ...]
    what: str  # for the person, translated where shown
    linked: bool  # by the pseudonymous key: shown on /forget and erased by it
    erased_by_forget: bool
    kept: str  # one of the periods above


@dataclass(frozen=True)
class Retention:
    """The periods the settings give; the defaults are the settings' defaults."""

    retention_days: int = 90
    query_retention_days: int = 30
    idle_days: int = 7
    block_days: int = 30
    pending_minutes: int = 30


HOLDINGS: tuple[Holding, ...] = (
    Holding(
        "user_preference",
        ("user_key", "locale", "first_seen", "last_seen"),
        N_(
            "a code made from your Telegram account (not the account itself), your language, "
            "and the first and last day you used Jol"
        ),
        linked=True,
        erased_by_forget=True,
        kept=UNTIL_ERASED,
    ),
    Holding(
        "event",
        ("id", "at", "day", "user_key", "locale", "kind", "subject", "value", "query"),
        N_("what you opened and which buttons you pressed, with that code, never what you typed"),
        linked=True,
        erased_by_forget=True,
        kept=RETENTION,
    ),
    Holding(
        "opt_in",
        ("user_key", "chat_id", "since"),
        N_("your chat number, only if you asked Jol to send you messages"),
        linked=True,
        erased_by_forget=True,
        kept=UNTIL_ERASED,
    ),
    Holding(
        "conversation",
        (
            "id",
            "code",
            "user_key",
            "chat_id",
            "locale",
            "topic_id",
            "opened_at",
            "asked_at",
            "answered_at",
            "active_at",
            "user_window",
            "user_count",
            "operator_window",
            "operator_count",
        ),
        N_(
            "while you talk to a person: your chat number (to deliver the replies), a short "
            "code the operators see instead of your name, your language and the times of the "
            "messages, not the messages"
        ),
        linked=True,
        erased_by_forget=True,
        kept=IDLE,
    ),
    Holding(
        "pending_input",
        ("user_key", "purpose", "expires_at"),
        N_("that you are writing a problem report"),
        linked=True,
        erased_by_forget=True,
        kept=PENDING,
    ),
    Holding(
        "handoff_block",
        ("blocked_key", "until"),
        N_("if the operators blocked you for abuse: that code and the day the block ends"),
        linked=True,
        erased_by_forget=False,
        kept=BLOCK,
    ),
    Holding(
        "unanswered_query",
        ("id", "day", "locale", "query"),
        N_(
            "questions Jol could not answer, without numbers, links or your own name, but "
            "other names in them cannot always be found and taken out; with no code, so "
            "nobody can tell who asked"
        ),
        linked=False,
        erased_by_forget=False,
        kept=QUERY_RETENTION,
    ),
    Holding(
        "report",
        ("id", "at", "item_kind", "item", "reason", "text", "locale", "resolved_at"),
        N_(
            "problems you report with an article or a centre, with no code, so nobody can "
            "tell who reported"
        ),
        linked=False,
        erased_by_forget=False,
        kept=RETENTION,
    ),
    Holding(
        "daily_count",
        ("day", "kind", "subject", "locale", "value", "events", "users"),
        N_("daily totals, with no code, that cannot be traced back to anyone"),
        linked=False,
        erased_by_forget=False,
        kept=FOREVER,
    ),
)

# Tables about the bot itself, not about people.
SYSTEM_TABLES = {"alembic_version": ("version_num",), "operators_topic": ("name", "thread_id")}


def period(kept: str, retention: Retention) -> int | None:
    """The number of days (or minutes, for `PENDING`) a period lasts; None when unbounded."""
    return {
        RETENTION: retention.retention_days,
        QUERY_RETENTION: retention.query_retention_days,
        IDLE: retention.idle_days,
        BLOCK: retention.block_days,
        PENDING: retention.pending_minutes,
    }.get(kept)
