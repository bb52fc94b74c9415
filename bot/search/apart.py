"""Search is built in child processes, and what they make is kept in the data folder.

The keyword index (`python -m bot.search.index`) and the ranker (`python -m bot.search.train`)
are each made by a child process from what the bot sends it on stdin, and sent back on stdout
in a compact form. So the bot never imports scikit-learn, SciPy or numpy's training half, and
none of the build's temporary tables ever lives in the bot's memory, where what stays would lie
scattered among them and keep their memory from being given back (tens of MB on the real
content). What a child made is kept in `models` (the data folder) under a digest of what it was
sent and of the code that made it: a restart, or another replica with the same content, reads
it instead of building it again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

# Training the ranker on the real content takes ~1 s after ~1.5 s of importing scikit-learn,
# on an idle core; ten times the content takes a minute or two on a loaded one.
TIMEOUT = 600.0
# A child builds at a lower priority than the bot, which answers meanwhile; not so low that
# it waits for the machine to be idle (typed questions wait for what it builds).
NICENESS = 5
# What children made, kept in the data folder: the ones served and a few before them (a reload
# that goes back to earlier content finds them still there).
KEEP = 8
# How a child is started: the same interpreter, so the image needs nothing more.
PYTHON = [sys.executable]

T = TypeVar("T")


class BuildFailed(Exception):
    """A child was killed, crashed, ran out of time or answered something unreadable;
    `reason` says which, in words fit for a log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def digest(payload: bytes, sources: Iterable[Path], packages: Iterable[str] = ()) -> str:
    """What decides what a child makes: what it is sent, its code and its libraries' versions."""
    found = hashlib.sha256(payload)
    for source in sources:
        found.update(source.read_bytes())
    for package in packages:
        found.update(f"{package} {metadata.version(package)}".encode())
    return found.hexdigest()[:32]


def built(
    module: str,
    payload: bytes,
    read: Callable[[bytes], T],
    *,
    models: Path | None,
    key: str,
    suffix: str,
) -> T:
    """What `python -m module` makes of `payload`, as `read` reads it (ValueError if it
    cannot): from `models` if kept there under `key`, else made by a child (and kept).
    Raises `BuildFailed`."""
    path = models / f"{key}{suffix}" if models is not None else None
    if path is not None:
        found = _kept(path, read)
        if found is not None:
            return found
    data = run(module, payload)
    try:
        made = read(data)
    except ValueError as exc:
        raise BuildFailed(f"its answer cannot be read: {exc}") from None
    if path is not None:
        _keep(path, data)
    return made


# The children building now, so that a stopping bot does not wait for them.
_RUNNING: set[subprocess.Popen[bytes]] = set()
_RUNNING_LOCK = threading.Lock()


def run(module: str, payload: bytes) -> bytes:
    """Run `python -m module` with `payload` on stdin; what it wrote on stdout."""
    try:
        child = subprocess.Popen(
            [*PYTHON, "-m", module],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as exc:
        raise BuildFailed(f"could not start ({type(exc).__name__})") from None
    with _RUNNING_LOCK:
        _RUNNING.add(child)
    try:
        output, errors = child.communicate(payload, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise BuildFailed(f"nothing within {TIMEOUT:g} s, stopped") from None
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(child)
    if child.returncode < 0:
        raise BuildFailed(f"killed by signal {-child.returncode}")
    if child.returncode > 0:
        # The child's last line names the exception (the content is not private; users' words
        # never reach a child).
        lines = errors.decode(errors="replace").strip().splitlines()
        said = f": {lines[-1][:200]}" if lines else ""
        raise BuildFailed(f"exited with status {child.returncode}{said}")
    return output


def stop() -> None:
    """Kill the children still building: the bot is stopping, and nobody waits for them."""
    with _RUNNING_LOCK:
        for child in _RUNNING:
            child.kill()


def serve(make: Callable[[bytes], bytes]) -> int:
    """A child's whole life: lower its priority, read stdin, write what `make` makes of it."""
    os.nice(NICENESS)  # the bot that started it answers users meanwhile
    sys.stdout.buffer.write(make(sys.stdin.buffer.read()))
    sys.stdout.buffer.flush()
    return 0


def _kept(path: Path, read: Callable[[bytes], T]) -> T | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("search: %s cannot be read (%s)", path.name, type(exc).__name__)
        return None
    try:
        found = read(data)
    except ValueError as exc:
        log.warning("search: %s is broken (%s); building it again", path.name, exc)
        return None
    path.touch()  # the most recently used are kept
    return found


def _keep(path: Path, data: bytes) -> None:
    """Write what a child made where the next start finds it; a data folder that cannot be
    written only costs building it again next time."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        # Private like everything else in the data folder (the bot's user only).
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.parent.chmod(0o700)
        with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
            f.write(data)
        temporary.replace(path)  # whole or not at all, even for a replica reading it now
        kept = [p for p in path.parent.iterdir() if not p.name.startswith(".")]
        for old in sorted(kept, key=lambda p: p.stat().st_mtime)[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("search: %s cannot be kept (%s)", path.name, type(exc).__name__)
        temporary.unlink(missing_ok=True)
