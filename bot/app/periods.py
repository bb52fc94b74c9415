"""The retention periods the settings give, as the core's privacy texts state them."""

from __future__ import annotations

from bot.config import Settings
from bot.core.inventory import Retention
from storage.pending import LIFETIME


def retention(settings: Settings) -> Retention:
    return Retention(
        retention_days=settings.retention_days,
        query_retention_days=settings.query_retention_days,
        idle_days=settings.handoff_idle_days,
        block_days=settings.handoff_block_days,
        pending_minutes=int(LIFETIME.total_seconds() // 60),
    )
