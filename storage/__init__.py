"""Persistence for Jol over SQLModel: SQLite by default, PostgreSQL via `DATABASE_URL`."""

from storage.db import Database
from storage.pseudonym import Pseudonymiser
from storage.users import UserStore

__all__ = ["Database", "Pseudonymiser", "UserStore"]
