"""Start-up failures say what is wrong in one place, never with a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from tests.conftest import FIXTURE_CONTENT


def jol(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **env},
    )


def test_run_without_a_token_says_so_in_one_line(tmp_path):
    result = jol("run", env={"BOT_TOKEN": "", "JOL_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_malformed_setting_is_named(tmp_path):
    result = jol("chat", env={"ADMIN_IDS": "boss", "JOL_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "ADMIN_IDS" in result.stderr and "Traceback" not in result.stderr


def test_broken_content_stops_start_up_with_file_line_and_reason(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    meta = content / "articles" / "first-steps" / "meta.yaml"
    meta.write_text(meta.read_text().replace("reviewed: 2026-11-20", "reviewed: someday"))
    result = jol(
        "chat", env={"JOL_CONTENT_DIR": str(content), "JOL_DATA_DIR": str(tmp_path / "data")}
    )
    assert result.returncode == 3
    assert "content/articles/first-steps/meta.yaml:3" in result.stderr
    assert "reviewed" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_terminal_chat_walks_to_an_article_and_a_venue(tmp_path):
    typed = "\n".join(["1", "1", "/menu", "3", "2", "2", "1", ":quit"]) + "\n"
    result = jol(
        "chat",
        "--lang",
        "ru",
        env={"JOL_CONTENT_DIR": str(FIXTURE_CONTENT), "JOL_DATA_DIR": str(tmp_path)},
        stdin=typed,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "🧳 Перед отъездом" in out
    assert "First steps (ru)" in out and "Body of first steps in ru" in out
    assert "📍 Exact ru\n   Street 1 ru\n   https://www.openstreetmap.org/?mlat=43.25000" in out


def test_the_terminal_chat_is_a_demo_with_its_own_database(tmp_path):
    env = {
        "JOL_CONTENT_DIR": str(FIXTURE_CONTENT),
        "JOL_DATA_DIR": str(tmp_path),
        # The bot's real database: the demo must never write there.
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'real.sqlite3'}",
    }
    first = jol("chat", "--lang", "uz", env=env, stdin=":quit\n")
    assert first.returncode == 0, first.stderr
    assert "Yoʻlga chiqishdan oldin" in first.stdout
    assert (tmp_path / "chat.sqlite3").exists()
    assert not (tmp_path / "real.sqlite3").exists()
    # The same demo user keeps the language saved on the first visit...
    again = jol("chat", "--lang", "tg", env=env, stdin=":quit\n")
    assert "Yoʻlga chiqishdan oldin" in again.stdout
    # ...and --fresh starts someone new, in the language asked for.
    fresh = jol("chat", "--lang", "tg", "--fresh", env=env, stdin=":quit\n")
    assert fresh.returncode == 0, fresh.stderr
    assert "Пеш аз сафар" in fresh.stdout
