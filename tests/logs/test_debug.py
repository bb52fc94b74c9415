"""At DEBUG, the database layer prints no statement, key or typed text."""

from __future__ import annotations

import io
import logging

from bot.config import load_settings
from bot.logs import setup_logging
from bot.services import open_services
from storage.events import EventRecord
from tests.conftest import DATABASE_TIMEOUT, FIXTURE_CONTENT, scaled


async def test_at_debug_no_key_or_query_reaches_the_log(database_url, tmp_path, restore_logging):
    setup_logging("DEBUG")
    written = io.StringIO()
    logging.getLogger().handlers[0].setStream(written)  # type: ignore[attr-defined]
    settings = load_settings(
        content_dir=FIXTURE_CONTENT,
        jol_data_dir=tmp_path,
        database_url=database_url,
        database_timeout=scaled(DATABASE_TIMEOUT),
    )
    services = await open_services(settings)
    try:
        key = services.pseudonyms.key_for(987654321)
        await services.users.set_locale(key, "kk")
        assert await services.users.locale(key) == "kk"
        services.events.record([EventRecord(key, "search_miss", "kk", query="patent qayerda")])
        await services.events.flush()
    finally:
        await services.close()
    logging.getLogger("jol.test").debug("debug lines do reach the log")
    log = written.getvalue()
    assert "debug lines do reach the log" in log
    assert key not in log
    assert "patent" not in log
    for statement in ("SELECT", "INSERT", "UPDATE", "user_preference"):
        assert statement not in log, statement
