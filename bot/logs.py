"""Logging set-up that can never print a secret or a Telegram id, whatever a library puts in a
message, its arguments, an exception's text or a traceback.

The one handler formats each record completely (traceback included) and only then redacts the
text, so nothing a record carries escapes the redaction.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

REDACTED = "***"
# At DEBUG these print statements with their parameters: pseudonymous keys, query texts,
# chat ids. They stay at WARNING whatever LOG_LEVEL says.
QUIET_LOGGERS = ("sqlalchemy.engine", "sqlalchemy.pool", "aiosqlite", "asyncpg")
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# A bot token wherever it appears, e.g. in a Bot API URL: https://api.telegram.org/bot<token>/...
_TOKEN = re.compile(r"\b\d{3,}:[A-Za-z0-9_-]{20,}")
_TOKEN_IN_URL = re.compile(r"(?<=/bot)[^/\s'\"]+")
# A Telegram id after a word that names one: chat_id=123, "chat 123", user_id: 123, 'id': 123.
_NAMED_ID = re.compile(
    r"(?i)\b((?:chat|user|from|sender|peer)(?:_id)?|id)(['\"]?\s*[=:]?\s*['\"]?\s*)-?\d{5,}"
)
# Any other long integer: Telegram ids are 9 digits and more (groups: -100...). Update ids are
# kept, as the way to find an update again.
_LONG_NUMBER = re.compile(r"(?<![\w.:/-])(?<!update )(?<!update_id=)-?\d{8,}(?![\w.])")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = _TOKEN_IN_URL.sub(REDACTED, text)
    text = _TOKEN.sub(REDACTED, text)
    text = _NAMED_ID.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return _LONG_NUMBER.sub(REDACTED, text)


class RedactingFormatter(logging.Formatter):
    """Formats the whole record (message, arguments, exception, stack), then redacts it."""

    def __init__(self, secrets: Iterable[str] = (), fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        # The formatted traceback is cached on the record; it must not outlive this formatter
        # unredacted.
        record.exc_text = None
        return redact(text, self._secrets)


def setup_logging(level: str, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
