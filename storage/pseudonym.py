"""Pseudonymous user keys: a keyed hash of the Telegram id, so no table holds the id itself."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from storage.files import private_folder

KEY_FILE = "pseudonym.key"


class Pseudonymiser:
    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the pseudonym key must be at least 16 bytes")
        self._key = key

    def key_for(self, telegram_id: int) -> str:
        digest = hmac.new(self._key, str(telegram_id).encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    @classmethod
    def from_setting_or_file(cls, secret: str | None, data_dir: Path) -> Pseudonymiser:
        """The configured key, else one kept in the data folder, made on first start.

        Losing the key only means returning users are seen as new; it never exposes anyone.
        """
        if secret:
            return cls(secret.encode())
        path = data_dir / KEY_FILE
        if not path.exists():
            private_folder(data_dir)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        return cls(path.read_text().strip().encode())
