"""Files and folders only the bot's own user may read: the database and the pseudonym key."""

from __future__ import annotations

import os
from pathlib import Path


def private_folder(path: Path) -> None:
    """Make the folder (and missing parents) readable by this user only."""
    if not path.exists():
        path.mkdir(mode=0o700, parents=True)
        path.chmod(0o700)  # mkdir's mode is narrowed by the umask, never widened


def private_file(path: Path) -> None:
    """Create the file for this user only before anything writes to it; tighten an old one.

    SQLite gives its `-wal` and `-shm` files the database file's permissions.
    """
    private_folder(path.parent)
    # An existing file is never opened here: closing any descriptor of a file drops all of
    # this process's (POSIX) locks on it, SQLite's too, and another process using the database
    # (the migrating child) would then take itself for its last user and reset its journal.
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(descriptor)
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
