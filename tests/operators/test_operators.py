"""The operators' period, summary and chart, from known figures."""

import datetime as dt

import pytest
from PIL import Image

from bot.operators.chart import render_daily_users
from bot.operators.period import parse_since
from bot.operators.summary import summary
from storage.stats import Feedback, Stats

TODAY = dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("text", "since"),
    [
        ("30d", dt.date(2026, 3, 2)),
        ("1d", TODAY),
        ("7", dt.date(2026, 3, 25)),
        ("4w", dt.date(2026, 3, 4)),
        ("2026-01-31", dt.date(2026, 1, 31)),
    ],
)
def test_periods_end_today_and_include_it(text, since):
    assert parse_since(text, TODAY) == since


@pytest.mark.parametrize("text", ["0d", "lately", "2026-13-01", "2027-01-01", "-3d"])
def test_a_period_that_makes_no_sense_is_refused(text):
    with pytest.raises(ValueError):
        parse_since(text, TODAY)


def known_stats() -> Stats:
    since = TODAY - dt.timedelta(days=6)
    return Stats(
        since,
        TODAY,
        new_users=4,
        daily_active=2.43,
        weekly_active=9,
        monthly_active=15,
        daily_active_by_language={"kk": 1.0, "uz": 1.43},
        events_by_language={"kk": 20, "uz": 31},
        articles=[("work-permit", 12), ("first-steps", 3)],
        nearest_by_city=[("almaty", 2), ("outside", 1)],
        searches_answered=5,
        searches_unanswered=2,
        unanswered_queries=[("<script> патент", 2)],
        feedback=[Feedback("work-permit", "uz", up=3, down=1)],
        daily_users={
            "*": [1, 2, 3, 2, 3, 3, 3],
            "kk": [1, 1, 1, 1, 1, 1, 1],
            "uz": [0, 1, 2, 1, 2, 2, 2],
        },
    )


def test_the_summary_speaks_the_operators_language_and_escapes_queries(ctx):
    text = summary(ctx.texts("kk"), known_stats(), dropped=3)
    assert "Jol статистикасы" in text
    assert "Жаңа пайдаланушылар: 4" in text
    assert "Қазақша: 1 · 20" in text and "Oʻzbekcha: 1,4 · 31" in text
    assert "work-permit: 12" in text
    assert "Қазақстаннан тыс: 1" in text
    assert "&lt;script&gt; патент: 2" in text and "<script>" not in text
    assert "work-permit (Oʻzbekcha): 👍 3 👎 1" in text
    assert "3 оқиға жазылмады" in text
    assert len(text) < 4096


def test_the_chart_is_a_png_of_daily_users_by_language(ctx, tmp_path):
    png = render_daily_users(ctx.texts("uz"), known_stats())
    path = tmp_path / "chart.png"
    path.write_bytes(png)
    with Image.open(path) as image:
        assert image.format == "PNG" and image.size == (800, 450)
        # Two languages stacked: at least two colours besides white, black and greys.
        colours = {c for _, c in image.convert("RGB").getcolors(1_000_000) if len(set(c)) > 1}
    assert len(colours) >= 2


def test_an_empty_period_still_draws(ctx):
    empty = Stats(TODAY - dt.timedelta(days=29), TODAY)
    assert render_daily_users(ctx.texts("ru"), empty).startswith(b"\x89PNG")
