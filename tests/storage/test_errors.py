"""Only what the database raises is handled as "the database failed"."""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp.client_reqrep import ConnectionKey
from sqlalchemy import text

from storage import Database
from storage.db import DATABASE_ERRORS, DatabaseUnavailable
from tests.outage import closed_port


@pytest.mark.parametrize(
    "url",
    [
        lambda: f"postgresql://postgres@127.0.0.1:{closed_port()}/gone",
        lambda: "postgresql://postgres@no-such-host.invalid:5432/gone",
    ],
    ids=["refused", "unknown-host"],
)
async def test_a_server_that_cannot_be_reached_is_a_database_error(url):
    db = Database(url())
    try:
        with pytest.raises(DatabaseUnavailable) as caught:
            async with db.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        assert isinstance(caught.value, DATABASE_ERRORS)
    finally:
        await db.close()


async def test_a_locked_or_broken_database_is_a_database_error(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'jol.sqlite3'}")
    try:
        with pytest.raises(DATABASE_ERRORS):
            async with db.engine.connect() as connection:
                await connection.execute(text("SELECT * FROM no_such_table"))
    finally:
        await db.close()


def _bot_api_unreachable() -> OSError:
    key = ConnectionKey("api.telegram.org", 443, True, None, None, None, None)
    return aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "refused"))


@pytest.mark.parametrize(
    "error",
    [
        PermissionError(13, "Permission denied", "/srv/jol/data/chart.png"),
        FileNotFoundError(2, "No such file", "content/articles"),
        ConnectionResetError(104, "reset by peer"),
        _bot_api_unreachable(),
    ],
    ids=["permission", "missing-file", "socket", "bot-api"],
)
def test_an_unrelated_os_error_is_not_taken_for_a_database_error(error):
    assert not isinstance(error, DATABASE_ERRORS)
    # ... so that `except DATABASE_ERRORS` lets it through to the error handler.
    with pytest.raises(type(error)):
        try:
            raise error
        except DATABASE_ERRORS:
            pass
