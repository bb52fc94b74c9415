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
    typed = "\n".join(["1", "1", "/menu", "3", "3", "3", "1", ":quit"]) + "\n"
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
