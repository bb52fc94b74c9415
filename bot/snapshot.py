"""The content and interface strings being served, swapped whole and only when valid."""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bot.catalog.model import Catalog
from bot.catalog.problems import ContentError, Problem
from bot.core.requests import Context
from bot.search import SearchIndex
from bot.search.apart import BuildFailed

log = logging.getLogger(__name__)


def load_context(
    content_dir: Path, locales_dir: Path, *, search: bool = True, models: Path | None = None
) -> Context:
    """Load and fully validate content and locales; raises `ContentError` with every problem.

    The same check as `jol content check`, so what an editor sees as publishable is exactly
    what the bot accepts. With `search=False` the search index is left for the caller to build
    (`build_search`), e.g. while the bot already answers. `models` is where what builds search
    is kept (`bot.search.apart`). Raises `BuildFailed` if search cannot be built.
    """
    from bot.editors.report import full_check

    report = full_check(content_dir, locales_dir)
    if report.context is None:
        raise ContentError(report.problems)
    context = report.context
    if search:
        # Build the search index now, so the first question after a reload does not wait for it.
        build_search(context, models)
    return context


def build_search(context: Context, models: Path | None = None) -> None:
    """The whole search: `build_keywords`, then `learn_models`. Raises `BuildFailed`."""
    build_keywords(context, models)
    learn_models(context, models)


def build_keywords(context: Context, models: Path | None = None) -> None:
    """The keyword index, built by a child process (or read from `models`) and served as soon
    as it is there, its ranker blind. Raises `BuildFailed`."""
    context.build_search(partial(SearchIndex.keywords, models=models))


def learn_models(context: Context, models: Path | None = None) -> None:
    """The index with its ranker and out-of-scope model learned by a child process (or read
    from `models`), served from then on. Raises `BuildFailed`; the keyword index alone stays
    served."""
    index = context.build_search(partial(SearchIndex.keywords, models=models))
    if not index.ranker.learned:
        context.serve_search(index.learned(context.catalog, models))


@dataclass(frozen=True)
class Published:
    """The result of a reload: on failure the previous snapshot is still served."""

    ok: bool
    context: Context
    problems: list[Problem]


def lost_articles(serving: Catalog, fresh: Catalog, content_dir: Path) -> list[Problem]:
    """A problem if `fresh` lost more than half of the articles `serving` has: most likely a
    folder deleted or moved by mistake, not an edit."""
    before, after = len(serving.articles), len(fresh.articles)
    if after * 2 >= before:
        return []
    gone = sorted(set(serving.articles) - set(fresh.articles))
    shown = ", ".join(gone[:5]) + (", ..." if len(gone) > 5 else "")
    message = (
        f"only {after} of the {before} articles being served are left (gone: {shown}); "
        "if this is meant, publish with /reload force"
    )
    return [Problem(f"{content_dir.name}/articles", None, message, kind="links")]


def content_version(*folders: Path) -> str:
    """A short digest of the files being served, the same on every replica with the same files."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class SnapshotHolder:
    """Holds the current `Context`. Readers take `current` once per update and keep that one."""

    def __init__(
        self,
        context: Context,
        content_dir: Path,
        locales_dir: Path,
        models: Path | None = None,
    ) -> None:
        self._current = context
        self.content_dir = content_dir
        self.locales_dir = locales_dir
        self.models = models
        self._lock = threading.Lock()
        self.version = content_version(content_dir, locales_dir)

    @property
    def current(self) -> Context:
        return self._current

    def reload(self, *, force: bool = False) -> Published:
        """Build a new snapshot from the files; swap it in only if it is valid and, unless
        `force`d, it keeps at least half of the articles being served."""
        with self._lock:
            try:
                version = content_version(self.content_dir, self.locales_dir)
                fresh = load_context(self.content_dir, self.locales_dir, search=False)
                if not force:
                    lost = lost_articles(self._current.catalog, fresh.catalog, self.content_dir)
                    if lost:
                        raise ContentError(lost)
                # Built before it is published, so the first question after it does not wait.
                build_search(fresh, self.models)
            except ContentError as exc:
                log.error("content not published, the previous version stays: %s", exc)
                return Published(False, self._current, exc.problems)
            except BuildFailed as exc:
                log.error(
                    "content not published, the previous version stays: search could not be "
                    "built (%s)",
                    exc.reason,
                )
                problem = Problem(
                    self.content_dir.name,
                    None,
                    f"search could not be built: {exc.reason}",
                    kind="search",
                )
                return Published(False, self._current, [problem])
            self._current, self.version = fresh, version
            log.info("content published: %d articles", len(fresh.catalog.articles))
            return Published(True, fresh, [])
