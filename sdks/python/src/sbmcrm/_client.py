"""`Client` and `AsyncClient`: one credential, the five services, pagination, login."""

from __future__ import annotations

import importlib
from typing import Any, AsyncIterator, Awaitable, Callable, Iterator, Mapping

import httpx

from ._generated.auth.models import (
    EnvelopeMemberSessionData,
    EnvelopeTokenPairData,
    LoginRequest,
    WechatLogin,
)
from ._generated.point.models import EnvelopeReceiptData
from ._ratelimit import RateLimit
from ._receipts import ImageInput, receipt_upload
from ._services import SERVICES, AsyncService, Service
from ._transport import AsyncSbmTransport, SbmTransport, Tokens, _State
from .sse import StreamEvent, stream_async, stream_sync

__all__ = ["Client", "AsyncClient"]


class PointService(Service):
    def submit_receipt(self, image: ImageInput, **fields: Any) -> EnvelopeReceiptData:
        """`receipts_submit` from bytes, a path or a file: `receipt_number`, `store_id`,
        `amount` (minor units), `purchased_at` (datetime or RFC 3339), optional
        `store_category`, `file_name`, `mime_type`."""
        return self.receipts_submit(body=receipt_upload(image, **fields))


class AsyncPointService(AsyncService):
    async def submit_receipt(self, image: ImageInput, **fields: Any) -> EnvelopeReceiptData:
        """See `PointService.submit_receipt`."""
        return await self.receipts_submit(body=receipt_upload(image, **fields))


class NotificationService(Service):
    def stream(
        self, last_event_id: str | int | None = None, *, locale: str | None = None, reconnect: bool = True
    ) -> Iterator[StreamEvent]:
        """The real-time stream: a blocking iterator of `StreamEvent` (see `sbmcrm.sse`)."""
        return stream_sync(self._http, last_event_id, locale=locale, reconnect=reconnect)


class AsyncNotificationService(AsyncService):
    def stream(
        self, last_event_id: str | int | None = None, *, locale: str | None = None, reconnect: bool = True
    ) -> AsyncIterator[StreamEvent]:
        """The real-time stream: an async iterator of `StreamEvent` (see `sbmcrm.sse`)."""
        return stream_async(self._http, last_event_id, locale=locale, reconnect=reconnect)


def _page_items(data: Any) -> tuple[list[Any], int]:
    try:
        return list(data.data), int(data.meta.total_pages)
    except AttributeError:
        raise TypeError("paginate() takes a list operation (its data is {meta, data})") from None


class _Base:
    def __init__(
        self,
        base_url: str,
        *,
        access_token: str | None = None,
        refresh_token: str | None = None,
        api_key: str | None = None,
        timeout: float | httpx.Timeout | None = 30.0,
        max_retries: int = 2,
        max_retry_wait: float = 60.0,
        on_tokens: Callable[[Tokens], None] | None = None,
    ) -> None:
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        self._state = _State(
            base_url, access_token, refresh_token, api_key, on_tokens, max_retries, max_retry_wait,
            self._timeout,
        )

    @property
    def base_url(self) -> str:
        return self._state.base_url

    def service_url(self, service: str) -> str:
        return f"{self._state.base_url}/{service}/api"

    @property
    def rate_limit(self) -> RateLimit | None:
        """X-RateLimit-Limit/-Remaining/-Reset of the last answer that carried them."""
        return self._state.rate_limit

    @property
    def access_token(self) -> str | None:
        return self._state.access_token

    @property
    def refresh_token(self) -> str | None:
        return self._state.refresh_token

    @property
    def rate_limited_retries(self) -> int:
        """How many 429 answers this client waited out and retried."""
        return self._state.rate_limited_retries

    @property
    def token_refreshes(self) -> int:
        """How many times this client exchanged its refresh token after a 401."""
        return self._state.token_refreshes

    def set_tokens(self, access_token: str, refresh_token: str | None = None) -> None:
        self._state.set_tokens(access_token, refresh_token)

    def _generated(self, service: str, http: Any) -> Any:
        module = importlib.import_module(f"sbmcrm._generated.{service}.client")
        return module.Client(base_url=self.service_url(service)).set_httpx_client(http)


class Client(_Base):
    """The synchronous client.

    >>> client = Client("https://api.sbmcrm.example.com", api_key="sbmk_...")
    >>> client.point.balance_get("member-uuid").balance
    """

    auth: Service
    point: PointService
    cluster: Service
    reward: Service
    notification: NotificationService

    def __init__(
        self,
        base_url: str,
        *,
        access_token: str | None = None,
        refresh_token: str | None = None,
        api_key: str | None = None,
        timeout: float | httpx.Timeout | None = 30.0,
        max_retries: int = 2,
        max_retry_wait: float = 60.0,
        on_tokens: Callable[[Tokens], None] | None = None,
        event_hooks: Mapping[str, list[Callable[..., Any]]] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(
            base_url,
            access_token=access_token,
            refresh_token=refresh_token,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            on_tokens=on_tokens,
        )
        self._transport = SbmTransport(self._state, transport)
        self._http: dict[str, httpx.Client] = {}
        kinds = {"point": PointService, "notification": NotificationService}
        for service in SERVICES:
            http = httpx.Client(
                base_url=self.service_url(service),
                transport=self._transport,
                timeout=self._timeout,
                event_hooks=dict(event_hooks or {}),
            )
            self._http[service] = http
            setattr(self, service, kinds.get(service, Service)(service, self._generated(service, http), http))

    def login(self, email: str, password: str) -> EnvelopeTokenPairData:
        """Staff login; the client then uses (and refreshes) the tokens it got."""
        data = self.auth.session_login(body=LoginRequest(email=email, password=password))
        self._state.set_tokens(data.access_token, data.refresh_token)
        return data

    def wechat_login(self, code: str) -> EnvelopeMemberSessionData:
        """Member login through WeChat (`wx.login` code); the client then acts as that member."""
        data = self.auth.members_wechat_login(body=WechatLogin(code=code))
        self._state.set_tokens(data.access_token, data.refresh_token)
        return data

    def paginate(self, operation: Callable[..., Any], **params: Any) -> Iterator[Any]:
        """Every item of every page of a list operation (`limit` 100 unless given)."""
        params.setdefault("limit", 100)
        page = int(params.pop("page", 1))
        while True:
            items, total_pages = _page_items(operation(page=page, **params))
            yield from items
            if page >= total_pages or not items:
                return
            page += 1

    def close(self) -> None:
        for http in self._http.values():
            http.close()
        self._transport.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class AsyncClient(_Base):
    """The asynchronous client: the same surface, every operation awaited."""

    auth: AsyncService
    point: AsyncPointService
    cluster: AsyncService
    reward: AsyncService
    notification: AsyncNotificationService

    def __init__(
        self,
        base_url: str,
        *,
        access_token: str | None = None,
        refresh_token: str | None = None,
        api_key: str | None = None,
        timeout: float | httpx.Timeout | None = 30.0,
        max_retries: int = 2,
        max_retry_wait: float = 60.0,
        on_tokens: Callable[[Tokens], None] | None = None,
        event_hooks: Mapping[str, list[Callable[..., Awaitable[Any]]]] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(
            base_url,
            access_token=access_token,
            refresh_token=refresh_token,
            api_key=api_key,
            timeout=timeout,
            max_retries=max_retries,
            max_retry_wait=max_retry_wait,
            on_tokens=on_tokens,
        )
        self._transport = AsyncSbmTransport(self._state, transport)
        self._http: dict[str, httpx.AsyncClient] = {}
        kinds = {"point": AsyncPointService, "notification": AsyncNotificationService}
        for service in SERVICES:
            http = httpx.AsyncClient(
                base_url=self.service_url(service),
                transport=self._transport,
                timeout=self._timeout,
                event_hooks=dict(event_hooks or {}),
            )
            self._http[service] = http
            module = importlib.import_module(f"sbmcrm._generated.{service}.client")
            generated = module.Client(base_url=self.service_url(service)).set_async_httpx_client(http)
            setattr(self, service, kinds.get(service, AsyncService)(service, generated, http))

    async def login(self, email: str, password: str) -> EnvelopeTokenPairData:
        data = await self.auth.session_login(body=LoginRequest(email=email, password=password))
        self._state.set_tokens(data.access_token, data.refresh_token)
        return data

    async def wechat_login(self, code: str) -> EnvelopeMemberSessionData:
        data = await self.auth.members_wechat_login(body=WechatLogin(code=code))
        self._state.set_tokens(data.access_token, data.refresh_token)
        return data

    async def paginate(self, operation: Callable[..., Awaitable[Any]], **params: Any) -> AsyncIterator[Any]:
        """Every item of every page of a list operation (`async for`)."""
        params.setdefault("limit", 100)
        page = int(params.pop("page", 1))
        while True:
            items, total_pages = _page_items(await operation(page=page, **params))
            for item in items:
                yield item
            if page >= total_pages or not items:
                return
            page += 1

    async def aclose(self) -> None:
        for http in self._http.values():
            await http.aclose()
        await self._transport.aclose()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()
