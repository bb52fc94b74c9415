"""Service centres: by city, one centre's card, its place on the map, the nearest ones, and the
embassy and consulates of the user's country.

A card shows what is known about a place and never promises the rest: an address, hours and
numbers only when the content has them, each with the date of its source.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from bot.catalog.facts import in_region
from bot.catalog.model import Catalog, Centre, City, Contact, Dated, Section, pick, reader_details
from bot.core import sections
from bot.core.actions import (
    ChooseCountry,
    FindNearest,
    OpenCentre,
    OpenCity,
    OpenMissions,
    OpenSection,
    ShowOnMap,
)
from bot.core.geo import distance_km
from bot.core.keyboards import column, with_navigation
from bot.core.replies import Button, Message, RemoveKeyboard, RequestLocation, Venue
from bot.core.reports import report_button
from bot.core.requests import Context
from bot.i18n import N_, Translator

NEAREST_COUNT = 3
FAR_KM = 150
# A shared location travels on the consulate buttons only this coarsely (about 10 km), so
# the button says the city, never the street; it is not stored anywhere.
NEAR_DECIMALS = 1
KIND_LABELS = {
    "public_service": N_("Public service centre"),
    "migration": N_("Migration service"),
    "consulate": N_("Embassy or consulate"),
    "ngo": N_("Legal aid and support (non-governmental organisation)"),
    "red_crescent": N_("Red Crescent"),
}
COUNTRIES = {
    "uz": ("🇺🇿", N_("Uzbekistan")),
    "tj": ("🇹🇯", N_("Tajikistan")),
    "kg": ("🇰🇬", N_("Kyrgyzstan")),
}
# The country whose citizens most likely read Jol in a language: asked about first.
COUNTRY_OF_LOCALE = {"uz": "uz", "tg": "tj"}


def centres_section(ctx: Context) -> Section | None:
    return next((s for s in ctx.catalog.sections if s.kind == "centres"), None)


def _back_to_centres(ctx: Context) -> OpenSection | None:
    section = centres_section(ctx)
    return OpenSection(section.id) if section else None


def _name(tr: Translator, centre: Centre) -> str:
    return pick(centre.name, tr.locale)[0]


def _city_name(tr: Translator, city: City) -> str:
    return pick(city.name, tr.locale)[0]


def _consulate_button(tr: Translator, near: str = "") -> Button:
    return Button("🏛 " + tr.gettext("My country's embassy or consulate"), ChooseCountry(near))


def home(ctx: Context, tr: Translator, section: Section) -> Message:
    text = (
        sections.heading(tr, section)
        + "\n"
        + tr.gettext("Choose a city, or find the centres nearest to you.")
    )
    buttons = [Button("📍 " + tr.gettext("Nearest to me"), FindNearest())]
    if any(c.country for c in ctx.catalog.centres.values() if c.active):
        buttons.append(_consulate_button(tr))
    buttons += [
        Button(_city_name(tr, c), OpenCity(c.id)) for c in ctx.catalog.cities_sorted(tr.locale)
    ]
    return Message(text, with_navigation(column(buttons), tr), edit=True)


def city_message(ctx: Context, tr: Translator, city: City) -> Message:
    centres = ctx.catalog.centres_in(city.id)
    count = tr.ngettext("{count} centre", "{count} centres", len(centres)).format(
        count=len(centres)
    )
    text = f"<b>{escape(_city_name(tr, city))}</b>\n{count}"
    # The names say what each place is; the card says more.
    buttons = column(Button(_name(tr, c), OpenCentre(c.id)) for c in centres)
    return Message(text, with_navigation(buttons, tr, back=_back_to_centres(ctx)), edit=True)


def _as_of(tr: Translator, fact: Dated | Contact) -> str:
    """The date of a fact's source; a dated one also tells the reader to check it."""
    date = tr.date(fact.date)
    if fact.grade == "dated":
        return tr.gettext("(as of {date}; check before you go)").format(date=date)
    return tr.gettext("(as of {date})").format(date=date)


def contact_line(tr: Translator, contact: Contact) -> str:
    """A number as Telegram makes it tappable, what it is, and how current it is."""
    what = pick(contact.what, tr.locale)[0]
    dated = f" {_as_of(tr, contact)}" if contact.grade == "dated" else ""
    return f"☎️ {escape(contact.number)} — {escape(what)}{escape(dated)}"


def card_text(ctx: Context, tr: Translator, centre: Centre) -> str:
    name, kind = _name(tr, centre), tr.gettext(KIND_LABELS[centre.kind])
    lines = [f"<b>{escape(name)}</b>"]
    if not name.casefold().startswith(kind.casefold()):
        lines.append(f"<i>{escape(kind)}</i>")
    if not centre.active:
        lines.append(
            "🕰 "
            + tr.gettext(
                "The sources describe this centre as part of a past project, and nothing shows "
                "that it still works. Do not go there on the strength of this list."
            )
        )
        return "\n".join(lines)
    city = ctx.catalog.cities.get(centre.city)
    if centre.address:
        address = pick(centre.address.text, tr.locale)[0]
        lines.append(f"📍 {escape(address)} {escape(_as_of(tr, centre.address))}")
        if centre.precision == "approximate":
            lines.append("   " + tr.gettext("(exact location to be confirmed)"))
    elif city:
        lines.append(
            "📍 "
            + tr.gettext("{city}: we do not know the exact address yet.").format(
                city=escape(_city_name(tr, city))
            )
        )
    if centre.hours:
        hours = pick(centre.hours.text, tr.locale)[0]
        lines.append(f"🕘 {escape(hours)} {escape(_as_of(tr, centre.hours))}")
    numbers = [ctx.catalog.contacts[i] for i in centre.contacts if i in ctx.catalog.contacts]
    lines += [contact_line(tr, contact) for contact in numbers]
    if centre.website:
        url = escape(centre.website.url, quote=True)
        what = escape(pick(centre.website.what, tr.locale)[0])
        lines.append(f'🌐 <a href="{url}">{what}</a>')
    if centre.languages:
        spoken = ", ".join(tr.language_name(code) for code in centre.languages)
        lines.append("🗣 " + tr.gettext("Languages: {languages}").format(languages=spoken))
    lines += ["⚠️ " + escape(detail) for detail in reader_details(centre.verify, tr.locale)]
    if centre.verification.status == "verified":
        checked = tr.date(centre.verification.date)
        lines.append("✅ " + tr.gettext("Checked by our team: {date}").format(date=checked))
    else:
        lines.append(tr.gettext("Our team has not yet checked this place by phone or visit."))
    if numbers:
        lines.append("📞 " + tr.gettext("Call before you go."))
    return "\n".join(lines)


def card(ctx: Context, tr: Translator, centre: Centre) -> Message:
    rows: tuple[tuple[Button, ...], ...] = ()
    if centre.precision != "city" and centre.active:
        rows = ((Button("🗺 " + tr.gettext("Show on map"), ShowOnMap(centre.id)),),)
    rows = (*rows, (report_button(tr, "c", centre.id),))
    return Message(
        card_text(ctx, tr, centre),
        with_navigation(rows, tr, back=OpenCity(centre.city)),
        edit=True,
    )


def venue(tr: Translator, centre: Centre) -> Venue:
    latitude, longitude = centre.location
    address = pick(centre.address.text, tr.locale)[0] if centre.address else ""
    return Venue(latitude, longitude, _name(tr, centre), address)


def ask_location(tr: Translator) -> Message:
    text = tr.gettext(
        "Press «Send my location» below, and I will show the nearest centres. "
        "I use your location only for this answer and do not keep it."
    )
    keyboard = RequestLocation(
        share_text="📍 " + tr.gettext("Send my location"), cancel_text=cancel_label(tr)
    )
    return Message(text, keyboard)


def cancel_label(tr: Translator) -> str:
    return "✖️ " + tr.gettext("Cancel")


def _distance(tr: Translator, km: float) -> str:
    if km < 1:
        metres = max(10, round(km * 100) * 10)
        return tr.ngettext("{count} metre", "{count} metres", metres).format(count=metres)
    whole = round(km)
    return tr.ngettext("{count} kilometre", "{count} kilometres", whole).format(
        count=tr.number(whole)
    )


@dataclass(frozen=True)
class Stop:
    """One line of "nearest": a centre with a point of its own, or the centres of a city that
    are known only by the city, all measured to the city's point."""

    km: float
    city: City | None
    centres: tuple[Centre, ...]
    by_city: bool


def stops(catalog: Catalog, here: tuple[float, float], centres: list[Centre]) -> list[Stop]:
    """`centres` as places at a distance, nearest first; those sharing a city point grouped."""
    found: list[Stop] = []
    grouped: dict[str, list[Centre]] = {}
    for centre in centres:
        if centre.precision == "city" and centre.city in catalog.cities:
            grouped.setdefault(centre.city, []).append(centre)
            continue
        city = catalog.cities.get(centre.city)
        found.append(Stop(distance_km(here, centre.location), city, (centre,), False))
    for city_id, members in grouped.items():
        city = catalog.cities[city_id]
        found.append(Stop(distance_km(here, city.location), city, tuple(members), True))
    return sorted(found, key=lambda s: (s.km, s.centres[0].id))


def _nearest_stops(ctx: Context, here: tuple[float, float]) -> list[Stop]:
    """Places nearest first; none when the location is outside the region Jol covers."""
    if not in_region(*here):
        return []
    # Missions are for their own citizens: they have their own button, not a place here.
    places = [c for c in ctx.catalog.centres.values() if c.active and not c.country]
    return stops(ctx.catalog, here, places)


def nearest_city(ctx: Context, latitude: float, longitude: float) -> str | None:
    """The city of the nearest centre, which is what statistics keep of a location search."""
    found = _nearest_stops(ctx, (latitude, longitude))
    return found[0].centres[0].city if found else None


def _stop_lines(tr: Translator, index: int, stop: Stop) -> list[str]:
    distance = _distance(tr, stop.km)
    city = escape(_city_name(tr, stop.city)) if stop.city else ""
    if stop.by_city:
        head = tr.gettext("{city}: ≈ {distance} to the city centre").format(
            city=city, distance=distance
        )
        return [f"{index}. {head}"] + [f"   • {escape(_name(tr, c))}" for c in stop.centres]
    [centre] = stop.centres
    where = f" ({city})" if city else ""
    about = "" if centre.precision == "exact" else "≈ "
    return [f"{index}. {escape(_name(tr, centre))}{where} — {about}{distance}"]


def _stop_buttons(tr: Translator, found: list[Stop]) -> list[Button]:
    return [
        Button(f"{index}. {_name(tr, centre)}", OpenCentre(centre.id))
        for index, stop in enumerate(found, start=1)
        for centre in stop.centres
    ]


def _near(here: tuple[float, float]) -> str:
    return ",".join(f"{value:.{NEAR_DECIMALS}f}" for value in here)


def _parse_near(near: str) -> tuple[float, float] | None:
    try:
        latitude, longitude = (float(part) for part in near.split(","))
    except ValueError:
        return None
    return (latitude, longitude) if in_region(latitude, longitude) else None


def nearest(ctx: Context, tr: Translator, latitude: float, longitude: float) -> list[Message]:
    """The nearest centres to a shared location, or an honest answer if it is outside our region."""
    here = (latitude, longitude)
    back = _back_to_centres(ctx)
    found = _nearest_stops(ctx, here)[:NEAREST_COUNT]
    if not found:
        text = tr.gettext(
            "This location seems to be outside Kazakhstan, and Jol only knows centres in "
            "Kazakhstan. You can still choose a city from the list."
        )
        section = centres_section(ctx)
        answer = [Message(text, RemoveKeyboard())]
        return [*answer, home(ctx, tr, section)] if section else answer
    lines = [tr.gettext("Nearest centres:")]
    for index, stop in enumerate(found, start=1):
        lines += _stop_lines(tr, index, stop)
    if found[0].km > FAR_KM:
        lines.append("\n" + tr.gettext("All the centres we know are far from you."))
    buttons = [*_stop_buttons(tr, found), _consulate_button(tr, _near(here))]
    return [
        Message("\n".join(lines), RemoveKeyboard()),
        Message(
            tr.gettext("Open a centre to see what we know about it:"),
            with_navigation(column(buttons), tr, back=back),
        ),
    ]


def countries(ctx: Context, tr: Translator, near: str = "") -> Message:
    """Which country's embassy and consulates to show; the reader's likely one first."""
    first = COUNTRY_OF_LOCALE.get(tr.locale)
    order = sorted(COUNTRIES, key=lambda code: code != first)
    buttons = [
        Button(f"{COUNTRIES[code][0]} {tr.gettext(COUNTRIES[code][1])}", OpenMissions(code, near))
        for code in order
    ]
    text = tr.gettext("Which country are you a citizen of?")
    return Message(
        text, with_navigation(column(buttons), tr, back=_back_to_centres(ctx)), edit=True
    )


def missions(ctx: Context, tr: Translator, country: str, near: str = "") -> Message:
    """A country's embassy and consulates: nearest first when a location was shared."""
    flag, name = COUNTRIES[country]
    heading = tr.gettext("Embassy and consulates of {country}").format(country=tr.gettext(name))
    lines = [f"{flag} <b>{escape(heading)}</b>"]
    centres = ctx.catalog.missions_of(country)
    here = _parse_near(near)
    if not centres:
        lines.append(tr.gettext("We do not know of any in Kazakhstan yet."))
        buttons: list[Button] = []
    elif here:
        found = stops(ctx.catalog, here, centres)
        for index, stop in enumerate(found, start=1):
            lines += _stop_lines(tr, index, stop)
        buttons = _stop_buttons(tr, found)
    else:
        by_city = sorted(centres, key=lambda c: _city_of(ctx.catalog, tr, c))
        for index, centre in enumerate(by_city, start=1):
            lines.append(f"{index}. {escape(_name(tr, centre))}")
        buttons = [
            Button(f"{i}. {_name(tr, c)}", OpenCentre(c.id)) for i, c in enumerate(by_city, 1)
        ]
    back = ChooseCountry(near)
    return Message("\n".join(lines), with_navigation(column(buttons), tr, back=back), edit=True)


def _city_of(catalog: Catalog, tr: Translator, centre: Centre) -> str:
    city = catalog.cities.get(centre.city)
    return _city_name(tr, city) if city else ""
