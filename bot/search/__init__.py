"""Free-text search over the catalog's articles, in four languages and two scripts.

Framework-free, like the core: `SearchIndex.build(catalog)` once per catalog snapshot, then
`search(index, text, locale)` for each question. See README.md, "Typed questions".
"""

from bot.search.index import SearchIndex
from bot.search.rank import Hit, asks_anything, search

__all__ = ["Hit", "SearchIndex", "asks_anything", "search"]
