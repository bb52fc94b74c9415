"""Start-up of webhook mode and `jol health`: refusals in one line with exit 2, the health
check's answers, and settings read from Docker secrets files."""

from __future__ import annotations

import asyncio
import socket

import pytest
from aiohttp import web

from bot.config import Settings, SettingsError, load_settings
from tests.test_cli import jol

TOKEN = "123456:TEST-token-abc"
KEY = "k" * 32
SECRET = "s" * 24


def one_line_refusal(result, name: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 2, result.stderr
    assert name in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize(
    ("args", "env", "name"),
    [
        (
            ("run", "--webhook"),
            {"WEBHOOK_URL": "https://x/t", "WEBHOOK_SECRET": SECRET},
            "PSEUDONYM",
        ),
        (("run",), {"DATABASE_URL": "postgresql://u@127.0.0.1:1/x"}, "JOL_PSEUDONYM_KEY"),
        (("run", "--webhook"), {"JOL_PSEUDONYM_KEY": KEY, "WEBHOOK_SECRET": SECRET}, "WEBHOOK_URL"),
        (
            ("run", "--webhook"),
            {"JOL_PSEUDONYM_KEY": KEY, "WEBHOOK_URL": "https://x/t", "WEBHOOK_SECRET": "short"},
            "WEBHOOK_SECRET",
        ),
        (("run", "--webhook"), {"WEBHOOK_LISTEN": "nowhere"}, "WEBHOOK_LISTEN"),
    ],
)
def test_webhook_mode_and_postgres_refuse_what_would_split_replicas(tmp_path, args, env, name):
    result = jol(*args, env={"BOT_TOKEN": TOKEN, "JOL_DATA_DIR": str(tmp_path), **env})
    one_line_refusal(result, name)
    assert SECRET not in result.stderr and KEY not in result.stderr


def test_polling_with_sqlite_needs_no_shared_key():
    load_settings(bot_token=TOKEN).check_shared(webhook=False)
    with pytest.raises(SettingsError, match="JOL_PSEUDONYM_KEY"):
        load_settings(bot_token=TOKEN).check_shared(webhook=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def serve_health(status: int, body: dict[str, str]) -> tuple[web.AppRunner, int]:
    async def healthz(request: web.Request) -> web.Response:
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, port


@pytest.mark.parametrize("variable", ["JOL_HEALTH_LISTEN", "WEBHOOK_LISTEN"])
async def test_jol_health_asks_the_running_listener(tmp_path, variable):
    for status, expected in ((200, 0), (503, 1)):
        runner, port = await serve_health(status, {"database": "unavailable"})
        try:
            env = {"JOL_DATA_DIR": str(tmp_path), variable: f"0.0.0.0:{port}"}
            if variable == "WEBHOOK_LISTEN":
                env["JOL_HEALTH_LISTEN"] = ""
            result = await asyncio.to_thread(jol, "health", env=env)
        finally:
            await runner.cleanup()
        assert result.returncode == expected, result.stderr
        if expected:
            assert "database" in result.stderr
    nothing = await asyncio.to_thread(
        jol,
        "health",
        env={"JOL_DATA_DIR": str(tmp_path), "JOL_HEALTH_LISTEN": f"127.0.0.1:{free_port()}"},
    )
    assert nothing.returncode == 1 and "nothing answers" in nothing.stderr


def test_secrets_are_read_from_files(tmp_path, monkeypatch):
    for name in ("BOT_TOKEN", "WEBHOOK_SECRET", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "bot_token").write_text(TOKEN + "\n")
    (tmp_path / "webhook_secret").write_text(SECRET)
    (tmp_path / "redis_url").write_text("redis://:hunter22@redis:6379/0")
    settings = Settings(_secrets_dir=tmp_path)  # type: ignore[call-arg]
    assert settings.token() == TOKEN
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == SECRET
    assert "hunter22" in settings.secrets()  # so that logs redact the Redis password too
