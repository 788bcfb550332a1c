from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class RateLimit:
    """The X-RateLimit-Limit, -Remaining and -Reset headers of an answer (None when absent)."""

    limit: int | None
    remaining: int | None
    reset: int | None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> "RateLimit | None":
        values = [headers.get(f"x-ratelimit-{n}") for n in ("limit", "remaining", "reset")]
        if all(v is None for v in values):
            return None

        def num(v: str | None) -> int | None:
            try:
                return int(float(v)) if v is not None else None
            except ValueError:
                return None

        return cls(*(num(v) for v in values))
