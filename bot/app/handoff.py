"""The relay behind "talk to a person": which message is copied where, and the state every
replica shares (in the database, never in memory).

A user's message in an open conversation is copied into the conversation's topic of the
operators' forum group, without showing who sent it; an operator's message in the topic is
copied to the user as a message from the bot. `/close` and `/block` in a topic end it. Jol
keeps no message: only the chat id needed to deliver replies, while the conversation is open.

What a runtime provides is a `Relay`: a few neutral calls it turns into Bot API methods.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.app.periods import retention
from bot.app.plan import Output, Plan
from bot.core import handoff as screens
from bot.core import hours
from bot.core.replies import Message
from bot.core.requests import Context, Desk
from bot.i18n import Translator
from bot.services import Services
from storage.events import DATABASE_ERRORS, EventRecord
from storage.models import Conversation

log = logging.getLogger(__name__)

REPORTS_TOPIC = "reports"


class Copied(enum.Enum):
    OK = "ok"
    BLOCKED = "blocked"  # the person blocked the bot: nothing reaches them any more
    FAILED = "failed"


class RelayError(Exception):
    """The operators' group refused (no rights to manage topics, the group is gone...)."""


# What a hand-off step may fail with and still leave the bot answering.
RELAY_FAILURES: tuple[type[Exception], ...] = (*DATABASE_ERRORS, RelayError)


class Relay(Protocol):
    """What a runtime does for the hand-off; every call is one Bot API method."""

    async def create_topic(self, chat_id: int, name: str) -> int:
        """The new topic's thread id; `RelayError` if it cannot be made."""
        ...

    async def close_topic(self, chat_id: int, thread_id: int) -> None: ...

    async def copy(
        self, from_chat: int, message_id: int, to_chat: int, thread_id: int | None
    ) -> Copied: ...

    async def deliver(self, plan: Plan) -> bool:
        """Render a plan; False if its chat has blocked the bot."""
        ...


class Handoff:
    def __init__(self, services: Services) -> None:
        self.services = services
        settings = services.settings
        assert settings.operators_chat_id is not None
        self.chat_id: int = settings.operators_chat_id
        self.settings = settings
        self.zone = ZoneInfo(settings.handoff_timezone)
        self.spans = hours.parse_hours(settings.handoff_hours)
        self.conversations = services.conversations

    # -- the clock and the desk ---------------------------------------------------------------

    def now(self) -> dt.datetime:
        fixed = self.settings.handoff_now
        if fixed is not None:  # tests only
            return fixed if fixed.tzinfo else fixed.replace(tzinfo=self.zone)
        return dt.datetime.now(dt.UTC)

    def desk(self) -> Desk:
        local = self.now().astimezone(self.zone)
        open_now = hours.is_open(self.spans, local)
        offset = local.utcoffset() or dt.timedelta()
        minutes = int(offset.total_seconds()) // 60
        zone = f"UTC{'+' if minutes >= 0 else '-'}{abs(minutes) // 60}"
        if minutes % 60:
            zone += f":{abs(minutes) % 60:02d}"
        return Desk(
            organisation=self.settings.handoff_organisation,
            hours=self.settings.handoff_hours,
            timezone=zone,
            reply_hours=self.settings.handoff_reply_hours,
            open_now=open_now,
            next_opening=None if open_now else hours.next_opening(self.spans, local),
        )

    def _operators_tr(self) -> Translator:
        return self.services.content.current.texts(self.settings.handoff_operators_locale)

    async def _note(self, relay: Relay, thread_id: int, what: str, count: int = 0) -> None:
        text = screens.note(self._operators_tr(), what, count)
        await relay.deliver(Plan(self.chat_id, (Message(text),), thread_id=thread_id))

    def _event(
        self,
        conversation: Conversation,
        kind: str,
        *,
        subject: str | None = None,
        value: str | None = None,
    ) -> None:
        record = EventRecord(
            conversation.user_key, kind, conversation.locale, subject=subject, value=value
        )
        self.services.events.record([record])

    # -- the user's side ----------------------------------------------------------------------

    async def conversation_of(self, user_key: str) -> Conversation | None:
        try:
            return await self.conversations.of_user(user_key)
        except DATABASE_ERRORS as exc:
            log.warning("hand-off: could not read the conversation: %s", type(exc).__name__)
            return None

    async def start(self, user_key: str, chat_id: int, locale: str) -> bool:
        """Open (or keep) the user's conversation; False if they are blocked or it failed."""
        now = self.now()
        try:
            if await self.conversations.blocked(user_key, now):
                return False
            await self.conversations.open(user_key, chat_id, locale, now)
        except DATABASE_ERRORS as exc:
            log.warning("hand-off: could not open a conversation: %s", type(exc).__name__)
            return False
        return True

    async def end(self, relay: Relay, user_key: str, outcome: str = "user") -> bool:
        """End the user's conversation from their side; False if none was open."""
        conversation = await self.conversation_of(user_key)
        if conversation is None:
            return False
        note = "forgotten" if outcome == "forget" else "user_ended"
        await self._close(relay, conversation, outcome, note)
        return True

    async def from_user(
        self,
        relay: Relay,
        conversation: Conversation,
        ctx: Context,
        tr: Translator,
        message_id: int,
    ) -> tuple[Output, ...]:
        """Copy one message of the user into their topic; what to tell them, if anything."""
        now = self.now()
        try:
            count = await self.conversations.count_message(
                conversation.id or 0, now, operator=False
            )
            if count > self.settings.handoff_user_rate:
                return (screens.slow_down(tr),)
            first = conversation.topic_id is None
            topic = conversation.topic_id or await self._topic_for(relay, conversation)
        except RELAY_FAILURES as exc:
            log.warning("hand-off: could not relay a message: %s", type(exc).__name__)
            return (screens.not_delivered(tr),)
        copied = await relay.copy(conversation.chat_id, message_id, self.chat_id, topic)
        if copied is not Copied.OK:
            return (screens.not_delivered(tr),)
        await self.conversations.touch(conversation.id or 0, now, asked=True)
        if first:
            self._event(conversation, "talk_open")
            assert ctx.desk is not None
            return (screens.delivered(tr, ctx.desk),)
        return ()

    async def _topic_for(self, relay: Relay, conversation: Conversation) -> int:
        """The conversation's topic, made now; if another replica made one at the same moment,
        theirs is used and ours closed."""
        name = screens.topic_name(conversation.code, conversation.locale)
        made = await relay.create_topic(self.chat_id, name)
        if not await self.conversations.claim_topic(conversation.id or 0, made):
            await relay.close_topic(self.chat_id, made)
            fresh = await self.conversations.of_user(conversation.user_key)
            if fresh is None or fresh.topic_id is None:
                raise RuntimeError("the conversation closed while its topic was made")
            return fresh.topic_id
        tr = self._operators_tr()
        opened = screens.topic_opened(
            tr,
            conversation.code,
            tr.language_name(conversation.locale),
            self.settings.handoff_block_days,
        )
        await relay.deliver(Plan(self.chat_id, (Message(opened),), thread_id=made))
        return made

    # -- the operators' side ------------------------------------------------------------------

    async def from_operators(
        self, relay: Relay, thread_id: int | None, message_id: int, command: str | None
    ) -> None:
        """An operator's message in the group: a reply to copy, or `/close`, `/block`."""
        if thread_id is None:
            return  # the group's general topic is the operators' own
        if thread_id == await self.services.topics.get(REPORTS_TOPIC):
            return
        conversation = await self.conversations.of_topic(thread_id)
        if conversation is None:
            if command is None:
                await self._note(relay, thread_id, "not_open")
            return
        if command == "close":
            await self._close(relay, conversation, "operator", "closed", tell_user=True)
            return
        if command == "block":
            days = self.settings.handoff_block_days
            await self.conversations.block(
                conversation.user_key, self.now() + dt.timedelta(days=days)
            )
            await self._close(relay, conversation, "blocked", "blocked", tell_user=True, count=days)
            return
        if command is not None:
            return  # another command: the operators' own, never relayed
        now = self.now()
        count = await self.conversations.count_message(conversation.id or 0, now, operator=True)
        if count > self.settings.handoff_operator_rate:
            await self._note(
                relay, thread_id, "slow_down", count=self.settings.handoff_operator_rate
            )
            return
        copied = await relay.copy(self.chat_id, message_id, conversation.chat_id, None)
        if copied is Copied.BLOCKED:
            await self._close(relay, conversation, "gone", "gone")
        elif copied is Copied.OK and await self.conversations.mark_answered(
            conversation.id or 0, now
        ):
            asked = conversation.asked_at or conversation.opened_at
            asked = asked if asked.tzinfo else asked.replace(tzinfo=dt.UTC)
            minutes = max(0, int((now - asked).total_seconds() // 60))
            self._event(conversation, "talk_reply", subject=str(minutes))

    async def _close(
        self,
        relay: Relay,
        conversation: Conversation,
        outcome: str,
        note: str,
        *,
        tell_user: bool = False,
        count: int = 0,
    ) -> None:
        """Delete the conversation (and its chat id), tell the topic, close it; count it."""
        closed = await self.conversations.close(conversation.id or 0)
        if closed is None:
            return  # another replica closed it a moment ago
        self._event(conversation, "talk_close", value=outcome)
        if tell_user:
            ctx = self.services.content.current.configured(self.desk(), retention(self.settings))
            tr = ctx.texts(conversation.locale)
            plan = Plan(conversation.chat_id, (screens.closed_by_operators(ctx, tr),))
            await relay.deliver(plan)
        if conversation.topic_id is not None:
            await self._note(relay, conversation.topic_id, note, count)
            await relay.close_topic(self.chat_id, conversation.topic_id)

    # -- housekeeping -------------------------------------------------------------------------

    async def expire(self, relay: Relay) -> int:
        """Close conversations idle for `HANDOFF_IDLE_DAYS`; drop ended blocks. How many closed."""
        now = self.now()
        days = self.settings.handoff_idle_days
        idle = await self.conversations.idle(now - dt.timedelta(days=days))
        for conversation in idle:
            await self._close(relay, conversation, "idle", "idle", count=days)
        await self.conversations.expire_blocks(now)
        await self.services.pending.expire(now)
        return len(idle)

    # -- reports ------------------------------------------------------------------------------

    async def post_report(self, relay: Relay, text: str) -> None:
        """Post a report into the operators' "Reports" topic, made the first time."""
        thread_id = await self.services.topics.get(REPORTS_TOPIC)
        if thread_id is None:
            name = self._operators_tr().gettext("Reports")
            made = await relay.create_topic(self.chat_id, "🚩 " + name)
            thread_id = await self.services.topics.put(REPORTS_TOPIC, made)
            if thread_id != made:
                await relay.close_topic(self.chat_id, made)
        await relay.deliver(Plan(self.chat_id, (Message(text),), thread_id=thread_id))
