"""The application on its own, as any runtime drives it: `Incoming` in, `Plan` out."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App, Incoming, Origin, Picture
from bot.core import Command, Message, Press, Text, Venue
from bot.core.actions import OpenSection, ShowOnMap, encode
from storage.models import RecordedEvent

ADMIN = 42  # the `services` fixture's ADMIN_IDS


def said(event, *, user_id: int = 5001, language_code: str | None = "ru", **fields) -> Incoming:
    return Incoming(user_id, user_id, True, event, language_code, **fields)


async def test_a_press_on_a_text_message_is_answered_by_editing_it(services):
    app = App(services)
    plan = await app.handle(
        said(Press(encode(OpenSection("before"))), origin=Origin(77, is_text=True), press=True)
    )
    assert plan.acknowledge and plan.edit_target == 77
    [screen] = plan.outputs
    assert isinstance(screen, Message) and plan.edits(screen)


async def test_a_press_under_a_venue_gets_a_new_message(services):
    app = App(services)
    plan = await app.handle(
        said(Press(encode(OpenSection("before"))), origin=Origin(78, is_text=False), press=True)
    )
    assert plan.edit_target is None
    assert not any(plan.edits(output) for output in plan.outputs)


async def test_a_map_button_plans_a_venue(services):
    plan = await App(services).handle(said(Press(encode(ShowOnMap("almaty-exact"))), press=True))
    [venue] = plan.outputs
    assert isinstance(venue, Venue) and (venue.latitude, venue.longitude) == (43.25, 76.92)


async def test_nothing_is_planned_for_a_group(services):
    plan = await App(services).handle(
        Incoming(5002, -100123, False, Command("start"), "ru", press=False)
    )
    assert plan.outputs == () and not plan.acknowledge


async def test_an_operator_gets_a_summary_and_a_picture_others_the_unknown_command(services):
    app = App(services)
    summary, chart = (await app.handle(said(Command("stats"), user_id=ADMIN))).outputs
    assert isinstance(summary, Message) and isinstance(chart, Picture)
    assert chart.png.startswith(b"\x89PNG") and chart.name.endswith(".png")
    [unknown] = (await app.handle(said(Command("stats"), user_id=5003))).outputs
    [same] = (await app.handle(said(Command("nosuchcommand"), user_id=5003))).outputs
    assert isinstance(unknown, Message) and isinstance(same, Message)
    assert unknown.text == same.text


async def test_publishing_tells_every_operator(services):
    plans = await App(services).publish()
    assert [plan.chat_id for plan in plans] == [ADMIN]
    [told] = plans[0].outputs
    assert isinstance(told, Message) and told.text.startswith("✅")


async def test_an_unanswered_question_is_kept_without_the_askers_names(services):
    app = App(services)
    await app.handle(
        said(Text("Zarina asks: palov retsepti +998 90 123 45 67"), names=("Zarina", None, None))
    )
    await services.events.flush()
    async with services.db.engine.connect() as connection:
        queries = (await connection.scalars(select(RecordedEvent.query))).all()
    assert queries == ["asks: palov retsepti"]
