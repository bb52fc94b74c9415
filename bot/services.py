"""What every runtime shares: the served content, storage, and settings. Built once at start."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from bot.config import Settings
from bot.core.requests import Context
from bot.replicas import Replicas
from bot.search.ranker import TrainingFailed, stop_training
from bot.snapshot import SnapshotHolder, build_search, load_context
from bot.startup import check_data_dir, needs_data_dir
from storage import Database, EventRecorder, OptIns, Privacy, Pseudonymiser, UserStore
from storage.conversations import Conversations
from storage.events import DATABASE_ERRORS
from storage.pending import PendingInputs
from storage.reports import OperatorsTopics, Reports
from storage.retention import roll_up, roll_up_daily
from storage.schema import upgrade

log = logging.getLogger(__name__)

# A typed question in the first seconds after start waits this long at most for the learned
# ranker (with a kept model it comes with the keyword index; trained anew, a few seconds
# later); after that, typed questions are answered by the keyword index alone until it comes.
SEARCH_WAIT = 15.0


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
    searching: asyncio.Event = field(default_factory=asyncio.Event)  # set once search is ready
    started: float = field(default_factory=time.monotonic)

    def is_admin(self, telegram_id: int) -> bool:
        return telegram_id in self.settings.admin_ids

    async def search_ready(self) -> None:
        """Until SEARCH_WAIT seconds after start, wait for the start-up's search to be built
        with its learned ranker."""
        left = self.started + SEARCH_WAIT - time.monotonic()
        if self.searching.is_set() or left <= 0:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(left):
                await self.searching.wait()

    async def close(self) -> None:
        for task in self.background:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.background.clear()
        stop_training()  # a ranker still training at start has no one to serve any more
        await self.events.close()  # write what is still queued before the database goes
        await self.db.close()
        await self.replicas.close()


async def _build_search(context: Context, models: Path, ready: asyncio.Event) -> None:
    try:
        await asyncio.to_thread(build_search, context, models)
    except TrainingFailed as exc:
        log.error(
            "search ranker: not trained (%s); typed questions are answered by the keyword "
            "index alone until content is published again",
            exc.reason,
        )
    except Exception as exc:  # then the first question builds it, and says why it cannot
        log.error("search index: building it in the background failed (%s)", type(exc).__name__)
        return
    finally:
        ready.set()
    # Checking the content and building the index leave ~10 MB that only a full collection
    # (which empties the interpreter's free lists) gives back, and that may not come for hours.
    gc.collect()


async def open_services(settings: Settings) -> Services:
    """Load and validate content first, so broken content stops start-up before anything else.

    The search index is built in a thread while the bot starts and answers: only typed
    questions need it. Its ranker is learned in a child process, or read from the data folder
    (`models`) if the same content was learned before; typed questions wait for it a little
    (`search_ready`), then are answered by the keyword index until it comes.
    """
    # Checking the content takes a while: off the event loop.
    context = await asyncio.to_thread(
        load_context, settings.content_dir, settings.locales_dir, search=False
    )
    models = settings.jol_data_dir / "models"
    holder = SnapshotHolder(context, settings.content_dir, settings.locales_dir, models)
    if needs_data_dir(settings):
        check_data_dir(settings.jol_data_dir)
    db = Database(settings.database, timeout=settings.database_timeout)
    await upgrade(db)
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
        asyncio.create_task(_build_search(context, models, services.searching)),
        asyncio.create_task(roll_up_daily(db, **retention)),
    ]
    return services
