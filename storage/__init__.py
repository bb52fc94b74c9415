"""Persistence for Jol over SQLModel: SQLite by default, PostgreSQL via `DATABASE_URL`.

The names below load on first use, so that `storage.scrub` (plain Python) can serve the
framework-free core without pulling in the database layer.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from storage.db import Database
    from storage.events import EventRecorder
    from storage.optins import OptIns
    from storage.privacy import Privacy
    from storage.pseudonym import Pseudonymiser
    from storage.users import UserStore

_EXPORTS = {
    "Database": "storage.db",
    "EventRecorder": "storage.events",
    "OptIns": "storage.optins",
    "Privacy": "storage.privacy",
    "Pseudonymiser": "storage.pseudonym",
    "UserStore": "storage.users",
}

__all__ = ["Database", "EventRecorder", "OptIns", "Privacy", "Pseudonymiser", "UserStore"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'storage' has no attribute {name!r}")
