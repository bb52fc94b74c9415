"""The operators' forum group and a bot with the hand-off on, for the end-to-end tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from bot.i18n import Texts
from tests.e2e.fake_telegram import Call
from tests.e2e.harness import LOCALES_DIR, TgUser

OPERATORS = -1009876543210
ORGANISATION = "Migrant Help Desk (test)"
# A Wednesday, 11:00 in Almaty: the desk is open (Mon-Fri 09:00-18:00).
OPEN_HOURS = "2026-12-02T11:00:00+05:00"
# A Saturday evening: closed until Monday 09:00.
SATURDAY_EVENING = "2026-12-05T20:00:00+05:00"

TEXTS = Texts.load(LOCALES_DIR)
OPERATOR = TgUser(900_001, "ru", "Operator")


def handoff_env(now: str = OPEN_HOURS, **extra: str) -> dict[str, str]:
    return {
        "OPERATORS_CHAT_ID": str(OPERATORS),
        "HANDOFF_ORGANISATION": ORGANISATION,
        "HANDOFF_HOURS": "Mon-Fri 09:00-18:00",
        "HANDOFF_TIMEZONE": "Asia/Almaty",
        "JOL_HANDOFF_NOW": now,
        **extra,
    }


def ru(message: str) -> str:
    """The Russian interface string; a message not in the catalogue fails the test."""
    translated = TEXTS("ru").gettext(message)
    assert translated != message, f"not a translated interface string: {message!r}"
    return translated


def in_topic(thread_id: int):
    return lambda c: c.ok and c.params.get("message_thread_id") == thread_id


def copied(call: Call) -> bool:
    return call.ok and call.method == "copyMessage"


def rows(db: Path, table: str) -> list[dict[str, Any]]:
    with sqlite3.connect(db) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(r) for r in connection.execute(f'SELECT * FROM "{table}"')]


def tables_and_columns(db: Path) -> dict[str, list[str]]:
    with sqlite3.connect(db) as connection:
        names = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: [c[1] for c in connection.execute(f'PRAGMA table_info("{name}")')]
            for name in names
        }


def find_everywhere(db: Path, needle: str) -> list[str]:
    """Every table.column whose value, as text, contains `needle`."""
    found = []
    with sqlite3.connect(db) as connection:
        for table, columns in tables_and_columns(db).items():
            for column in columns:
                hit = connection.execute(
                    f'SELECT 1 FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE ?',
                    (f"%{needle}%",),
                ).fetchone()
                if hit:
                    found.append(f"{table}.{column}")
    return found
