"""One way to put what a search child made into bytes: a magic word naming the format, the
length of a first part, the first part, then the rest. The keyword index, the ranker's model and
the learned models all travel and are kept this way; a reader that finds anything else raises
ValueError naming what it expected, so a broken file is built again."""

from __future__ import annotations

import json
import struct
from typing import Any

_LENGTH = struct.Struct("<Q")


def frame(magic: bytes, first: bytes, rest: bytes = b"") -> bytes:
    return b"".join([magic, _LENGTH.pack(len(first)), first, rest])


def unframe(magic: bytes, data: bytes, what: str) -> tuple[bytes, bytes]:
    """The first part and the rest of what `frame` wrote with `magic`."""
    start = len(magic) + _LENGTH.size
    if len(data) < start or not data.startswith(magic):
        raise ValueError(f"not {what}")
    (length,) = _LENGTH.unpack_from(data, len(magic))
    if len(data) < start + length:
        raise ValueError(f"{what}, cut")
    return data[start : start + length], data[start + length :]


def header(first: bytes, what: str) -> Any:
    """A first part that is JSON, read; ValueError when it is not."""
    try:
        return json.loads(first)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{what}, broken ({type(exc).__name__})") from None


def encode(found: dict[str, Any]) -> bytes:
    return json.dumps(found, ensure_ascii=False).encode()
