"""A migrated, empty database for each storage test, on SQLite and on PostgreSQL."""

import pytest

from storage import Database
from storage.schema import upgrade


@pytest.fixture
async def db(database_url):
    opened = Database(database_url)
    await upgrade(opened)
    yield opened
    await opened.close()
