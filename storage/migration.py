"""The database brought to the newest schema by a child process (`python -m storage.schema`),
so that the bot never imports Alembic and the migrations (~12 MB it would keep for nothing).

`Migration` starts the child at once and is awaited when the database is needed: `jol run`
starts it before loading the bot's frameworks, so on a second core it is done by then. At the
newest revision already (every start but the first after a new migration), the child only asks
the database which revision it is at. A SQLite database that does not exist yet (or one in
memory) needs no child: the bot makes it from the models (`schema.create_new`).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.db import Database

# The child's exit status for a database error (as `jol`'s).
DATABASE_ERROR = 4
# How the child is started: the same interpreter, so the image needs nothing more.
PYTHON = [sys.executable]


def _new_sqlite(url: str) -> bool:
    """A SQLite database in memory, or in a file not made yet (or empty: made, never written).
    Read from the URL as SQLAlchemy has it (`sqlite+aiosqlite:///path`), without SQLAlchemy,
    which is not loaded yet when `jol run` starts migrating."""
    if not url.startswith("sqlite"):
        return False
    path = url.split("://", 1)[-1].split("?", 1)[0].removeprefix("/")
    if path in ("", ":memory:"):
        return True
    return not os.path.exists(path) or os.path.getsize(path) == 0


class Migration:
    def __init__(self, url: str, timeout: float) -> None:
        """Start migrating the database at `url` (unless it is a new SQLite database)."""
        self._child: subprocess.Popen[bytes] | None = None
        if _new_sqlite(url):
            return
        self._child = subprocess.Popen(
            [*PYTHON, "-m", "storage.schema"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # On stdin, not the command line, where anyone on the machine could read a password;
        # a few bytes, which the pipe takes without waiting for the child to read them.
        stdin, self._child.stdin = self._child.stdin, None  # written here, not by communicate()
        assert stdin is not None
        with stdin:
            stdin.write(json.dumps({"url": url, "timeout": timeout}).encode())

    async def done(self, db: Database) -> str | None:
        """The revision `db` is at once migrated. Raises `DatabaseUnavailable` (the child could
        not reach it) or `MigrationFailed` (anything else, in the child's last words)."""
        from storage.db import DatabaseUnavailable
        from storage.schema import MigrationFailed, create_new, upgrade

        if self._child is None:
            # Made here; by someone else meanwhile, so rarely that Alembic may load then.
            return await create_new(db) or await upgrade(db)
        output, errors = await asyncio.to_thread(self._child.communicate)
        if self._child.returncode != 0:
            said = errors.decode(errors="replace").strip().splitlines()
            reason = said[-1][:300] if said else f"exit status {self._child.returncode}"
            if self._child.returncode == DATABASE_ERROR:
                raise DatabaseUnavailable(reason)
            raise MigrationFailed(reason)
        await db.engine.dispose()  # no pooled connection keeps the schema from before
        return output.decode().strip() or None
