"""The callback codec: ids in, ids out, never over 64 bytes, stale data recognised."""

import pytest

from bot.core.actions import (
    ACTIONS,
    MAX_BYTES,
    Action,
    FindNearest,
    OpenArticle,
    OpenCentre,
    OpenMenu,
    SetLanguage,
    StaleAction,
    decode,
    encode,
)


@pytest.mark.parametrize(
    "action",
    [
        OpenMenu(),
        FindNearest(),
        OpenArticle("work-permit"),
        OpenCentre("almaty-red-crescent"),
        SetLanguage("kk"),
    ],
)
def test_every_action_survives_a_round_trip(action):
    assert decode(encode(action)) == action


def _all_action_types() -> list[type[Action]]:
    found, pending = [], list(Action.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending += cls.__subclasses__()
    return found


def test_every_action_type_is_registered_under_a_distinct_tag():
    # `ACTIONS` is keyed by tag, so two types sharing a tag would silently leave one out:
    # count the types defined, not the keys registered.
    defined = _all_action_types()
    assert sorted(cls.__name__ for cls in ACTIONS.values()) == sorted(c.__name__ for c in defined)
    assert len({cls.tag for cls in defined}) == len(defined)
    assert all(ACTIONS[cls.tag] is cls for cls in defined)


def test_data_over_64_bytes_is_refused_instead_of_truncated():
    with pytest.raises(ValueError, match="64 bytes"):
        encode(OpenArticle("ы" * 40))


def test_the_longest_allowed_id_fits():
    assert len(encode(OpenCentre("x" * 40)).encode()) <= MAX_BYTES


def test_separator_in_an_id_is_refused():
    with pytest.raises(ValueError):
        encode(OpenArticle("a|b"))


@pytest.mark.parametrize(
    "data",
    [
        *(None, "", "0|a|first-steps", "1|zz|x", "hack|x|y", "1|a|", "1|m|extra", "1|a|b|c"),
        "x" * 80,
        # Forged: a lone surrogate cannot be encoded at all.
        *("\ud800", "1|a|\udfff"),
    ],
)
def test_stale_or_forged_data_is_recognised(data):
    with pytest.raises(StaleAction):
        decode(data)
