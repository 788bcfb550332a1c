"""The typed errors every operation raises: `SbmError` for a non-2xx answer, `NetworkError`
when there was no answer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from ._ratelimit import RateLimit

__all__ = [
    "FieldError",
    "SbmError",
    "BadRequest",
    "Unauthorized",
    "Forbidden",
    "NotFound",
    "Conflict",
    "Unprocessable",
    "RateLimited",
    "ServerError",
    "ResponseDecodeError",
    "NetworkError",
    "error_from_response",
]


@dataclass(frozen=True)
class FieldError:
    """One entry of the error body's `errors`: which field, and what is wrong with it."""

    field: str
    message: str


class SbmError(Exception):
    """Any non-2xx answer of the platform.

    `status_code`, `message`, `errors` (a list of `FieldError`), `rate_limit` (the answer's
    X-RateLimit-* headers) and `body` (the decoded error body, or the raw text).
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        errors: list[FieldError] | None = None,
        rate_limit: RateLimit | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(f"{status_code}: {message}")
        self.status_code = status_code
        self.message = message
        self.errors: list[FieldError] = list(errors or [])
        self.rate_limit = rate_limit
        self.body = body


class BadRequest(SbmError):
    """400."""


class Unauthorized(SbmError):
    """401 (after a token refresh, when one was possible, failed too)."""


class Forbidden(SbmError):
    """403."""


class NotFound(SbmError):
    """404."""


class Conflict(SbmError):
    """409."""


class Unprocessable(SbmError):
    """422: a business rule refused the request (e.g. insufficient points)."""


class RateLimited(SbmError):
    """429 that was not retried (retries exhausted, or `Retry-After` above `max_retry_wait`)."""

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after


class ServerError(SbmError):
    """5xx."""


class ResponseDecodeError(SbmError):
    """A 2xx answer the generated models could not read (it does not match the OpenAPI
    document). `body` holds the decoded JSON, so the data is still reachable."""


class NetworkError(Exception):
    """No answer: the server could not be reached, the connection broke, or a timeout expired.

    Not an `SbmError` (there is no status); the httpx exception (`httpx.ConnectError`,
    `httpx.ReadTimeout`...) is its `__cause__`. A request that timed out may still have been
    carried out: repeat it with the same `idempotency_key`.
    """


_BY_STATUS: dict[int, type[SbmError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: Unprocessable,
    429: RateLimited,
}


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime
        from datetime import datetime, timezone

        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def error_from_response(status_code: int, content: bytes, headers: Mapping[str, str]) -> SbmError:
    """Builds the typed error of an answer `{"statusCode", "data": {"message", "errors"}}`."""
    body: Any
    message = ""
    errors: list[FieldError] = []
    try:
        body = json.loads(content) if content else None
    except ValueError:
        body = content.decode("utf-8", "replace")
        message = body.strip()[:500]
    if isinstance(body, dict):
        data = body.get("data") if isinstance(body.get("data"), dict) else body
        message = str(data.get("message") or body.get("message") or "")
        for item in data.get("errors") or []:
            if isinstance(item, dict):
                errors.append(FieldError(str(item.get("field", "")), str(item.get("message", ""))))
    if not message:
        message = f"HTTP {status_code}"
    rate_limit = RateLimit.from_headers(headers)
    if status_code >= 500:
        cls: type[SbmError] = ServerError
    else:
        cls = _BY_STATUS.get(status_code, SbmError)
    if cls is RateLimited:
        return RateLimited(
            status_code, message, errors, rate_limit, body, retry_after=retry_after_seconds(headers)
        )
    return cls(status_code, message, errors, rate_limit, body)
