"""Typed settings from the environment and an optional `.env` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OFFICIAL_API = "https://api.telegram.org"


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line for the operator."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    bot_token: SecretStr | None = None
    telegram_api_base: str = OFFICIAL_API
    jol_data_dir: Path = Path("data")
    database_url: str | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    log_level: str = "INFO"
    content_dir: Path = Field(default=PROJECT_ROOT / "content", alias="JOL_CONTENT_DIR")
    locales_dir: Path = Field(default=PROJECT_ROOT / "locales", alias="JOL_LOCALES_DIR")
    pseudonym_key: SecretStr | None = Field(default=None, alias="JOL_PSEUDONYM_KEY")
    review_max_days: int = Field(default=365, ge=1, alias="JOL_REVIEW_MAX_DAYS")
    # Monthly active users are counted from raw events, so at least 30 days of them are kept.
    retention_days: int = Field(default=90, ge=30, alias="JOL_RETENTION_DAYS")
    query_retention_days: int = Field(default=30, ge=1, alias="JOL_QUERY_RETENTION_DAYS")
    # Updates handled at once; more wait their turn instead of piling up on the event loop.
    max_concurrent_updates: int = Field(default=64, ge=1, alias="JOL_MAX_CONCURRENT_UPDATES")
    # Longest flood-limit wait (429 retry_after) a Bot API call sits out; beyond it, give up.
    flood_wait_max: float = Field(default=30.0, ge=0, alias="JOL_FLOOD_WAIT_MAX")

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(int(part) for part in value.replace(",", " ").split())
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("telegram_api_base")
    @classmethod
    def _check_base(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

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

    def token(self) -> str:
        if self.bot_token is None or not self.bot_token.get_secret_value().strip():
            raise SettingsError(
                "BOT_TOKEN is not set: put the token from @BotFather in the environment or .env "
                "(or try `jol chat`, which needs no token)"
            )
        return self.bot_token.get_secret_value().strip()


def load_settings(**overrides: object) -> Settings:
    """Settings, or `SettingsError` naming the first bad variable in one line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        raise SettingsError(f"{name}: {error['msg']}") from None
