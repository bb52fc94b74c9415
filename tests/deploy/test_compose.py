"""The Docker stack as files: the compose file is valid Compose, and the two setups it describes
are the ones the README promises. No Docker engine is needed to check this."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SCHEMA = json.loads((Path(__file__).parent / "compose-spec.json").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def env_example() -> dict[str, str]:
    pairs = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value.strip()
    return pairs


def services(profile: str) -> dict[str, dict]:
    return {
        name: service
        for name, service in COMPOSE["services"].items()
        if profile in service.get("profiles", [profile])
    }


def image_env() -> dict[str, str]:
    block = re.search(r"^ENV (.+?)(?=^\S)", DOCKERFILE, re.S | re.M)
    assert block, "the Dockerfile sets no environment"
    return dict(re.findall(r"(\w+)=(\S+)", block.group(1)))


def test_the_compose_file_follows_the_compose_specification():
    jsonschema.Draft7Validator(SCHEMA).validate(COMPOSE)


def test_a_broken_compose_file_is_caught_by_the_schema():
    broken = {"services": {"bot": {"image": "jol", "restart": ["always"]}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(SCHEMA).validate(broken)


def test_env_example_as_it_ships_starts_the_single_machine_setup():
    env = env_example()
    assert env["COMPOSE_PROFILES"] == "single"
    # The image keeps its state in the /data volume; .env must not move it elsewhere.
    assert "JOL_DATA_DIR" not in env
    # What the scaled stack needs is there to fill in.
    for name in ("POSTGRES_PASSWORD", "JOL_DOMAIN", "WEBHOOK_URL", "WEBHOOK_SECRET"):
        assert name in env


def test_single_machine_is_one_polling_bot_with_its_state_on_a_volume():
    single = services("single")
    assert list(single) == ["bot"]
    bot = single["bot"]
    assert "--webhook" not in bot.get("command", [])
    data_dir = image_env()["JOL_DATA_DIR"]
    mounts = {m.split(":")[1]: m for m in bot["volumes"]}
    assert mounts[data_dir].startswith("botdata:"), "the data folder is not on a named volume"
    assert "healthcheck" in bot


@pytest.mark.parametrize("profile", ["single", "scaled"])
def test_editors_publish_without_a_rebuild(profile):
    for name, service in services(profile).items():
        if service.get("image", "").startswith("jol"):
            mounts = service["volumes"]
            assert "./content:/app/content:ro" in mounts, name
            assert "./locales:/app/locales:ro" in mounts, name


def test_the_scaled_stack_has_two_webhook_replicas_behind_a_proxy():
    scaled = services("scaled")
    assert set(scaled) == {"postgres", "redis", "migrate", "webhook", "proxy"}
    webhook = scaled["webhook"]
    assert webhook["command"] == ["jol", "run", "--webhook"]
    assert webhook["deploy"]["replicas"] == 2
    assert webhook["environment"]["REDIS_URL"].startswith("redis://redis:")
    assert webhook["environment"]["DATABASE_URL"].startswith("postgresql://")
    assert webhook["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert scaled["migrate"]["command"] == ["jol", "db", "upgrade"]
    assert "healthcheck" in webhook
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy webhook:8080" in caddyfile


def test_the_replicas_share_what_builds_search_on_a_volume_the_bot_may_write():
    webhook = services("scaled")["webhook"]
    models = f"{image_env()['JOL_DATA_DIR']}/models"  # where bot/services.py keeps it
    assert f"searchmodels:{models}" in webhook["volumes"]
    # A new named volume takes its owner from the image's folder: jol's, not root's.
    assert re.search(rf"install -d -o jol -g jol -m 0700 .*{models}\b", DOCKERFILE)


def test_the_image_runs_as_an_unprivileged_user_from_a_locked_build():
    assert re.search(r"^USER (?!root)\w+", DOCKERFILE, re.M)
    assert "--constraint requirements.lock" in DOCKERFILE
    assert "HEALTHCHECK" in DOCKERFILE
    assert (ROOT / "requirements.lock").is_file()


def test_each_health_check_asks_the_listener_its_bot_serves():
    """`jol health` asks JOL_HEALTH_LISTEN when set, else WEBHOOK_LISTEN (bot/cli/health.py)."""
    from bot.cli.health import health_url
    from bot.config import load_settings

    image = image_env()
    bot = services("single")["bot"]
    webhook = services("scaled")["webhook"]
    polling_env = {**image, **bot.get("environment", {})}
    webhook_env = {**image, **webhook["environment"]}
    assert polling_env["JOL_HEALTH_LISTEN"].startswith("127.0.0.1:")
    assert webhook_env["JOL_HEALTH_LISTEN"] == ""
    polling = load_settings(health_listen=polling_env["JOL_HEALTH_LISTEN"])
    scaled = load_settings(
        health_listen=webhook_env["JOL_HEALTH_LISTEN"],
        webhook_listen=webhook_env["WEBHOOK_LISTEN"],
    )
    assert health_url(polling) == f"http://{polling_env['JOL_HEALTH_LISTEN']}/healthz"
    assert health_url(scaled) == "http://127.0.0.1:8080/healthz"


def test_the_proxy_does_not_evict_replicas_on_healthz():
    """/healthz says 503 while Redis is away, yet replicas answer then: the proxy must not take
    them all out of the pool for it."""
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "health_uri" not in caddyfile
    assert "lb_try_duration" in caddyfile
