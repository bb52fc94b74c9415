"""One whole turn around the core, the same for every runtime.

Before the core: drop what is not a private chat, make the pseudonymous key, resolve the saved
language (from memory, see `languages`), operator status and, for `/forget`, the user's records.
After it: scrub an unanswered question once, queue the statistics events, erase or save a
language choice. The result is a `Plan` the runtime renders; nothing here knows Telegram.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import replace

from bot.app import operators
from bot.app.handoff import RELAY_FAILURES, Handoff, Relay
from bot.app.incoming import Incoming
from bot.app.languages import UNKNOWN, SavedLanguages
from bot.app.ordering import ChatOrder
from bot.app.periods import retention
from bot.app.plan import NOTHING, Output, Plan
from bot.core import Command, Location, Outcome, Request, Text, Unsupported, handle
from bot.core import reports as report_screens
from bot.core.privacy import wants_record
from bot.core.replies import Event, Filed
from bot.core.requests import Context, Kept
from bot.locales import FALLBACK_LOCALE, supported
from bot.services import Services
from storage.events import DATABASE_ERRORS, EventRecord
from storage.scrub import scrub

log = logging.getLogger(__name__)

OPERATOR_COMMANDS = frozenset({"stats", "reload"})


class App:
    """The application. One per process, shared by every update."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.languages = SavedLanguages(services.users)
        pseudonyms = services.pseudonyms
        # Operators are recognised by key, like everyone else; their ids stay in the settings.
        self._operator_keys = frozenset(pseudonyms.key_for(i) for i in services.settings.admin_ids)
        self.handoff = Handoff(services) if services.settings.handoff_enabled else None
        self.retention = retention(services.settings)
        self.order = ChatOrder()

    def user_key(self, user_id: int) -> str:
        return self.services.pseudonyms.key_for(user_id)

    def is_operator(self, user_key: str) -> bool:
        return user_key in self._operator_keys

    def context(self, relay: Relay | None) -> Context:
        """The snapshot served now, with the operators' desk when a relay can reach them."""
        desk = self.handoff.desk() if self.handoff is not None and relay is not None else None
        return self.services.content.current.configured(desk, self.retention)

    async def handle(self, incoming: Incoming, relay: Relay | None = None) -> Plan:
        """Answer one update. Never raises for the database: a reply always comes.

        `relay` is how this runtime reaches the operators' group; without one, nobody is
        offered a person to talk to."""
        handoff = self.handoff if relay is not None else None
        if not incoming.private:
            # Jol answers people one to one; groups get nothing, not even a read, except the
            # operators' group, whose topics are conversations.
            if handoff is not None and incoming.chat_id == handoff.chat_id:
                await self._from_operators(handoff, relay, incoming)  # type: ignore[arg-type]
            return NOTHING
        user_key = self.user_key(incoming.user_id)
        saved = await self.languages.get(user_key)
        locale = None if saved is UNKNOWN else saved
        event = incoming.event
        if isinstance(event, Command) and event.name in OPERATOR_COMMANDS:
            if self.is_operator(user_key):
                speaks = locale or supported(incoming.language_code) or FALLBACK_LOCALE
                return self._plan(incoming, await self._operator(event, speaks))
        ctx = self.context(relay)
        pending = await self._pending(user_key) if isinstance(event, Text) else None
        if handoff is not None and pending is None and _relayable(event) and incoming.message_id:
            conversation = await handoff.conversation_of(user_key)
            if conversation is not None:
                tr = ctx.texts(locale or conversation.locale)
                outputs = await handoff.from_user(
                    relay,  # type: ignore[arg-type]
                    conversation,
                    ctx,
                    tr,
                    incoming.message_id,
                )
                return self._plan(incoming, outputs)
        kept = await self._kept(user_key) if wants_record(event) else None
        request = Request(
            event,
            locale,
            incoming.language_code,
            kept,
            adopt_language=saved is not UNKNOWN,
            pending=pending,
        )
        if isinstance(event, Text):
            await self.services.search_ready()  # a question just after start: the ranker
        outcome = handle(request, ctx)
        answering = outcome.locale or locale
        self._record(user_key, answering, outcome.events, incoming.names)
        if outcome.erase is not None:
            if handoff is not None:
                await handoff.end(relay, user_key, "forget")  # type: ignore[arg-type]
            outcome = await self._erase(user_key, outcome)
        elif outcome.locale:
            await self.languages.save(user_key, outcome.locale)
            await self.services.replicas.announce("language", user_key=user_key)
        if outcome.talk is not None:
            outcome = await self._talk(handoff, relay, outcome, user_key, incoming, answering)
        if outcome.report is not None:
            await self._file(relay, outcome.report, answering, incoming.names)
        if outcome.expect:
            await self._expect(user_key, outcome.expect)
        return self._plan(incoming, outcome.replies, outcome.toast)

    async def housekeeping(self, relay: Relay) -> None:
        """Close conversations left idle, end expired blocks and questions (every replica may
        run it: each step is safe to repeat)."""
        if self.handoff is None:
            return
        try:
            closed = await self.handoff.expire(relay)
        except DATABASE_ERRORS as exc:
            log.warning("hand-off: housekeeping failed: %s", type(exc).__name__)
            return
        if closed:
            log.info("hand-off: %d idle conversations closed", closed)

    async def _from_operators(self, handoff: Handoff, relay: Relay, incoming: Incoming) -> None:
        if incoming.message_id is None:
            return
        event = incoming.event
        command = event.name if isinstance(event, Command) else None
        try:
            await handoff.from_operators(relay, incoming.thread_id, incoming.message_id, command)
        except DATABASE_ERRORS as exc:
            log.warning("hand-off: an operator's message was not relayed: %s", type(exc).__name__)

    async def _talk(
        self,
        handoff: Handoff | None,
        relay: Relay | None,
        outcome: Outcome,
        user_key: str,
        incoming: Incoming,
        locale: str | None,
    ) -> Outcome:
        talk = outcome.talk
        assert talk is not None
        done = False
        if handoff is not None and relay is not None:
            if talk.kind == "start":
                done = await handoff.start(user_key, incoming.chat_id, locale or FALLBACK_LOCALE)
            else:
                done = await handoff.end(relay, user_key)
        return replace(outcome, replies=talk.done if done else talk.refused, talk=None)

    async def _file(
        self,
        relay: Relay | None,
        filed: Filed,
        locale: str | None,
        names: tuple[str | None, ...],
    ) -> None:
        """Keep a report for editors (scrubbed, with no user key) and post it to operators."""
        text = scrub(filed.text, names) if filed.text else None
        try:
            row = await self.services.reports.add(
                filed.item_kind, filed.item, filed.reason, locale=locale, text=text
            )
            count = await self.services.reports.open_count(filed.item_kind, filed.item)
            if self.handoff is not None and relay is not None:
                tr = self.services.content.current.texts(
                    self.services.settings.handoff_operators_locale
                )
                note = report_screens.operators_note(
                    tr, self.services.content.current, row.id or 0, filed, text, count
                )
                await self.handoff.post_report(relay, note)
        except RELAY_FAILURES as exc:
            log.warning("a report could not be kept or posted: %s", type(exc).__name__)

    async def _pending(self, user_key: str) -> str | None:
        try:
            return await self.services.pending.take(user_key, _utcnow())
        except DATABASE_ERRORS as exc:
            log.warning("could not read a pending question: %s", type(exc).__name__)
            return None

    async def _expect(self, user_key: str, purpose: str) -> None:
        try:
            await self.services.pending.expect(user_key, purpose, _utcnow())
        except DATABASE_ERRORS as exc:
            log.warning("could not keep a pending question: %s", type(exc).__name__)

    async def publish(self) -> list[Plan]:
        """Publish edited content (`SIGHUP`) and tell every operator in `ADMIN_IDS`."""
        ok, message = await operators.publish(self.services, FALLBACK_LOCALE)
        if ok:
            await self.services.replicas.announce("reload", force=False)
        return [Plan(chat_id, (message,)) for chat_id in sorted(self.services.settings.admin_ids)]

    async def _operator(self, command: Command, speaks: str) -> tuple[Output, ...]:
        if command.name == "stats":
            tr = self.services.content.current.texts(speaks)
            return await operators.stats(self.services, tr, command.args)
        force = command.args.split() == ["force"]
        ok, message = await operators.publish(self.services, speaks, force=force)
        if ok:  # every replica publishes what it has mounted, checked as here
            await self.services.replicas.announce("reload", force=force)
        return (message,)

    async def heard(self, announcement: dict[str, object]) -> None:
        """Act on what another replica announced (see `bot.replicas`)."""
        kind, user_key = announcement.get("kind"), announcement.get("user_key")
        if kind == "reload":
            force = announcement.get("force") is True
            await operators.publish(self.services, FALLBACK_LOCALE, force=force)
        elif kind == "language" and isinstance(user_key, str):
            self.languages.invalidate(user_key)
        elif kind == "forget" and isinstance(user_key, str):
            # Erased here too: this replica may hold the user's events queued, or be writing
            # them right now (the erasure waits for that write, then deletes what it wrote).
            self.languages.invalidate(user_key)
            try:
                await self.services.privacy.erase(user_key)
            except DATABASE_ERRORS as exc:
                removed = self.services.events.discard(user_key)
                log.warning(
                    "could not erase a user's records for another replica (%s); "
                    "%d queued events dropped",
                    type(exc).__name__,
                    removed,
                )

    @staticmethod
    def _plan(incoming: Incoming, outputs: Iterable[Output], toast: str | None = None) -> Plan:
        origin = incoming.origin
        return Plan(
            incoming.chat_id,
            tuple(outputs),
            acknowledge=incoming.press,
            toast=toast,
            edit_target=origin.message_id if origin and origin.is_text else None,
        )

    async def _kept(self, user_key: str) -> Kept | None:
        """What is kept about the user, for them to see; None if it cannot be read now."""
        try:
            record = await self.services.privacy.describe(user_key)
        except DATABASE_ERRORS as exc:
            log.warning("could not read what is kept about a user: %s", type(exc).__name__)
            return None
        return Kept(
            record.locale,
            record.first_seen,
            record.last_seen,
            record.events,
            record.opted_in,
            talking=record.talking,
            reporting=record.reporting,
        )

    def _record(
        self,
        user_key: str,
        locale: str | None,
        events: Iterable[Event],
        names: tuple[str | None, ...],
    ) -> None:
        """Queue the events for statistics; the database is not waited for here.

        An unanswered question is the only text kept, and only scrubbed (here, once), never
        with the asker's own names in it.
        """
        self.services.events.record(
            EventRecord(
                user_key,
                e.kind,
                locale,
                e.subject,
                e.value,
                scrub(e.query, names) if e.query else None,
            )
            for e in events
        )

    async def _erase(self, user_key: str, outcome: Outcome) -> Outcome:
        assert outcome.erase is not None
        replies = outcome.erase.failed
        try:
            await self.services.privacy.erase(user_key)
            replies = outcome.erase.done
        except DATABASE_ERRORS as exc:
            log.warning("could not erase a user's records: %s", type(exc).__name__)
        self.languages.invalidate(user_key)
        await self.services.replicas.announce("forget", user_key=user_key)
        return replace(outcome, replies=replies, erase=None)


def _relayable(event: object) -> bool:
    """What a user sends in a conversation with the operators: everything but commands."""
    return isinstance(event, Text | Location | Unsupported)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
