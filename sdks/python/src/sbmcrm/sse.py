"""The notification service's real-time stream (GET /notification/api/sse), parsed.

`client.notification.stream()` yields `StreamEvent`s; when the connection drops (or the server
ends it) it reconnects with `Last-Event-ID`, after the server's `retry:` delay. A 5xx answer
(a restart, a rolling deploy) or a failed connection is retried too, the delay doubling with
each failure in a row (or the answer's `Retry-After`), at most `MAX_BACKOFF_S` (30 s).
Comment lines (`: heartbeat`) are skipped. A 4xx answer (401 after a failed refresh, 403...)
raises its typed error; so does a 5xx with `reconnect=False`.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any, AsyncIterator, Iterator

import httpx

from .errors import error_from_response, retry_after_seconds

DEFAULT_RETRY_MS = 3000
MAX_BACKOFF_S = 30.0


@dataclass(frozen=True)
class StreamEvent:
    """One server-sent event: `id`, `event` name (e.g. "points.earned") and decoded `data`."""

    id: str | None
    event: str
    data: Any


@dataclass
class _Parser:
    last_event_id: str | None = None
    reconnect: bool = True
    retry_ms: int = DEFAULT_RETRY_MS
    _event: str = ""
    _data: list[str] = field(default_factory=list)
    _id: str | None = None

    failures: int = 0  # connection attempts in a row without a 200
    retry_after: float | None = None  # of the last 5xx answer

    def reset(self) -> None:
        """Drops a half-received event (the connection ended in its middle)."""
        self._event, self._data, self._id = "", [], None

    def connected(self, response: httpx.Response) -> bool:
        """True for a 200; False for a 5xx worth reconnecting after; raises for the rest."""
        if response.status_code == 200:
            self.failures, self.retry_after = 0, None
            return True
        if response.status_code >= 500 and self.reconnect:
            self.failed(retry_after_seconds(response.headers))
            return False
        raise error_from_response(response.status_code, response.content, response.headers)

    def failed(self, retry_after: float | None = None) -> None:
        self.failures += 1
        self.retry_after = retry_after

    def delay(self) -> float:
        """Seconds before reconnecting: `retry:` after a dropped stream, growing after failures."""
        base = self.retry_ms / 1000
        if self.failures == 0:
            return base
        wanted = max(base * 2 ** min(self.failures - 1, 16), self.retry_after or 0.0)
        return min(wanted, max(MAX_BACKOFF_S, base))

    def feed(self, line: str) -> StreamEvent | None:
        if line == "":
            if self._id is not None:
                self.last_event_id = self._id or None
            self._id = None
            if not self._data:
                self._event = ""
                return None
            raw = "\n".join(self._data)
            try:
                data: Any = json.loads(raw)
            except ValueError:
                data = raw
            event = StreamEvent(self.last_event_id, self._event or "message", data)
            self._event, self._data = "", []
            return event
        if line.startswith(":"):
            return None  # a comment: heartbeat
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isdigit():
            self.retry_ms = int(value)
        return None


def _request_args(last_event_id: str | None, locale: str | None, timeout: httpx.Timeout) -> dict[str, Any]:
    headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    params = {"locale": locale} if locale else None
    return {"headers": headers, "params": params, "timeout": httpx.Timeout(timeout.connect, read=None)}


_DROPPED = (httpx.TransportError,)


def stream_sync(
    http: httpx.Client,
    last_event_id: str | int | None = None,
    *,
    locale: str | None = None,
    reconnect: bool = True,
) -> Iterator[StreamEvent]:
    parser = _Parser(str(last_event_id) if last_event_id is not None else None, reconnect)
    while True:
        try:
            with http.stream("GET", "/sse", **_request_args(parser.last_event_id, locale, http.timeout)) as r:
                if r.status_code != 200:
                    r.read()
                if parser.connected(r):
                    for line in r.iter_lines():
                        event = parser.feed(line)
                        if event is not None:
                            yield event
        except _DROPPED:
            parser.failed()
        if not reconnect:
            return
        parser.reset()
        time.sleep(parser.delay())


async def stream_async(
    http: httpx.AsyncClient,
    last_event_id: str | int | None = None,
    *,
    locale: str | None = None,
    reconnect: bool = True,
) -> AsyncIterator[StreamEvent]:
    parser = _Parser(str(last_event_id) if last_event_id is not None else None, reconnect)
    while True:
        try:
            async with http.stream("GET", "/sse", **_request_args(parser.last_event_id, locale, http.timeout)) as r:
                if r.status_code != 200:
                    await r.aread()
                if parser.connected(r):
                    async for line in r.aiter_lines():
                        event = parser.feed(line)
                        if event is not None:
                            yield event
        except _DROPPED:
            parser.failed()
        if not reconnect:
            return
        parser.reset()
        await asyncio.sleep(parser.delay())
