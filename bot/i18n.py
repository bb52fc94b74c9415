"""Interface strings: gettext catalogues in `locales/`, compiled in memory from the `.po` files.

Compiling at load time means a fresh clone, an edited `.po` file and a hot reload all serve
exactly what the `.po` files say, with no stale `.mo` on disk. A string missing in one language
falls back to Russian, then to the English msgid.
"""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.locales import FALLBACK_LOCALE, LOCALES, NATIVE_NAMES

DOMAIN = "messages"


def N_(message: str) -> str:
    """Marks a string for extraction where it is defined; it is translated where it is shown."""
    return message


def po_path(root: Path, locale: str) -> Path:
    return root / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def _compile(path: Path, locale: str) -> gettext.GNUTranslations:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@dataclass(frozen=True)
class Translator:
    """The interface strings and number formats of one language."""

    locale: str
    translations: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def number(self, value: float) -> str:
        return format_decimal(value, locale=Locale.parse(self.locale))

    def language_name(self, code: str) -> str:
        """Jol's own languages by their native names, others in this language."""
        if code in NATIVE_NAMES:
            return NATIVE_NAMES[code]
        try:
            return Locale.parse(code).get_display_name(Locale.parse(self.locale)) or code
        except (ValueError, LookupError):
            return code

    def date(self, value: dt.date) -> str:
        return format_date(value, format="medium", locale=Locale.parse(self.locale))


class Texts:
    """All four languages' interface strings, loaded once and then read-only."""

    def __init__(self, translators: dict[str, Translator]) -> None:
        self._translators = translators

    @classmethod
    def load(cls, root: Path) -> Texts:
        compiled = {locale: _compile(po_path(root, locale), locale) for locale in LOCALES}
        fallback = compiled[FALLBACK_LOCALE]
        for locale, translations in compiled.items():
            if locale != FALLBACK_LOCALE:
                translations.add_fallback(fallback)
        return cls({locale: Translator(locale, compiled[locale]) for locale in LOCALES})

    def __call__(self, locale: str) -> Translator:
        return self._translators.get(locale) or self._translators[FALLBACK_LOCALE]
