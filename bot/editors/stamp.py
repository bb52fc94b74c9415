"""Marks a translation as following the current Russian text (`translated_from` in its header)."""

from __future__ import annotations

import re
from pathlib import Path

from bot.catalog.model import Catalog
from bot.catalog.revisions import revision
from bot.locales import FALLBACK_LOCALE

FIELD = re.compile(r"^translated_from:.*$", re.M)


def stamp_file(path: Path, current: str) -> bool:
    """Write `translated_from: <current>` into the file's front matter; True if it changed."""
    text = path.read_text(encoding="utf-8")
    end = text.index("\n---", 3)
    head, rest = text[:end], text[end:]
    line = f'translated_from: "{current}"'
    new_head = FIELD.sub(line, head) if FIELD.search(head) else f"{head}\n{line}"
    if new_head == head:
        return False
    path.write_text(new_head + rest, encoding="utf-8")
    return True


def stamp(catalog: Catalog, content_dir: Path, article_id: str, locales: list[str]) -> list[Path]:
    """Stamp the given translations of one article; returns the files that changed."""
    article = catalog.articles[article_id]
    current = revision(article.texts[FALLBACK_LOCALE])
    changed = []
    for locale in locales:
        if locale == FALLBACK_LOCALE or locale not in article.texts:
            continue
        path = content_dir / "articles" / article_id / f"{locale}.md"
        if stamp_file(path, current):
            changed.append(path)
    return changed
