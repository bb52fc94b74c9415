"""Logging set-up that can never print a secret, whatever a library puts in a message."""

from __future__ import annotations

import logging

REDACTED = "***"
# At DEBUG these print statements with their parameters: pseudonymous keys, query texts,
# chat ids. They stay at WARNING whatever LOG_LEVEL says.
QUIET_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite", "asyncpg")


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            for secret in self._secrets:
                message = message.replace(secret, REDACTED)
            record.msg, record.args = message, None
        return True


def setup_logging(level: str, secrets: list[str] | None = None) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets or []))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
