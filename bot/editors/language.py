"""The termbase and sentence-length checks, run over everything a reader sees.

Articles (title and text, in order), centres (names are button labels; addresses, hours and
details are text), city names, section titles (buttons), contacts and the interface strings
in `locales/` (a short string without a full stop or a colon is a button label).
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

from bot.catalog import termbase
from bot.catalog.model import Catalog, reader_details
from bot.catalog.problems import Problem
from bot.catalog.termbase import Passage
from bot.i18n import po_path
from bot.locales import LOCALES

BUTTON_WORDS = 5
SENTENCE_MARKS = (".", ":", "?", "!", "…")


def catalog_passages(catalog: Catalog) -> list[Passage]:
    found: list[Passage] = []
    for article in catalog.articles.values():
        for locale, text in article.texts.items():
            path, line = catalog.where("text", article.id, locale)
            # The title counts as the first words of the article, two lines above its text.
            whole = f"{text.title}\n\n{text.body}"
            found.append(Passage(path, (line or 3) - 2, locale, whole, "article"))
    for section in catalog.sections:
        found += _labels(catalog, ("section", section.id, "title"), section.title)
    for city in catalog.cities.values():
        found += _labels(catalog, ("city", city.id, "name"), city.name)
    for centre in catalog.centres.values():
        key = ("centre", centre.id)
        found += _labels(catalog, (*key, "name"), centre.name)
        for name in ("address", "hours"):
            fact = getattr(centre, name)
            if fact:
                path, line = catalog.where(*key, name)
                found += [Passage(path, line, loc, t) for loc, t in fact.text.items()]
        path, line = catalog.where(*key, "verify")
        for locale in LOCALES:
            found += [Passage(path, line, locale, t) for t in reader_details(centre.verify, locale)]
    for article in catalog.articles.values():
        path, line = catalog.where("article", article.id, "verify")
        for locale in LOCALES:
            found += [
                Passage(path, line, locale, t) for t in reader_details(article.verify, locale)
            ]
    for contact in catalog.contacts.values():
        path, line = catalog.where("contact", contact.id, "what")
        found += [Passage(path, line, loc, t) for loc, t in contact.what.items()]
    return found


def _labels(catalog: Catalog, key: tuple[str, ...], texts: dict[str, str]) -> list[Passage]:
    """A text per language shown on a button, each at its own line."""
    return [
        Passage(*catalog.where(*key, locale), locale, text, "button")
        for locale, text in texts.items()
    ]


def is_button(msgid: str) -> bool:
    """Interface strings of a few words with no sentence mark are button labels."""
    text = msgid.strip()
    return (
        0 < len(text.split()) <= BUTTON_WORDS
        and not text.endswith(SENTENCE_MARKS)
        and "{" not in text
    )


def locale_passages(locales_dir: Path) -> list[Passage]:
    found: list[Passage] = []
    for locale in LOCALES:
        path = po_path(locales_dir, locale)
        shown = (
            str(path.relative_to(locales_dir.parent))
            if path.is_relative_to(locales_dir.parent)
            else str(path)
        )
        try:
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        except (OSError, PoFileError, UnicodeError, LookupError, ValueError):
            continue  # an unreadable file is reported, by file and line, by the locales check
        for message in catalog:
            if not message.id:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            # A plural message holds one string per form.
            strings = (message.string,) if isinstance(message.string, str) else message.string or ()
            role = "button" if is_button(msgid) else "text"
            found += [Passage(shown, message.lineno, locale, s, role) for s in strings if s]
    return found


def check(content_dir: Path, locales_dir: Path, catalog: Catalog | None) -> list[Problem]:
    base, problems = termbase.read(content_dir)
    passages = locale_passages(locales_dir)
    if catalog is not None:
        passages = catalog_passages(catalog) + passages
    return problems + termbase.check(base, passages)
