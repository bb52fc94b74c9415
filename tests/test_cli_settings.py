"""Every bad setting is one line on stderr and exit status 2, never a traceback; run as `jol`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import scaled
from tests.e2e.fake_telegram import FakeTelegram
from tests.outage import closed_port
from tests.test_cli import jol

GOOD_TOKEN = "123456:TEST-token-abc"
HEAVY = ("aiogram", "sqlalchemy", "matplotlib", "aiohttp", "asyncpg", "alembic")


def one_line_error(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for text in expected:
        assert text in lines[0], lines[0]
    assert GOOD_TOKEN.split(":")[1] not in result.stderr


@pytest.mark.parametrize("token", ["not-a-token", "123456", "bot123456:TEST-token-abc", "12:ab cd"])
def test_a_malformed_token_is_one_line(tmp_path, token):
    result = jol("run", env={"BOT_TOKEN": token, "JOL_DATA_DIR": str(tmp_path)})
    one_line_error(result, "BOT_TOKEN", "malformed")


def test_the_token_format_is_checked_before_anything_heavy_is_imported(tmp_path):
    code = (
        "import json, sys\n"
        "from bot.cli import main\n"
        "status = main(['run'])\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "print(json.dumps([status, heavy]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"BOT_TOKEN": "malformed", "JOL_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=scaled(60),
    )
    assert json.loads(result.stdout) == [2, []], result.stderr


def test_a_token_telegram_refuses_is_one_line(tmp_path):
    with FakeTelegram("999999:ANOTHER-token-xyz") as fake:
        result = jol(
            "run",
            env={
                "BOT_TOKEN": GOOD_TOKEN,
                "TELEGRAM_API_BASE": fake.api_base,
                "JOL_DATA_DIR": str(tmp_path),
            },
        )
    one_line_error(result, "BOT_TOKEN", "refused", "401")


@pytest.mark.parametrize("base", ["closed", "unresolvable"])
def test_an_unreachable_telegram_is_one_line(tmp_path, base):
    url = {
        "closed": f"http://127.0.0.1:{closed_port()}",
        "unresolvable": "http://telegram.invalid",
    }[base]
    result = jol(
        "run",
        env={"BOT_TOKEN": GOOD_TOKEN, "TELEGRAM_API_BASE": url, "JOL_DATA_DIR": str(tmp_path)},
    )
    one_line_error(result, "TELEGRAM_API_BASE", "cannot be reached", url)


def test_a_short_pseudonym_key_names_the_minimum(tmp_path):
    result = jol("chat", env={"JOL_PSEUDONYM_KEY": "short", "JOL_DATA_DIR": str(tmp_path)})
    one_line_error(result, "JOL_PSEUDONYM_KEY", "at least 16 characters")
    assert "short" not in result.stderr


@pytest.mark.parametrize("url", ["mysql://jol:pw@db/jol", "jol.sqlite3"])
def test_an_unsupported_database_url_names_the_supported_ones(tmp_path, url):
    result = jol("db", "upgrade", env={"DATABASE_URL": url, "JOL_DATA_DIR": str(tmp_path)})
    one_line_error(result, "DATABASE_URL", "not supported", "sqlite:///", "postgresql://")


def test_an_unwritable_data_folder_is_named_as_the_data_folder(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    data = blocker / "data"  # cannot be made, even by root
    result = jol("chat", env={"JOL_DATA_DIR": str(data)}, stdin=":quit\n")
    one_line_error(result, "JOL_DATA_DIR", "data folder", str(data))
    assert "database" not in result.stderr


def test_jol_alone_prints_the_help_and_exits_2():
    result = jol(env={})
    assert result.returncode == 2
    assert "usage: jol" in result.stdout and "run" in result.stdout and "chat" in result.stdout
    assert "Traceback" not in result.stderr
