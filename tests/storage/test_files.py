"""What the bot keeps on disk is readable by its own user only, whatever the umask."""

from __future__ import annotations

import os
import stat

import pytest

from bot.config import load_settings
from bot.services import open_services
from tests.conftest import FIXTURE_CONTENT


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)  # the common default: files world-readable
    yield
    os.umask(old)


async def test_the_data_folder_database_and_key_are_private(tmp_path, loose_umask):
    data = tmp_path / "srv" / "data"
    settings = load_settings(content_dir=FIXTURE_CONTENT, jol_data_dir=data, database_url=None)
    services = await open_services(settings)
    try:
        await services.users.set_locale("k1", "kk")  # the write-ahead log exists now
        assert mode(data) == 0o700
        assert mode(data / "jol.sqlite3") == 0o600
        assert mode(data / "pseudonym.key") == 0o600
        for extra in ("jol.sqlite3-wal", "jol.sqlite3-shm"):
            if (data / extra).exists():
                assert mode(data / extra) == 0o600, extra
    finally:
        await services.close()


async def test_a_database_and_key_left_world_readable_are_tightened(tmp_path, loose_umask):
    (tmp_path / "jol.sqlite3").touch(mode=0o644)
    (tmp_path / "pseudonym.key").write_text("0123456789abcdef0123456789abcdef")
    (tmp_path / "pseudonym.key").chmod(0o644)
    settings = load_settings(content_dir=FIXTURE_CONTENT, jol_data_dir=tmp_path, database_url=None)
    services = await open_services(settings)
    await services.close()
    assert mode(tmp_path / "jol.sqlite3") == 0o600
    assert mode(tmp_path / "pseudonym.key") == 0o600
