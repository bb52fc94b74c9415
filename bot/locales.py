"""The languages Jol speaks, named once for the whole application."""

LOCALES: tuple[str, ...] = ("kk", "ru", "uz", "tg")
FALLBACK_LOCALE = "ru"
NATIVE_NAMES: dict[str, str] = {
    "kk": "Қазақша",
    "ru": "Русский",
    "uz": "Oʻzbekcha",
    "tg": "Тоҷикӣ",
}


def supported(code: str | None) -> str | None:
    """Map a Telegram `language_code` such as `uz-UZ` or `ru` to one of ours, else None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in LOCALES else None
