"""What every runtime shares: the served content, storage, and settings. Built once at start."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.snapshot import SnapshotHolder, load_context
from storage import Database, Pseudonymiser, UserStore


@dataclass
class Services:
    settings: Settings
    content: SnapshotHolder
    db: Database
    users: UserStore
    pseudonyms: Pseudonymiser

    def is_admin(self, telegram_id: int) -> bool:
        return telegram_id in self.settings.admin_ids

    async def close(self) -> None:
        await self.db.close()


async def open_services(settings: Settings) -> Services:
    """Load and validate content first, so broken content stops start-up before anything else."""
    context = load_context(settings.content_dir, settings.locales_dir)
    holder = SnapshotHolder(context, settings.content_dir, settings.locales_dir)
    db = Database(settings.database)
    await db.create_schema()
    secret = settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None
    pseudonyms = Pseudonymiser.from_setting_or_file(secret, settings.jol_data_dir)
    return Services(settings, holder, db, UserStore(db), pseudonyms)
