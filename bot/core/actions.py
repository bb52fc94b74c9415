"""Button actions and the one codec that packs them into Telegram's `callback_data`.

A packed action is `<version>|<tag>|<argument>`: ids, never titles, and never more than 64
bytes of UTF-8. The version changes whenever the layout of actions changes, so that a button
on an old message is recognised as stale instead of being misread.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

VERSION = "1"
MAX_BYTES = 64
SEPARATOR = "|"


class StaleAction(ValueError):
    """The callback data is from an older version of the bot, or was never ours."""


@dataclass(frozen=True)
class Action:
    tag: ClassVar[str]


@dataclass(frozen=True)
class OpenMenu(Action):
    tag: ClassVar[str] = "m"


@dataclass(frozen=True)
class OpenSection(Action):
    tag: ClassVar[str] = "s"
    section: str


@dataclass(frozen=True)
class OpenArticle(Action):
    tag: ClassVar[str] = "a"
    article: str


@dataclass(frozen=True)
class OpenCity(Action):
    tag: ClassVar[str] = "y"
    city: str


@dataclass(frozen=True)
class OpenCentre(Action):
    tag: ClassVar[str] = "c"
    centre: str


@dataclass(frozen=True)
class ShowOnMap(Action):
    tag: ClassVar[str] = "p"
    centre: str


@dataclass(frozen=True)
class FindNearest(Action):
    tag: ClassVar[str] = "n"


@dataclass(frozen=True)
class PickLanguage(Action):
    tag: ClassVar[str] = "l"


@dataclass(frozen=True)
class SetLanguage(Action):
    tag: ClassVar[str] = "L"
    locale: str


@dataclass(frozen=True)
class LikeArticle(Action):
    """Thumbs up under an article."""

    tag: ClassVar[str] = "u"
    article: str


@dataclass(frozen=True)
class DislikeArticle(Action):
    tag: ClassVar[str] = "d"
    article: str


@dataclass(frozen=True)
class ConfirmForget(Action):
    tag: ClassVar[str] = "f"


@dataclass(frozen=True)
class CancelForget(Action):
    tag: ClassVar[str] = "k"


ACTIONS: dict[str, type[Action]] = {
    cls.tag: cls
    for cls in (
        OpenMenu,
        OpenSection,
        OpenArticle,
        OpenCity,
        OpenCentre,
        ShowOnMap,
        FindNearest,
        PickLanguage,
        SetLanguage,
        LikeArticle,
        DislikeArticle,
        ConfirmForget,
        CancelForget,
    )
}


def _argument(action: Action) -> str:
    values = [str(getattr(action, f.name)) for f in fields(action)]
    return values[0] if values else ""


def encode(action: Action) -> str:
    """Pack an action; refuse anything Telegram would reject rather than truncate it."""
    argument = _argument(action)
    if SEPARATOR in argument:
        raise ValueError(f"action argument may not contain {SEPARATOR!r}: {argument!r}")
    data = SEPARATOR.join((VERSION, action.tag, argument))
    if len(data.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def decode(data: str | None) -> Action:
    """Unpack callback data, raising `StaleAction` for anything not made by this version."""
    try:
        size = len(data.encode("utf-8")) if data else 0
    except UnicodeEncodeError:  # forged: a lone surrogate is no text this bot ever sent
        raise StaleAction(data) from None
    if data is None or not size or size > MAX_BYTES:
        raise StaleAction(data)
    parts = data.split(SEPARATOR)
    if len(parts) != 3 or parts[0] != VERSION or parts[1] not in ACTIONS:
        raise StaleAction(data)
    cls = ACTIONS[parts[1]]
    names = [f.name for f in fields(cls)]
    if not names:
        if parts[2]:
            raise StaleAction(data)
        return cls()
    if not parts[2]:
        raise StaleAction(data)
    return cls(**{names[0]: parts[2]})
