"""Start-up failures say what is wrong in one place, never with a traceback."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.conftest import FIXTURE_CONTENT, TIME_FACTOR

JOL = Path(sys.executable).with_name("jol")  # the installed command, as operators run it
# Settings the bot reads: none may leak in from the shell running the tests.
SETTINGS = re.compile(
    r"^(BOT_TOKEN|TELEGRAM_API_BASE|DATABASE_URL|ADMIN_IDS|LOG_LEVEL|JOL_.*|WEBHOOK_.*|REDIS_URL)$"
)


def jol(
    *args: str, env: dict[str, str], stdin: str = "", cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run `jol` from an empty folder (pydantic-settings reads `.env` from the working folder,
    so a developer's own `.env` would otherwise change what the tests see)."""
    kept = {k: v for k, v in os.environ.items() if not SETTINGS.match(k)}
    with tempfile.TemporaryDirectory(prefix="jol-cli-") as empty:
        return subprocess.run(
            [str(JOL), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60 * TIME_FACTOR,
            env={**kept, **env},
            cwd=cwd or empty,
        )


def test_a_dot_env_in_the_folder_the_tests_run_from_is_not_read(tmp_path, monkeypatch):
    (tmp_path / ".env").write_text("ADMIN_IDS=boss\nJOL_DATA_DIR=/nonexistent/jol\n")
    monkeypatch.chdir(tmp_path)
    result = jol("db", "upgrade", env={"JOL_DATA_DIR": str(tmp_path / "data")})
    assert result.returncode == 0, result.stderr
    # ... while the same file in the folder `jol` runs from is read, as operators expect.
    read = jol("db", "upgrade", env={}, cwd=tmp_path)
    assert read.returncode == 2 and "ADMIN_IDS" in read.stderr


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


WALK = ["1", "1", "/menu", "3", "2", "2", "1", ":sticker", "/menu", "3", "1", "1", "2", ":quit"]


def walk(tmp_path, runtime: str) -> str:
    data = tmp_path / runtime
    result = jol(
        "chat",
        "--lang",
        "ru",
        "--runtime",
        runtime,
        env={"JOL_CONTENT_DIR": str(FIXTURE_CONTENT), "JOL_DATA_DIR": str(data)},
        stdin="\n".join(WALK) + "\n",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_terminal_chat_walks_to_an_article_and_a_venue_the_same_on_both_runtimes(tmp_path):
    """The same keys pressed give the same transcript, screen for screen, with either runtime."""
    transcripts = [walk(tmp_path, runtime) for runtime in ("aiogram", "ptb")]
    out = transcripts[0]
    assert "🧳 Перед отъездом" in out
    assert "First steps (ru)" in out and "Body of first steps in ru" in out
    assert "📍 Exact ru\n   Street 1 ru\n   https://www.openstreetmap.org/?mlat=43.25000" in out
    assert transcripts[1] == out


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
