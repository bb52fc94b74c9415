"""Checks of facts that can be checked mechanically: phone numbers and coordinates."""

from __future__ import annotations

from typing import Literal

import phonenumbers
from phonenumbers import shortnumberinfo

# Kazakhstan with a margin, since centres near borders must still pass.
REGION = {"lat": (40.0, 56.0), "lon": (46.0, 88.0)}
PHONE_REGION = "KZ"


def in_region(latitude: float, longitude: float) -> bool:
    (lat_lo, lat_hi), (lon_lo, lon_hi) = REGION["lat"], REGION["lon"]
    return lat_lo <= latitude <= lat_hi and lon_lo <= longitude <= lon_hi


def phone_problem(number: str) -> tuple[Literal["error", "warning"], str] | None:
    """(severity, reason) if `number` is not a dialable phone number, else None.

    Kazakhstan's short service numbers are only partly known to the phone-number data, so a
    possible but unlisted short number is a warning for an editor to confirm, not an error.
    """
    digits = number.replace(" ", "").replace("-", "")
    if digits.isdigit() and len(digits) <= 6:
        short = phonenumbers.parse(digits, PHONE_REGION)
        if shortnumberinfo.is_valid_short_number(short):
            return None
        if shortnumberinfo.is_possible_short_number(short) and len(digits) >= 3:
            return "warning", f"short number {number!r} is not in the phone data; confirm it"
        return "error", f"{number!r} is not a valid short number in Kazakhstan"
    try:
        parsed = phonenumbers.parse(number, PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        return "error", f"{number!r} is not a phone number ({exc})"
    if not phonenumbers.is_valid_number(parsed):
        return "error", f"{number!r} is not a valid phone number"
    return None
