"""Places: what a card shows and never promises, nearest by city point, and consulates."""

from bot.core import RemoveKeyboard, RequestLocation, Venue
from bot.core.actions import (
    ChooseCountry,
    FindNearest,
    OpenCentre,
    OpenCity,
    OpenMissions,
    OpenSection,
    ShowOnMap,
)
from bot.core.replies import Event

from .factories import actions, labels, only_message, press, share_location, type_text

NEAR_ALMATY = (43.2565, 76.9284)


def card(ctx, centre_id: str, locale: str = "ru") -> str:
    return only_message(press(ctx, OpenCentre(centre_id), locale=locale)).text


def test_centres_offer_nearest_consulates_and_the_cities_sorted_by_name(ctx):
    screen = only_message(press(ctx, OpenSection("centres")))
    assert actions(screen)[:4] == [
        FindNearest(),
        ChooseCountry(),
        OpenCity("almaty"),
        OpenCity("astana"),
    ]


def test_a_city_lists_its_places_public_services_first_but_not_historical_ones(ctx):
    screen = only_message(press(ctx, OpenCity("almaty"), locale="uz"))
    assert "Olmaota" in screen.text
    listed = [a for a in actions(screen) if isinstance(a, OpenCentre)]
    assert listed == [
        OpenCentre("almaty-city"),  # public service
        OpenCentre("almaty-quiet"),  # migration service
        OpenCentre("almaty-exact"),  # non-governmental organisation
    ]
    tr = ctx.texts("uz")
    assert tr.ngettext("{count} centre", "{count} centres", 3).format(count=3) in screen.text


def test_a_full_card_shows_each_fact_with_the_date_of_its_source(ctx):
    text = card(ctx, "almaty-exact", "kk")
    tr = ctx.texts("kk")
    for expected in ("Exact kk", "Street 1 kk", "Mon-Fri kk", "Reception kk", "Русский"):
        assert expected in text
    # A dated number: in international form (tappable), with its date and "check before you go".
    dated = tr.gettext("(as of {date}; check before you go)").format(
        date=tr.date(__import__("datetime").date(2022, 1, 17))
    )
    assert f"☎️ +7 701 123 4567 — Reception kk {dated}" in text
    assert tr.gettext("Call before you go.") in text
    assert tr.gettext("Checked by our team: {date}").split("{")[0] in text
    assert ShowOnMap("almaty-exact") in actions(
        only_message(press(ctx, OpenCentre("almaty-exact")))
    )


def test_a_card_known_only_by_city_promises_nothing_it_does_not_have(ctx):
    tr = ctx.texts("ru")
    text = card(ctx, "almaty-quiet")
    assert tr.gettext("{city}: we do not know the exact address yet.").format(city="Алматы") in text
    assert "⚠️ Office ru" in text  # the specific detail still to confirm
    assert "☎️" not in text and "🕘" not in text
    assert tr.gettext("Call before you go.") not in text  # no number, so no "call"
    assert tr.gettext("Our team has not yet checked this place by phone or visit.") in text
    message = only_message(press(ctx, OpenCentre("almaty-quiet")))
    assert not any(isinstance(a, ShowOnMap) for a in actions(message))


def test_a_card_with_a_hotline_and_an_official_locator(ctx):
    text = card(ctx, "almaty-city", "tg")
    # A confirmed short number is written plainly, with no date and no doubt cast on it.
    assert "☎️ 1414 — Hotline tg\n" in text
    assert '🌐 <a href="https://example.org/addresses">Addresses tg</a>' in text
    assert "⚠️ Branch tg" in text


def test_a_historical_centre_is_not_presented_as_a_place_to_go(ctx):
    tr = ctx.texts("ru")
    message = only_message(press(ctx, OpenCentre("almaty-past")))
    assert "Past ru" in message.text
    assert "🕰" in message.text
    assert tr.gettext("Call before you go.") not in message.text
    assert not any(isinstance(a, ShowOnMap) for a in actions(message))
    assert OpenCentre("almaty-past") not in actions(share_location(ctx, *NEAR_ALMATY).replies[1])


def test_show_on_map_sends_a_venue(ctx):
    [venue] = press(ctx, ShowOnMap("almaty-exact"), locale="uz").replies
    assert venue == Venue(43.25, 76.92, "Exact uz", "Street 1 uz")


def test_nearest_asks_for_the_location_with_a_reply_keyboard(ctx):
    message = only_message(press(ctx, FindNearest()))
    assert isinstance(message.keyboard, RequestLocation)
    assert not message.edit  # a reply keyboard needs a new message


def test_nearest_groups_places_sharing_a_city_point_under_the_city(ctx):
    outcome = share_location(ctx, *NEAR_ALMATY, locale="ru")
    listing, choice = outcome.replies
    tr = ctx.texts("ru")
    assert isinstance(listing.keyboard, RemoveKeyboard)
    lines = listing.text.splitlines()
    assert lines[1].startswith("1. Exact ru (Алматы) — ") and "≈" not in lines[1]
    # The centres known only by the city are one stop, measured to the city's point.
    head = tr.gettext("{city}: ≈ {distance} to the city centre").split("{distance}")[0]
    assert lines[2].startswith("2. " + head.format(city="Алматы"))
    assert lines[3:5] == ["   • City ru", "   • Quiet ru"]
    # Embassies and consulates are for their own citizens: they have a button of their own.
    assert lines[5].startswith("3. Help ru (Астана) — ")
    assert "Astana ru" not in listing.text
    assert actions(choice) == [
        OpenCentre("almaty-exact"),
        OpenCentre("almaty-city"),
        OpenCentre("almaty-quiet"),
        OpenCentre("astana-help"),
        ChooseCountry("43.3,76.9"),  # the location, to about 10 km, for the consulates' distances
        OpenSection("centres"),
        actions(choice)[-1],
    ]
    assert labels(choice)[1:3] == ["2. City ru", "2. Quiet ru"]
    assert outcome.events == (Event("nearest", "almaty"),)  # the city, never the location


def test_distances_use_the_languages_plural_forms(ctx):
    # 0.0072° of latitude north of the centre at (43.25, 76.92): 800 metres.
    tr = ctx.texts("ru")
    line = share_location(ctx, 43.2572, 76.92).replies[0].text.splitlines()[1]
    assert line.endswith(tr.ngettext("{count} metre", "{count} metres", 800).format(count=800))
    assert tr.ngettext("{count} metre", "{count} metres", 800) != tr.ngettext(
        "{count} metre", "{count} metres", 2
    ), "Russian has distinct plural forms for 2 and 800"


def test_a_location_outside_the_region_gets_an_honest_answer_and_the_cities(ctx):
    outcome = share_location(ctx, 55.75, 37.62)
    first, second = outcome.replies
    assert isinstance(first.keyboard, RemoveKeyboard)
    assert "Exact" not in first.text
    assert OpenCity("almaty") in actions(second)


def test_my_countrys_consulate_asks_the_country_the_readers_likely_one_first(ctx):
    screen = only_message(press(ctx, ChooseCountry(), locale="tg"))
    assert actions(screen)[:3] == [OpenMissions("tj"), OpenMissions("uz"), OpenMissions("kg")]
    screen = only_message(press(ctx, ChooseCountry(), locale="uz"))
    assert actions(screen)[0] == OpenMissions("uz")
    assert OpenSection("centres") in actions(screen)


def test_a_countrys_missions_are_listed_and_measured_when_a_location_was_shared(ctx):
    tr = ctx.texts("ru")
    plain = only_message(press(ctx, OpenMissions("kg")))
    assert (
        tr.gettext("Embassy and consulates of {country}").format(country=tr.gettext("Kyrgyzstan"))
        in plain.text
    )
    assert "1. Astana ru" in plain.text
    assert OpenCentre("astana-exact") in actions(plain)
    assert ChooseCountry() in actions(plain)  # back
    near = only_message(press(ctx, OpenMissions("kg", "43.3,76.9")))
    assert "1. Astana ru (Астана) — " in near.text
    assert tr.ngettext("{count} kilometre", "{count} kilometres", 5).split(" ")[-1] in near.text
    assert ChooseCountry("43.3,76.9") in actions(near)
    # The rounded location on the button is used for the answer and never recorded.
    assert press(ctx, OpenMissions("kg", "43.3,76.9")).events == ()


def test_a_country_with_no_known_mission_says_so(ctx):
    tr = ctx.texts("kk")
    screen = only_message(press(ctx, OpenMissions("tj"), locale="kk"))
    assert tr.gettext("We do not know of any in Kazakhstan yet.") in screen.text
    assert not any(isinstance(a, OpenCentre) for a in actions(screen))


def test_a_forged_country_or_location_is_handled(ctx):
    outcome = press(ctx, "1|o|xx")
    assert outcome.toast  # stale: the menu again
    screen = only_message(press(ctx, OpenMissions("kg", "nonsense")))
    assert "—" not in screen.text  # no distances from a location that is not one


def test_cancelling_the_location_request_removes_the_keyboard(ctx):
    from bot.core.centres import cancel_label

    tr = ctx.texts("kk")
    first, menu = type_text(ctx, cancel_label(tr), locale="kk").replies
    assert isinstance(first.keyboard, RemoveKeyboard)
    assert OpenSection("before") in actions(menu)


def test_the_emergency_section_puts_its_numbers_first(ctx):
    screen = only_message(press(ctx, OpenSection("emergency"), locale="uz"))
    assert "☎️ 112 — Emergency uz" in screen.text
    assert "☎️" not in only_message(press(ctx, OpenSection("rights"))).text


def test_the_real_emergency_section_lists_112_102_103_101_in_that_order(real_ctx):
    text = only_message(press(real_ctx, OpenSection("emergency"), locale="ru")).text
    positions = [text.index(f"☎️ {number} — ") for number in ("112", "102", "103", "101")]
    assert positions == sorted(positions)
    assert "☎️ 102 — полиция" in text
