"""What every runtime shares: the served content, storage, and settings. Built once at start."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from bot.config import Settings
from bot.core.requests import Context
from bot.replicas import Replicas
from bot.search import apart
from bot.snapshot import SnapshotHolder, build_keywords, learn_models, load_context
from bot.startup import start_migration
from storage import Database, EventRecorder, OptIns, Privacy, Pseudonymiser, UserStore
from storage.conversations import Conversations
from storage.events import DATABASE_ERRORS
from storage.migration import Migration
from storage.pending import PendingInputs
from storage.reports import OperatorsTopics, Reports
from storage.retention import roll_up, roll_up_daily

log = logging.getLogger(__name__)

# A typed question that comes while the start-up's search is being built waits this long at
# most for the learned models (kept in the data folder, they come a second or so after start;
# trained anew, a few seconds later, or tens of seconds on a machine busy with other work);
# past that it is answered by the keyword index alone.
SEARCH_WAIT = 30.0


class Retention(TypedDict):
    """How long records are kept, as `roll_up` and `roll_up_daily` take it."""

    keep_days: int
    query_days: int
    idle_days: int


@dataclass
class Services:
    settings: Settings
    content: SnapshotHolder
    db: Database
    users: UserStore
    pseudonyms: Pseudonymiser
    events: EventRecorder
    privacy: Privacy
    optins: OptIns
    conversations: Conversations
    reports: Reports
    topics: OperatorsTopics
    pending: PendingInputs
    replicas: Replicas = field(default_factory=lambda: Replicas(None))
    background: list[asyncio.Task[None]] = field(default_factory=list)
    # Set once the start-up's keyword index, then its learned ranker, are built (or failed).
    indexed: asyncio.Event = field(default_factory=asyncio.Event)
    learned: asyncio.Event = field(default_factory=asyncio.Event)

    def is_admin(self, telegram_id: int) -> bool:
        return telegram_id in self.settings.admin_ids

    async def search_ready(self) -> None:
        """Wait for the start-up's search: the learned models SEARCH_WAIT seconds at most, the
        keyword index (which comes first) however long it takes."""
        if not self.learned.is_set():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SEARCH_WAIT):
                    await self.learned.wait()
        await self.indexed.wait()

    async def close(self) -> None:
        for task in self.background:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.background.clear()
        apart.stop()  # search still being built at start has no one to serve any more
        await self.events.close()  # write what is still queued before the database goes
        await self.db.close()
        await self.replicas.close()


async def _build_search(context: Context, models: Path, services: Services) -> None:
    try:
        await asyncio.to_thread(build_keywords, context, models)
    except Exception as exc:  # then the first question builds it, and says why it cannot
        log.error("search index: not built (%s)", type(exc).__name__)
    finally:
        services.indexed.set()
    try:
        await asyncio.to_thread(learn_models, context, models)
    except apart.BuildFailed as exc:
        log.error(
            "search: the learned models are not there (%s); typed questions are answered by "
            "the keyword index alone until content is published again",
            exc.reason,
        )
    except Exception as exc:
        log.error("search: the learned models are not there (%s)", type(exc).__name__)
    finally:
        services.learned.set()
    release_memory()


def release_memory() -> None:
    """Give back what start-up no longer holds: a full collection empties the interpreter's
    free lists (~10 MB that may not come back for hours otherwise), and glibc returns the free
    pages of its heaps (3-7 MB more)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to ask
        ctypes.CDLL(None).malloc_trim(0)


async def open_services(settings: Settings, migration: Migration | None = None) -> Services:
    """Load and validate content (while the database is migrated: `migration`, or one started
    here), so broken content stops start-up before the bot answers anyone.

    Search is built while the bot starts and answers, by child processes (`bot.search.apart`),
    or read from the data folder (`models`) if the same content was built before: the keyword
    index in a second or so, then the learned models. Typed questions wait for them a little
    (`search_ready`), then are answered by the keyword index alone until they come.
    """
    migration = migration or start_migration(settings)
    db = Database(settings.database, timeout=settings.database_timeout)
    try:
        # Checking the content takes a while: off the event loop.
        context = await asyncio.to_thread(
            load_context, settings.content_dir, settings.locales_dir, search=False
        )
    except BaseException:
        with contextlib.suppress(Exception):
            await migration.done(db)  # a migration under way is left to finish, never cut short
        await db.close()
        raise
    models = settings.jol_data_dir / "models"
    holder = SnapshotHolder(context, settings.content_dir, settings.locales_dir, models)
    try:
        await migration.done(db)
    except BaseException:
        await db.close()
        raise
    retention: Retention = {
        "keep_days": settings.retention_days,
        "query_days": settings.query_retention_days,
        "idle_days": settings.handoff_idle_days,
    }
    try:
        await roll_up(db, **retention)
    except DATABASE_ERRORS as exc:
        log.warning("retention: roll-up at start failed (%s)", type(exc).__name__)
    secret = settings.pseudonym_key.get_secret_value() if settings.pseudonym_key else None
    pseudonyms = Pseudonymiser.from_setting_or_file(secret, settings.jol_data_dir)
    events = EventRecorder(db)
    events.start()
    replicas = Replicas.from_url(
        settings.redis_url.get_secret_value() if settings.redis_url else None,
        prefix=settings.redis_prefix,
        claim_seconds=settings.claim_seconds,
    )
    services = Services(
        settings,
        holder,
        db,
        UserStore(db),
        pseudonyms,
        events,
        Privacy(db, events),
        OptIns(db),
        Conversations(db),
        Reports(db),
        OperatorsTopics(db),
        PendingInputs(db),
        replicas,
    )
    services.background += [
        asyncio.create_task(_build_search(context, models, services)),
        asyncio.create_task(roll_up_daily(db, **retention)),
    ]
    return services
