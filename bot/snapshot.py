"""The content and interface strings being served, swapped whole and only when valid."""

from __future__ import annotations

from pathlib import Path

from bot.catalog import loader
from bot.core.requests import Context
from bot.i18n import Texts


def load_context(content_dir: Path, locales_dir: Path) -> Context:
    """Load and validate everything; raises `ContentError` (or `OSError`) without side effects.

    The search index is built here too, so that neither the first question after start-up
    nor the first after a reload waits for it.
    """
    context = Context(catalog=loader.load(content_dir), texts=Texts.load(locales_dir))
    context.search  # noqa: B018
    return context


class SnapshotHolder:
    """Holds the current `Context`. Readers take `current` once per update and keep that one."""

    def __init__(self, context: Context, content_dir: Path, locales_dir: Path) -> None:
        self._current = context
        self.content_dir = content_dir
        self.locales_dir = locales_dir

    @property
    def current(self) -> Context:
        return self._current

    def reload(self) -> Context:
        """Build a new snapshot; replace the served one only if it is valid, else raise."""
        fresh = load_context(self.content_dir, self.locales_dir)
        self._current = fresh
        return fresh
