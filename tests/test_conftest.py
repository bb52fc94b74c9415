"""The test suite's own plumbing: which PostgreSQL it probes."""

from __future__ import annotations

import pytest

from tests import conftest
from tests.outage import closed_port


def test_the_postgres_probe_follows_jol_test_postgres():
    assert conftest.postgres_address("postgresql://u@db.example:6543/x") == ("db.example", 6543)
    assert conftest.postgres_address("postgresql://postgres@10.0.0.7/test") == ("10.0.0.7", 5432)


async def test_a_postgres_elsewhere_that_is_down_is_reported_at_its_own_address(monkeypatch):
    port = closed_port()
    monkeypatch.setattr(conftest, "POSTGRES_ADMIN_URL", f"postgresql://postgres@127.0.0.1:{port}/t")
    monkeypatch.delenv("REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"127.0.0.1:{port}"):
        async with conftest.fresh_postgres():
            pass
