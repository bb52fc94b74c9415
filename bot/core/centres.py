"""Service centres: by city, one centre's card, its place on the map, and the nearest ones."""

from __future__ import annotations

from html import escape

from bot.catalog.facts import in_region
from bot.catalog.model import Centre, City, Section, pick
from bot.core import sections
from bot.core.actions import FindNearest, OpenCentre, OpenCity, OpenSection, ShowOnMap
from bot.core.geo import distance_km
from bot.core.keyboards import column, with_navigation
from bot.core.replies import Button, Message, RemoveKeyboard, RequestLocation, Venue
from bot.core.reports import report_button
from bot.core.requests import Context
from bot.i18n import N_, Translator

NEAREST_COUNT = 3
FAR_KM = 150
KIND_LABELS = {
    "public_service": N_("Public service centre"),
    "migration": N_("Migration service"),
    "consulate": N_("Consulate"),
    "ngo": N_("Legal aid and support (NGO)"),
    "red_crescent": N_("Red Crescent"),
}


def centres_section(ctx: Context) -> Section | None:
    return next((s for s in ctx.catalog.sections if s.kind == "centres"), None)


def _back_to_centres(ctx: Context) -> OpenSection | None:
    section = centres_section(ctx)
    return OpenSection(section.id) if section else None


def _name(tr: Translator, centre: Centre) -> str:
    return pick(centre.name, tr.locale)[0]


def _city_name(tr: Translator, city: City) -> str:
    return pick(city.name, tr.locale)[0]


def home(ctx: Context, tr: Translator, section: Section) -> Message:
    text = (
        sections.heading(tr, section)
        + "\n"
        + tr.gettext("Choose a city, or find the centres nearest to you.")
    )
    buttons = [Button("📍 " + tr.gettext("Nearest to me"), FindNearest())]
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
    buttons = column(
        Button(f"{_name(tr, c)} · {tr.gettext(KIND_LABELS[c.kind])}", OpenCentre(c.id))
        for c in centres
    )
    return Message(text, with_navigation(buttons, tr, back=_back_to_centres(ctx)), edit=True)


def card_text(ctx: Context, tr: Translator, centre: Centre) -> str:
    lines = [
        f"<b>{escape(_name(tr, centre))}</b>",
        f"<i>{tr.gettext(KIND_LABELS[centre.kind])}</i>",
    ]
    lines.append("📍 " + escape(pick(centre.address, tr.locale)[0]))
    if centre.precision == "approximate":
        lines.append("   " + tr.gettext("(exact location to be confirmed)"))
    if centre.hours:
        lines.append("🕘 " + escape(pick(centre.hours, tr.locale)[0]))
    if centre.phones:
        lines.append("☎️ " + ", ".join(escape(p) for p in centre.phones))
    if centre.languages:
        spoken = ", ".join(tr.language_name(code) for code in centre.languages)
        lines.append("🗣 " + tr.gettext("Languages: {languages}").format(languages=spoken))
    checked = tr.date(centre.verification.date)
    if centre.verification.status == "verified":
        lines.append("✅ " + tr.gettext("Checked by our team: {date}").format(date=checked))
    else:
        lines.append(
            "⚠️ "
            + tr.gettext(
                "Not yet confirmed by our team (as of {date}). "
                "Check the address and hours before you go."
            ).format(date=checked)
        )
    return "\n".join(lines)


def card(ctx: Context, tr: Translator, centre: Centre) -> Message:
    rows: tuple[tuple[Button, ...], ...] = ()
    if centre.precision != "city":
        rows = ((Button("🗺 " + tr.gettext("Show on map"), ShowOnMap(centre.id)),),)
    rows = (*rows, (report_button(tr, "c", centre.id),))
    return Message(
        card_text(ctx, tr, centre),
        with_navigation(rows, tr, back=OpenCity(centre.city)),
        edit=True,
    )


def venue(tr: Translator, centre: Centre) -> Venue:
    latitude, longitude = centre.location
    return Venue(latitude, longitude, _name(tr, centre), pick(centre.address, tr.locale)[0])


def ask_location(tr: Translator) -> Message:
    text = tr.gettext(
        "Press «Send my location» below, and I will show the three nearest centres. "
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


def _ranked(ctx: Context, here: tuple[float, float]) -> list[Centre]:
    """Centres nearest first; none when the place is outside the region Jol covers."""
    if not in_region(*here):
        return []
    return sorted(ctx.catalog.centres.values(), key=lambda c: distance_km(here, c.location))


def nearest_city(ctx: Context, latitude: float, longitude: float) -> str | None:
    """The city of the nearest centre, which is what statistics keep of a location search."""
    ranked = _ranked(ctx, (latitude, longitude))
    return ranked[0].city if ranked else None


def nearest(ctx: Context, tr: Translator, latitude: float, longitude: float) -> list[Message]:
    """The nearest centres to a shared location, or an honest answer if it is outside our region."""
    here = (latitude, longitude)
    back = _back_to_centres(ctx)
    ranked = _ranked(ctx, here)
    if not ranked:
        text = tr.gettext(
            "This location seems to be outside Kazakhstan, and Jol only knows centres in "
            "Kazakhstan. You can still choose a city from the list."
        )
        section = centres_section(ctx)
        answer = [Message(text, RemoveKeyboard())]
        return [*answer, home(ctx, tr, section)] if section else answer
    found = ranked[:NEAREST_COUNT]
    lines = [tr.gettext("Nearest centres:")]
    for index, centre in enumerate(found, start=1):
        km = distance_km(here, centre.location)
        city = ctx.catalog.cities.get(centre.city)
        where = f" ({escape(_city_name(tr, city))})" if city else ""
        # A centre known only by its city is measured to the city centre: say it is rough.
        about = "" if centre.precision == "exact" else "≈ "
        lines.append(f"{index}. {escape(_name(tr, centre))}{where} — {about}{_distance(tr, km)}")
    if distance_km(here, found[0].location) > FAR_KM:
        lines.append(
            "\n"
            + tr.gettext("All the centres we know are far from you. Call them before you travel.")
        )
    buttons = column(
        Button(f"{i}. {_name(tr, c)}", OpenCentre(c.id)) for i, c in enumerate(found, 1)
    )
    return [
        Message("\n".join(lines), RemoveKeyboard()),
        Message(
            tr.gettext("Open a centre for its address, hours and phones:"),
            with_navigation(buttons, tr, back=back),
        ),
    ]
