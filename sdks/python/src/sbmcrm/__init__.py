"""The official Python SDK of SBM CRM.

    from sbmcrm import Client
    client = Client("https://api.sbmcrm.example.com", api_key="sbmk_...")
    client.point.transactions_earn(body={"memberId": member_id, "points": 50})

Models and the generated functions of each service: `sbmcrm.auth`, `sbmcrm.point`,
`sbmcrm.cluster`, `sbmcrm.reward`, `sbmcrm.notification` (e.g. `from sbmcrm.point import EarnRequest`).
"""

from ._client import (
    AsyncClient,
    AsyncNotificationService,
    AsyncPointService,
    Client,
    NotificationService,
    PointService,
)
from ._generated.point.types import UNSET, File, Unset
from ._ratelimit import RateLimit
from ._services import AsyncService, Service
from ._transport import Tokens
from .errors import (
    BadRequest,
    Conflict,
    FieldError,
    Forbidden,
    NetworkError,
    NotFound,
    RateLimited,
    ResponseDecodeError,
    SbmError,
    ServerError,
    Unauthorized,
    Unprocessable,
)
from .sse import StreamEvent

__all__ = [
    "Client",
    "AsyncClient",
    "Service",
    "AsyncService",
    "PointService",
    "AsyncPointService",
    "NotificationService",
    "AsyncNotificationService",
    "Tokens",
    "RateLimit",
    "StreamEvent",
    "File",
    "UNSET",
    "Unset",
    "SbmError",
    "FieldError",
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
]
