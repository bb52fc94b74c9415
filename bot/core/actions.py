"""Button actions and the one codec that packs them into Telegram's `callback_data`.

A packed action is `<version>|<tag>|<argument>`: ids, never titles, and never more than 64
bytes of UTF-8. An action with several fields packs them as `<first>/<second>`. The version
changes whenever the layout of actions changes, so that a button
on an old message is recognised as stale instead of being misread.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import ClassVar

VERSION = "1"
MAX_BYTES = 64
SEPARATOR = "|"
FIELD_SEPARATOR = "/"


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
class ChooseCountry(Action):
    """ "My country's consulate": which country. `near` is a rounded shared location, or ""."""

    tag: ClassVar[str] = "g"
    near: str = ""


@dataclass(frozen=True)
class OpenMissions(Action):
    """A country's embassy and consulates, nearest first when `near` is given."""

    tag: ClassVar[str] = "o"
    country: str
    near: str = ""


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


@dataclass(frozen=True)
class StartTalk(Action):
    """Talk to a person: the operators behind Jol."""

    tag: ClassVar[str] = "t"


@dataclass(frozen=True)
class EndTalk(Action):
    tag: ClassVar[str] = "e"


@dataclass(frozen=True)
class ReportProblem(Action):
    """Opens the reasons to report an item: `target` is `a:<article id>` or `c:<centre id>`."""

    tag: ClassVar[str] = "r"
    target: str


@dataclass(frozen=True)
class ReportReason(Action):
    """`target` is `<reason letter>:<a|c>:<id>`."""

    tag: ClassVar[str] = "R"
    target: str


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
        ChooseCountry,
        OpenMissions,
        PickLanguage,
        SetLanguage,
        LikeArticle,
        DislikeArticle,
        ConfirmForget,
        CancelForget,
        StartTalk,
        EndTalk,
        ReportProblem,
        ReportReason,
    )
}


def _argument(action: Action) -> str:
    values = [str(getattr(action, f.name)) for f in fields(action)]
    if any(FIELD_SEPARATOR in value for value in values[1:]) or (
        len(values) > 1 and FIELD_SEPARATOR in values[0]
    ):
        raise ValueError(f"action fields may not contain {FIELD_SEPARATOR!r}: {values!r}")
    # Trailing empty fields are left out, so one-field actions pack as they always have.
    while len(values) > 1 and values[-1] == "":
        values.pop()
    return FIELD_SEPARATOR.join(values)


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
    declared = fields(cls)
    if not parts[2]:
        if any(f.default is MISSING for f in declared):
            raise StaleAction(data)
        return cls()
    if not declared:
        raise StaleAction(data)
    values = parts[2].split(FIELD_SEPARATOR) if len(declared) > 1 else [parts[2]]
    required = sum(f.default is MISSING for f in declared)
    if not required <= len(values) <= len(declared) or not all(values[:required]):
        raise StaleAction(data)
    return cls(**{f.name: value for f, value in zip(declared, values, strict=False)})
