"""Which revision of the Russian text a translation follows, so outdated ones can be found."""

from __future__ import annotations

import hashlib

from bot.catalog.model import ArticleText


def revision(text: ArticleText) -> str:
    """A short fingerprint of a text: it changes whenever the title or body changes."""
    return hashlib.sha256(f"{text.title}\n{text.body}".encode()).hexdigest()[:8]
