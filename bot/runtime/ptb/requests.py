"""Every Bot API call of this runtime passes through `RetryingRequest`, which applies the shared
policy of `bot.runtime.retrying` around the HTTP request object python-telegram-bot sends with.

This is the lowest place a call passes and the only one that sees Telegram's raw answer (status
and body), so a 413 is told from a 5xx, and a body that is not JSON is seen as such. PTB's own
`AIORateLimiter` sits higher, sees only exceptions (where a 5xx and a 413 are both a
`NetworkError`) and throttles every call, which Jol does not need. `getUpdates` uses a request
object of its own and is not retried here: polling has its own back-off. In a webhook turn a
call is first offered for the webhook's answer (`bot.runtime.answering`).
"""

from __future__ import annotations

import json
from typing import Any

from telegram._utils.types import JSONDict, ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.runtime.answering import CURRENT
from bot.runtime.retrying import Flood, Retries, Transient, Verdict

Answer = tuple[int, bytes]
NOTHING_BACK = b'{"ok": true, "result": true}'


def _json(payload: bytes) -> Any:
    try:
        return json.loads(payload.decode("utf-8", "replace"))
    except ValueError:
        return None


def judge(answer: Answer | None, error: BaseException | None) -> Verdict:
    if error is not None:
        # HTTPXRequest raises NetworkError (or TimedOut, one of them) for a failed connection.
        return Transient(type(error).__name__) if isinstance(error, NetworkError) else None
    assert answer is not None
    status, payload = answer
    body = _json(payload)
    if not isinstance(body, dict):
        return Transient("an answer that is not JSON")  # a proxy's error page, a cut-off one
    if status == 429:
        retry_after = (body.get("parameters") or {}).get("retry_after")
        if isinstance(retry_after, int | float):
            return Flood(retry_after)
    if status >= 500:
        return Transient(f"server error {status}")
    return None


def form(request_data: RequestData) -> dict[str, str] | None:
    """The call's fields as PTB posts them; None if it uploads a file."""
    return None if request_data.contains_files else request_data.json_parameters


class RetryingRequest(BaseRequest):
    """A `BaseRequest` that retries through `retries`, delegating HTTP to `inner`."""

    def __init__(self, inner: BaseRequest | None = None, retries: Retries | None = None) -> None:
        self.inner = inner or HTTPXRequest(connection_pool_size=256)
        self.retries = retries or Retries()

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    @staticmethod
    def parse_json_payload(payload: bytes) -> JSONDict:
        # PTB's own logs the whole body, which may quote what users wrote: say less.
        body = _json(payload)
        if not isinstance(body, dict):
            raise NetworkError("Invalid server response (not JSON)")
        return body

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> Answer:
        async def attempt() -> Answer:
            return await self.inner.do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )

        if method != "POST":  # a file download, not a Bot API method
            return await attempt()
        name = url.rsplit("/", 1)[-1]
        turn = CURRENT.get()
        if turn is not None and request_data is not None:
            if await turn.offer(name, lambda: form(request_data)):
                # Telegram makes it on reading the webhook's answer and says nothing back; PTB
                # reads `true` as "done" for every method that may go there.
                return 200, NOTHING_BACK
        return await self.retries.run(name, attempt, judge)
