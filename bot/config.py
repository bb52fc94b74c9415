"""Typed settings from the environment and an optional `.env` file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import quote, urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OFFICIAL_API = "https://api.telegram.org"
TOKEN_FORMAT = re.compile(r"\d{3,}:[A-Za-z0-9_-]{10,}")
MIN_PSEUDONYM_KEY = 16  # characters
# The schemes DATABASE_URL may use, as operators write them.
DATABASE_SCHEMES = ("sqlite", "sqlite+aiosqlite", "postgres", "postgresql", "postgresql+asyncpg")


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


SECRETS_DIR = Path("/run/secrets")  # Docker secrets: one file per setting, e.g. bot_token


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
        # Read only where it exists, so a machine without Docker secrets needs nothing.
        secrets_dir=SECRETS_DIR if SECRETS_DIR.is_dir() else None,
    )

    bot_token: SecretStr | None = None
    telegram_api_base: str = OFFICIAL_API
    jol_data_dir: Path = Path("data")
    database_url: str | None = None
    # How long a reply may wait for the database (connect, pool, lock, each read or write).
    database_timeout: float = Field(default=1.0, gt=0, le=60, alias="JOL_DATABASE_TIMEOUT")
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: str = "INFO"
    content_dir: Path = Field(default=PROJECT_ROOT / "content", alias="JOL_CONTENT_DIR")
    locales_dir: Path = Field(default=PROJECT_ROOT / "locales", alias="JOL_LOCALES_DIR")
    pseudonym_key: SecretStr | None = Field(default=None, alias="JOL_PSEUDONYM_KEY")
    review_max_days: int = Field(default=365, ge=1, alias="JOL_REVIEW_MAX_DAYS")
    # Monthly active users are counted from raw events, so at least 30 days of them are kept.
    retention_days: int = Field(default=90, ge=30, alias="JOL_RETENTION_DAYS")
    query_retention_days: int = Field(default=30, ge=1, alias="JOL_QUERY_RETENTION_DAYS")
    # Talking to a person: off unless the operators' forum group is set.
    operators_chat_id: int | None = None
    handoff_organisation: str = "Jol"
    handoff_hours: str = "Mon-Fri 09:00-18:00"
    handoff_timezone: str = "Asia/Almaty"
    handoff_reply_hours: int = Field(default=4, ge=1, le=168)
    handoff_idle_days: int = Field(default=7, ge=1, le=90)
    handoff_block_days: int = Field(default=30, ge=1, le=365)
    handoff_user_rate: int = Field(default=10, ge=1)  # messages a minute, per conversation
    handoff_operator_rate: int = Field(default=30, ge=1)
    handoff_operators_locale: str = "ru"  # the language of notes in the operators' topics
    # Tests only: the hand-off's clock (office hours), as an ISO date-time.
    handoff_now: dt.datetime | None = Field(default=None, alias="JOL_HANDOFF_NOW")
    # Updates handled at once; more wait their turn instead of piling up on the event loop.
    max_concurrent_updates: int = Field(default=64, ge=1, alias="JOL_MAX_CONCURRENT_UPDATES")
    # Longest flood-limit wait (429 retry_after) a Bot API call sits out; beyond it, give up.
    flood_wait_max: float = Field(default=30.0, ge=0, alias="JOL_FLOOD_WAIT_MAX")
    # Which Telegram framework runs the bot; both behave the same (see README, "Runtimes").
    runtime: Literal["aiogram", "ptb"] = Field(default="aiogram", alias="JOL_RUNTIME")
    # Webhook mode (`jol run --webhook`); see README, "Running the scaled stack".
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "0.0.0.0:8080"
    webhook_path: str = "/telegram"
    # Polling mode: where `jol health` finds /healthz and /metrics; empty: no listener.
    health_listen: str | None = Field(default=None, alias="JOL_HEALTH_LISTEN")
    # Replicas share de-duplication, publishing and erasures through Redis.
    redis_url: SecretStr | None = None
    redis_prefix: str = Field(default="jol:", alias="JOL_REDIS_PREFIX")
    # Seconds an update stays claimed by the replica handling it; a replica that dies holding
    # it delays Telegram's next delivery by at most this long.
    claim_seconds: float = Field(default=30.0, gt=0, alias="JOL_CLAIM_SECONDS")
    # Messages a second, all replicas together, that may travel in webhook answers, whose
    # failure Telegram never tells (its limit is about 30 a second per bot); 0: never.
    response_rate: int = Field(default=20, ge=0, alias="JOL_RESPONSE_RATE")

    @field_validator("webhook_listen", "health_listen")
    @classmethod
    def _check_listen(cls, value: str | None) -> str | None:
        if not value:
            return None
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be host:port, e.g. 0.0.0.0:8080")
        return value

    @field_validator("webhook_path")
    @classmethod
    def _check_path(cls, value: str) -> str:
        if not value.startswith("/") or value in ("/healthz", "/metrics"):
            raise ValueError("must start with / and not be /healthz or /metrics")
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(",", " ").split())
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("handoff_hours")
    @classmethod
    def _check_hours(cls, value: str) -> str:
        from bot.core.hours import parse_hours

        parse_hours(value)  # raises ValueError with what is wrong
        return value

    @field_validator("handoff_timezone")
    @classmethod
    def _check_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @property
    def handoff_enabled(self) -> bool:
        return self.operators_chat_id is not None

    @field_validator("telegram_api_base")
    @classmethod
    def _check_base(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator(
        "pseudonym_key",
        "webhook_secret",
        "webhook_url",
        "redis_url",
        "operators_chat_id",
        "handoff_now",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        # `.env.example` ships these as `NAME=` lines: empty means not given (for
        # OPERATORS_CHAT_ID: no operators' group).
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return value

    @field_validator("pseudonym_key")
    @classmethod
    def _check_pseudonym_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value():
            return None  # left empty (as in .env.example): a key is generated in JOL_DATA_DIR
        if value is not None and len(value.get_secret_value().encode()) < MIN_PSEUDONYM_KEY:
            raise ValueError(
                f"must be at least {MIN_PSEUDONYM_KEY} characters (a random string; "
                "e.g. `python3 -c 'import secrets; print(secrets.token_hex(32))'`)"
            )
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        scheme = value.split("://", 1)[0].lower() if "://" in value else ""
        if scheme not in DATABASE_SCHEMES:
            shown = f"scheme {scheme!r}" if scheme else "no scheme"
            raise ValueError(
                f"{shown} is not supported; use sqlite:///path/to/jol.sqlite3 or "
                "postgresql://user:password@host:5432/name"
            )
        return value.strip()

    @field_validator("log_level")
    @classmethod
    def _check_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @property
    def database(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.jol_data_dir / 'jol.sqlite3'}"

    def secrets(self) -> list[str]:
        """Everything that must never reach a log: the token and its secret part, the pseudonym
        key, the webhook secret, the database password."""
        found = []
        if self.bot_token is not None:
            token = self.bot_token.get_secret_value().strip()
            found += [token, token.split(":", 1)[-1]]
        if self.pseudonym_key is not None:
            found.append(self.pseudonym_key.get_secret_value())
        webhook = getattr(self, "webhook_secret", None)
        if webhook:
            found.append(webhook.get_secret_value() if isinstance(webhook, SecretStr) else webhook)
        for url in (self.database_url, self.redis_url and self.redis_url.get_secret_value()):
            if not url:
                continue
            try:
                password = urlsplit(url).password
            except ValueError:
                password = None
            if password:
                found += [password, quote(password, safe="")]
        # Very short values would redact ordinary words; no real secret is that short.
        return [s for s in found if len(s) >= 4]

    @staticmethod
    def address(listen: str) -> tuple[str, int]:
        host, _, port = listen.rpartition(":")
        return host.strip("[]"), int(port)

    def check_shared(self, webhook: bool) -> None:
        """Replicas must hash a person the same way; refuse what would split users' keys."""
        postgres = self.database.startswith("postgres")
        if (webhook or postgres) and self.pseudonym_key is None:
            why = "webhook mode" if webhook else "PostgreSQL"
            raise SettingsError(
                f"JOL_PSEUDONYM_KEY: required with {why}, so that every replica makes the same "
                "pseudonymous keys; set one random string of 16+ characters for all of them"
            )
        if not webhook:
            return
        if not self.webhook_url or not self.webhook_url.startswith(("https://", "http://")):
            raise SettingsError(
                "WEBHOOK_URL: webhook mode needs the public https:// address Telegram posts to"
            )
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", secret):
            raise SettingsError(
                "WEBHOOK_SECRET: webhook mode needs 16-256 characters of A-Z, a-z, 0-9, _ and -"
            )

    def token(self) -> str:
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise SettingsError(
                "BOT_TOKEN is not set: put the token from @BotFather in the environment or .env "
                "(or try `jol chat`, which needs no token)"
            )
        token = self.bot_token.get_secret_value().strip()
        if not TOKEN_FORMAT.fullmatch(token):
            raise SettingsError(
                "BOT_TOKEN is malformed: a token from @BotFather looks like 123456789:AAE... "
                "(digits, a colon, then letters, digits, - and _)"
            )
        return token


def load_settings(**overrides: object) -> Settings:
    """Settings, or `SettingsError` naming the first bad variable in one line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        raise SettingsError(f"{name}: {error['msg']}") from None
