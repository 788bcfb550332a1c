"""The one place of the SDK's HTTP behaviour: an httpx transport wrapper.

Credentials on every request, a single-flight token refresh on 401, 429s waited out
(`Retry-After`, up to `max_retries` times, never longer than `max_retry_wait`) and the
X-RateLimit-* headers of every answer. Each service's httpx client shares one `_State`.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import httpx

from ._ratelimit import RateLimit
from .errors import retry_after_seconds

# The raw answer of the last request made in this thread / task: lets the service layer build
# a typed error even when the generated parser could not read a (non-JSON) error body.
last_response: contextvars.ContextVar[httpx.Response | None] = contextvars.ContextVar(
    "sbmcrm_last_response", default=None
)

_NO_REFRESH_PATHS = (
    "/auth/api/login",
    "/auth/api/get-new-access-token",
    "/auth/api/members/wechat-login",
)


@dataclass(frozen=True)
class Tokens:
    """An access token and its refresh token, as `on_tokens` hears them (never in the repr)."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)


class _State:
    def __init__(
        self,
        base_url: str,
        access_token: str | None,
        refresh_token: str | None,
        api_key: str | None,
        on_tokens: Callable[[Tokens], None] | None,
        max_retries: int,
        max_retry_wait: float,
        timeout: httpx.Timeout | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.api_key = api_key
        self.on_tokens = on_tokens
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self.timeout = timeout or httpx.Timeout(30.0)  # the client's: bounds the token refresh
        self.rate_limit: RateLimit | None = None
        self.rate_limited_retries = 0  # 429s waited out and retried
        self.token_refreshes = 0
        self.sync_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    @property
    def async_lock(self) -> asyncio.Lock:
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        return self._async_lock

    def set_tokens(self, access_token: str, refresh_token: str | None) -> None:
        self.access_token = access_token
        if refresh_token is not None:
            self.refresh_token = refresh_token
        if self.on_tokens is not None:
            self.on_tokens(Tokens(access_token, self.refresh_token))

    # -- per request ------------------------------------------------------------------------

    def apply_auth(self, request: httpx.Request, explicit: bool) -> str | None:
        """Sets the credential; answers the access token used (None: not a bearer request)."""
        if explicit:
            return None
        if self.access_token:
            request.headers["Authorization"] = f"Bearer {self.access_token}"
            request.headers.pop("X-API-Key", None)
            return self.access_token
        if self.api_key:
            request.headers["X-API-Key"] = self.api_key
        return None

    def observe(self, response: httpx.Response) -> None:
        rl = RateLimit.from_headers(response.headers)
        if rl is not None:
            self.rate_limit = rl
        last_response.set(response)

    def may_refresh(self, request: httpx.Request, response: httpx.Response, used: str | None) -> bool:
        return (
            response.status_code == 401
            and used is not None
            and bool(self.refresh_token)
            and not request.url.path.endswith(_NO_REFRESH_PATHS)
        )

    def retry_wait(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before repeating a 429, or None: give the 429 to the caller."""
        if response.status_code != 429 or attempt >= self.max_retries:
            return None
        wait = retry_after_seconds(response.headers)
        if wait is None:
            wait = 1.0
        if wait > self.max_retry_wait:
            return None
        return wait

    def refresh_request(self, failed: httpx.Request) -> httpx.Request:
        """The token exchange, with the timeouts of the request that got the 401 (the client's
        where that one has none, e.g. the stream's unbounded read): it runs under the lock."""
        timeout = dict(self.timeout.as_dict())
        timeout.update({k: v for k, v in (failed.extensions.get("timeout") or {}).items() if v is not None})
        return httpx.Request(
            "POST",
            f"{self.base_url}/auth/api/get-new-access-token",
            json={"refreshToken": self.refresh_token},
            extensions={"timeout": timeout},
        )

    def take_refresh_answer(self, response: httpx.Response) -> bool:
        if response.status_code != 200:
            return False
        try:
            data = json.loads(response.content)["data"]
            access, refresh = data["accessToken"], data.get("refreshToken")
        except (ValueError, KeyError, TypeError):
            return False
        self.token_refreshes += 1
        self.set_tokens(access, refresh)
        return True


def _explicit(request: httpx.Request) -> bool:
    return "authorization" in request.headers or "x-api-key" in request.headers


class SbmTransport(httpx.BaseTransport):
    """Synchronous transport wrapper (see the module docstring)."""

    def __init__(self, state: _State, inner: httpx.BaseTransport | None = None) -> None:
        self._state = state
        self._inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        state = self._state
        explicit = _explicit(request)
        request.read()  # buffered, so that a retry can send the body again
        attempt = 0
        refreshed = False
        while True:
            used = state.apply_auth(request, explicit)
            response = self._inner.handle_request(request)
            state.observe(response)
            if not refreshed and state.may_refresh(request, response, used):
                response.read()
                refreshed = True
                if self._refresh(request, used):
                    response.close()
                    continue
                return response
            wait = state.retry_wait(response, attempt)
            if wait is not None:
                response.read()
                response.close()
                attempt += 1
                state.rate_limited_retries += 1
                time.sleep(wait)
                continue
            return response

    def _refresh(self, failed: httpx.Request, used: str | None) -> bool:
        state = self._state
        with state.sync_lock:
            if state.access_token != used:
                return True  # another request refreshed meanwhile
            response = self._inner.handle_request(state.refresh_request(failed))
            try:
                response.read()
            finally:
                response.close()
            return state.take_refresh_answer(response)

    def close(self) -> None:  # shared by the five services' httpx clients: closed once
        if not getattr(self, "_closed", False):
            self._closed = True
            self._inner.close()


class AsyncSbmTransport(httpx.AsyncBaseTransport):
    """Asynchronous transport wrapper (see the module docstring)."""

    def __init__(self, state: _State, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._state = state
        self._inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        state = self._state
        explicit = _explicit(request)
        await request.aread()
        attempt = 0
        refreshed = False
        while True:
            used = state.apply_auth(request, explicit)
            response = await self._inner.handle_async_request(request)
            state.observe(response)
            if not refreshed and state.may_refresh(request, response, used):
                await response.aread()
                refreshed = True
                if await self._refresh(request, used):
                    await response.aclose()
                    continue
                return response
            wait = state.retry_wait(response, attempt)
            if wait is not None:
                await response.aread()
                await response.aclose()
                attempt += 1
                state.rate_limited_retries += 1
                await asyncio.sleep(wait)
                continue
            return response

    async def _refresh(self, failed: httpx.Request, used: str | None) -> bool:
        state = self._state
        async with state.async_lock:
            if state.access_token != used:
                return True
            response = await self._inner.handle_async_request(state.refresh_request(failed))
            try:
                await response.aread()
            finally:
                await response.aclose()
            return state.take_refresh_answer(response)

    async def aclose(self) -> None:
        if not getattr(self, "_closed", False):
            self._closed = True
            await self._inner.aclose()
