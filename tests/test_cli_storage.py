"""`jol db upgrade`, `jol db rollup` and `jol stats`, run as an operator runs them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from storage import Database
from storage.retention import utc_today
from storage.schema import head, upgrade
from tests.conftest import FIXTURE_CONTENT
from tests.outage import closed_port
from tests.storage.known_events import LAST_30_DAYS, load
from tests.test_cli import jol


@pytest.fixture
async def known(database_url, tmp_path):
    """A database holding the known history, ending today; and the environment to reach it."""
    db = Database(database_url)
    await upgrade(db)
    await load(db, utc_today())
    await db.close()
    return {"DATABASE_URL": database_url, "JOL_DATA_DIR": str(tmp_path)}


def test_db_upgrade_makes_the_schema_and_says_where_without_a_password(tmp_path):
    env = {"DATABASE_URL": "", "JOL_DATA_DIR": str(tmp_path)}
    result = jol("db", "upgrade", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(f"schema at revision {head()}")
    assert (tmp_path / "jol.sqlite3").exists()
    hidden = jol(
        "db",
        "upgrade",
        env={"DATABASE_URL": f"postgresql://jol:s3cret@127.0.0.1:{closed_port()}/jol"},
    )
    assert hidden.returncode == 4
    assert "s3cret" not in hidden.stderr + hidden.stdout
    assert "Traceback" not in hidden.stderr and len(hidden.stderr.strip().splitlines()) == 1


def test_stats_as_json_matches_the_known_history(known):
    result = jol("stats", "--since", "30d", "--format", "json", env=known)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["until"] == utc_today().isoformat() and len(data["days"]) == 30
    for name in ("new_users", "new_by_language", "daily_active", "weekly_active"):
        assert data[name] == LAST_30_DAYS[name], name
    assert data["monthly_active"] == 3
    assert data["articles"] == [{"id": "first-steps", "count": 3}]
    assert data["nearest_by_city"] == [{"id": "almaty", "count": 1}, {"id": "outside", "count": 1}]
    assert data["unanswered_queries"] == [{"query": "где получить патент", "count": 1}]
    assert data["feedback"] == [
        {"article": "first-steps", "locale": "ru", "up": 1, "down": 0},
        {"article": "first-steps", "locale": "uz", "up": 0, "down": 1},
    ]


def test_stats_as_csv_has_one_figure_per_row(known):
    result = jol("stats", "--format", "csv", env=known)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    figures = {(r["table"], r["key"], r["language"], r["measure"]): r["value"] for r in rows}
    assert figures[("users", "", "", "new")] == "3"
    assert figures[("section", "centres", "", "count")] == "1"
    assert figures[("search", "", "", "unanswered")] == "1"
    assert figures[("feedback", "first-steps", "uz", "down")] == "1"
    assert figures[("daily_users", utc_today().isoformat(), "*", "users")] == "1"


def test_stats_as_a_table_by_default(known):
    result = jol("stats", "--since", "400d", env=known)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Jol statistics" in out and "Top articles" in out
    assert "first-steps" in out and "know-rights" in out and "old question" in out
    assert "где получить патент" in out


def test_a_bad_period_is_named(tmp_path):
    result = jol("stats", "--since", "lately", env={"JOL_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2 and "lately" in result.stderr


def test_db_rollup_keeps_the_counts_and_clears_old_queries(known):
    before = json.loads(jol("stats", "--since", "400d", "--format", "json", env=known).stdout)
    result = jol("db", "rollup", env=known)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 events from 1 day rolled up")
    after = json.loads(jol("stats", "--since", "400d", "--format", "json", env=known).stdout)
    assert after["unanswered_queries"] == [{"query": "где получить патент", "count": 1}]
    before.pop("unanswered_queries"), after.pop("unanswered_queries")
    assert after == before


def test_the_terminal_chat_writes_its_events_when_it_ends(tmp_path):
    env = {
        "DATABASE_URL": "",
        "JOL_DATA_DIR": str(tmp_path),
        "JOL_CONTENT_DIR": str(FIXTURE_CONTENT),
    }
    result = jol("chat", "--lang", "ru", env=env, stdin="1\n1\n2\n:quit\n")
    assert result.returncode == 0, result.stderr
    assert "(Спасибо! Это помогает нам улучшать Jol.)" in result.stdout
    # A demo: written to its own database, never mixed with the bot's statistics.
    real = json.loads(jol("stats", "--format", "json", env=env).stdout)
    assert real["sections"] == real["articles"] == []
    demo = {**env, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'chat.sqlite3'}"}
    stats = json.loads(jol("stats", "--format", "json", env=demo).stdout)
    assert stats["sections"] == [{"id": "before", "count": 1}]
    assert stats["articles"] == [{"id": "first-steps", "count": 1}]
    assert stats["feedback"] == [{"article": "first-steps", "locale": "ru", "up": 1, "down": 0}]
