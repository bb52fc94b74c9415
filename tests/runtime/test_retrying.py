"""The retry policy both runtimes apply, and how the PTB request object reads raw answers."""

from __future__ import annotations

import json

import pytest
from telegram.error import NetworkError

from bot.runtime.ptb.requests import judge
from bot.runtime.retrying import Flood, Retries, Transient


def answers(*results):
    """An attempt that gives `results` in turn (an exception is raised)."""
    queue = list(results)
    made = []

    async def attempt():
        made.append(1)
        result = queue.pop(0)
        if isinstance(result, BaseException):
            raise result
        return result

    return attempt, made


def by_value(result, error):
    if error is not None:
        return Transient(type(error).__name__)
    return {"long": Flood(3600), "5xx": Transient("5xx")}.get(result)


async def test_a_transient_failure_is_tried_again_until_it_passes():
    retries = Retries(first_delay=0)
    attempt, made = answers("5xx", NetworkError("lost"), "ok")
    assert await retries.run("sendMessage", attempt, by_value) == "ok"
    assert len(made) == 3 and retries.given_up == 0


async def test_after_the_last_attempt_the_caller_sees_the_last_answer_and_it_is_counted():
    retries = Retries(first_delay=0, attempts=2)
    attempt, made = answers("5xx", "5xx")
    assert await retries.run("sendMessage", attempt, by_value) == "5xx"
    assert len(made) == 2
    attempt, _ = answers("5xx", NetworkError("lost"))
    with pytest.raises(NetworkError):
        await retries.run("sendMessage", attempt, by_value)
    assert retries.given_up == 2


async def test_a_flood_wait_beyond_the_cap_is_not_waited():
    retries = Retries(max_wait=30)
    attempt, made = answers("long", "ok")
    assert await retries.run("sendMessage", attempt, by_value) == "long"
    assert len(made) == 1 and retries.given_up == 1


def raw(status: int, body: object) -> tuple[int, bytes]:
    text = body if isinstance(body, str) else json.dumps(body)
    return status, text.encode()


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [
        (raw(200, {"ok": True, "result": True}), None),
        (raw(429, {"ok": False, "parameters": {"retry_after": 5}}), Flood(5)),
        (raw(502, {"ok": False, "description": "Bad Gateway"}), Transient("server error 502")),
        (raw(502, "<html>502</html>"), Transient("an answer that is not JSON")),
        (raw(200, "garbled"), Transient("an answer that is not JSON")),
        (raw(400, {"ok": False, "description": "Bad Request: chat not found"}), None),
        (raw(403, {"ok": False, "description": "Forbidden: bot was blocked"}), None),
        (raw(413, {"ok": False, "description": "Request Entity Too Large"}), None),
    ],
)
def test_the_ptb_request_object_reads_telegrams_answers(answer, verdict):
    assert judge(answer, None) == verdict


def test_a_lost_connection_is_transient_for_the_ptb_request_object():
    assert judge(None, NetworkError("httpx.ConnectError")) == Transient("NetworkError")
    assert judge(None, ValueError("a bug")) is None
