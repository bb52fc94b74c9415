"""The unanswered-question queue: similar questions once with a count, closest articles."""

from __future__ import annotations

import datetime as dt

from bot.editors.unanswered import group
from storage import Database
from storage.models import UnansweredQuery
from storage.schema import upgrade
from tests.test_cli import jol

ASKED = [
    ("как продлить регистрацию ребенку", "ru"),
    ("как продлить регистрацию ребёнку", "ru"),
    ("kak prodlit registraciyu rebenku", "uz"),
    ("как продлить регистрацию ребенку", "ru"),
    ("рецепт плова", "ru"),
]


def test_similar_questions_appear_once_with_a_count_and_the_closest_articles(real_ctx):
    groups = group(ASKED, real_ctx)
    assert [(g.count, g.question) for g in groups] == [
        (4, "как продлить регистрацию ребенку"),
        (1, "рецепт плова"),
    ]
    first = groups[0]
    assert first.languages == ("ru", "uz")
    assert set(first.variants) == {
        "как продлить регистрацию ребёнку",
        "kak prodlit registraciyu rebenku",
    }
    assert first.nearest and all(a in real_ctx.catalog.articles for a, _ in first.nearest)
    # registration-2026 is a pointer to stay-registration: either is the right place to look.
    assert {"stay-registration", "registration-2026"} & {a for a, _ in first.nearest}


async def test_jol_content_unanswered_reads_the_database(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'jol.sqlite3'}")
    await upgrade(db)
    today = dt.datetime.now(dt.UTC).date()
    async with db.session() as session:
        for question, locale in ASKED:
            session.add(UnansweredQuery(day=today, locale=locale, query=question))
        session.add(UnansweredQuery(day=today - dt.timedelta(days=40), locale="ru", query="old"))
        await session.commit()
    await db.close()
    result = jol("content", "unanswered", env={"DATABASE_URL": "", "JOL_DATA_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "1. ×4 [ru, uz] как продлить регистрацию ребенку"
    assert any(line.startswith("2. ×1 [ru] рецепт плова") for line in lines)
    assert "old" not in result.stdout  # older than the retention period
