"""Requests as a user makes them, and ways to read what the core answered."""

from __future__ import annotations

from bot.core import Command, Context, Location, Message, Outcome, Press, Request, Text, handle
from bot.core.actions import Action, encode


def ask(
    ctx: Context, event, locale: str | None = "ru", language_code: str | None = None
) -> Outcome:
    return handle(Request(event, locale=locale, language_code=language_code), ctx)


def command(ctx: Context, name: str, **kwargs) -> Outcome:
    return ask(ctx, Command(name), **kwargs)


def press(ctx: Context, action: Action | str | None, **kwargs) -> Outcome:
    data = action if isinstance(action, str | None) else encode(action)
    return ask(ctx, Press(data), **kwargs)


def type_text(ctx: Context, text: str, **kwargs) -> Outcome:
    return ask(ctx, Text(text), **kwargs)


def share_location(ctx: Context, latitude: float, longitude: float, **kwargs) -> Outcome:
    return ask(ctx, Location(latitude, longitude), **kwargs)


def only_message(outcome: Outcome) -> Message:
    [reply] = outcome.replies
    assert isinstance(reply, Message)
    return reply


def actions(message: Message) -> list[Action]:
    return [button.action for row in message.buttons for button in row if button.action]


def labels(message: Message) -> list[str]:
    return [button.text for row in message.buttons for button in row]
