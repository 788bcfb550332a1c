"""The asynchronous client: SSE, pagination, errors, single-flight refresh; SSE reconnects."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import httpx
import pytest

import sbmcrm

from conftest import unique_phone

pytestmark = pytest.mark.anyio


async def test_async_journey_and_stream(server: dict, pos_key: str) -> None:
    async with sbmcrm.AsyncClient(server["baseUrl"]) as staff, \
            sbmcrm.AsyncClient(server["baseUrl"], api_key=pos_key) as pos:
        await staff.login(server["adminEmail"], server["adminPassword"])
        member = await pos.auth.members_enrol(body={"firstName": "Bo", "lastName": "Kim", "phone": unique_phone()})
        events: asyncio.Queue[sbmcrm.StreamEvent] = asyncio.Queue()

        async def listen() -> None:
            async for event in staff.notification.stream():
                await events.put(event)

        listener = asyncio.create_task(listen())
        try:
            await asyncio.sleep(0.5)  # subscribed
            earned = await pos.point.transactions_earn(body={"memberId": member.id, "points": 42, "reason": "sse"})
            assert earned.transaction.balance_after == 42
            event = await asyncio.wait_for(events.get(), 10)
            while not (event.event == "points.earned" and event.data.get("memberId") == member.id):
                event = await asyncio.wait_for(events.get(), 10)
        finally:
            listener.cancel()
        assert event.data["points"] == 42 and event.data["transactionId"] == earned.transaction.id
        assert event.id is not None and int(event.id) > 0

        # reconnecting with Last-Event-ID (the id before it) replays it
        async def first_after(last_id: int) -> sbmcrm.StreamEvent:
            async for e in staff.notification.stream(last_event_id=last_id):
                return e
            raise AssertionError("stream ended")

        replayed = await asyncio.wait_for(first_after(int(event.id) - 1), 10)
        assert (replayed.id, replayed.event, replayed.data) == (event.id, event.event, event.data)

        # pagination, async
        for points in (1, 2, 3):
            await pos.point.transactions_earn(body={"memberId": member.id, "points": points, "reason": "page"})
        items = [t async for t in pos.paginate(pos.point.transactions_list, member_id=member.id, limit=2)]
        assert len(items) == 4 and len({t.id for t in items}) == 4
        assert sorted(t.points for t in items) == [1, 2, 3, 42]
        assert all(isinstance(t.created_at, dt.datetime) for t in items)

        with pytest.raises(sbmcrm.Unprocessable) as caught:
            await pos.point.transactions_spend(body={"memberId": member.id, "points": 1000, "reason": "x"})
        assert caught.value.errors[0].field == "points"
        with pytest.raises(sbmcrm.NotFound):
            await pos.point.balance_get(str(uuid.uuid4()))
        assert pos.rate_limit is not None and pos.rate_limit.remaining is not None


async def test_async_single_flight_refresh(server: dict) -> None:
    async with sbmcrm.AsyncClient(server["baseUrl"]) as login:
        pair = await login.login(server["adminEmail"], server["adminPassword"])
    heard: list[sbmcrm.Tokens] = []
    async with sbmcrm.AsyncClient(server["baseUrl"], access_token="expired.jwt.token",
                                  refresh_token=pair.refresh_token, on_tokens=heard.append) as client:
        results = await asyncio.gather(*(client.auth.staff_me() for _ in range(5)))
        assert {r.email for r in results} == {server["adminEmail"]}
        assert client.token_refreshes == 1  # refresh tokens rotate: exactly one exchange
        assert len(heard) == 1 and heard[0].access_token == client.access_token


async def test_async_receipt(base_url: str) -> None:
    async with sbmcrm.AsyncClient(base_url) as member_client:
        session = await member_client.wechat_login(f"wx-{uuid.uuid4().hex}")
        receipt = await member_client.point.submit_receipt(
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, receipt_number=f"r-{uuid.uuid4().hex[:8]}",
            store_id="s-2", amount=999, purchased_at="2026-01-02T03:04:05Z",
        )
        assert receipt.member_id == session.member.id and receipt.status == "pending"


async def test_stream_reconnects_with_last_event_id() -> None:
    """Against a scripted server: heartbeats skipped, `retry:` honoured, a half-received event
    dropped, the reconnection sends Last-Event-ID and the bearer token."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) == 1:
            body = b": heartbeat\nretry: 20\n\nid: 1\nevent: points.earned\ndata: {\"n\": 1}\n\nid: 2\nevent: x\ndata: {\"n\""
        else:
            body = b"id: 2\nevent: points.spent\ndata: {\"n\": 2}\n\n: ping\n\n"
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    client = sbmcrm.AsyncClient("http://sbm.test", access_token="tok", transport=httpx.MockTransport(handler))
    got: list[sbmcrm.StreamEvent] = []
    async for event in client.notification.stream():
        got.append(event)
        if len(got) == 2:
            break
    await client.aclose()
    assert got == [sbmcrm.StreamEvent("1", "points.earned", {"n": 1}), sbmcrm.StreamEvent("2", "points.spent", {"n": 2})]
    assert "last-event-id" not in seen[0].headers
    assert seen[1].headers["Last-Event-ID"] == "1"
    assert seen[1].url == "http://sbm.test/notification/api/sse"
    assert seen[1].headers["Authorization"] == "Bearer tok"


def test_sync_stream_without_reconnect() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Last-Event-ID"] == "7"
        assert request.headers["X-API-Key"] == "k"
        return httpx.Response(200, content=b"id: 8\nevent: tier.changed\ndata: plain text\n\n")

    with sbmcrm.Client("http://sbm.test", api_key="k", transport=httpx.MockTransport(handler)) as client:
        events = list(client.notification.stream(last_event_id=7, reconnect=False))
    assert events == [sbmcrm.StreamEvent("8", "tier.changed", "plain text")]


async def test_stream_reconnects_after_5xx_and_connection_errors() -> None:
    """A restart or a rolling deploy: 503, a refused connection, 502, then the stream again."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        n = len(seen)
        if n == 1:
            return httpx.Response(200, content=b"retry: 10\nid: 1\ndata: {\"n\": 1}\n\n")
        if n == 2:
            return httpx.Response(503, json={"statusCode": 503, "data": {"message": "restarting"}})
        if n == 3:
            raise httpx.ConnectError("refused", request=request)
        if n == 4:
            return httpx.Response(502, text="Bad Gateway")
        return httpx.Response(200, content=b"id: 2\ndata: {\"n\": 2}\n\n")

    client = sbmcrm.AsyncClient("http://sbm.test", api_key="k", transport=httpx.MockTransport(handler))
    got = []
    async for event in client.notification.stream():
        got.append(event.data["n"])
        if len(got) == 2:
            break
    await client.aclose()
    assert got == [1, 2] and len(seen) == 5
    assert [r.headers["Last-Event-ID"] for r in seen[1:]] == ["1"] * 4


def test_stream_backoff_grows_and_is_capped() -> None:
    from sbmcrm.sse import _Parser

    parser = _Parser()
    assert parser.delay() == 3.0  # the server's retry (default 3 s) after a dropped stream
    delays = []
    for _ in range(6):
        parser.failed()
        delays.append(parser.delay())
    assert delays == [3.0, 6.0, 12.0, 24.0, 30.0, 30.0]
    parser.failed(retry_after=20)
    assert parser.delay() == 30.0
    parser.connected(httpx.Response(200))
    assert parser.delay() == 3.0
    parser.failed(retry_after=20)
    assert parser.delay() == 20.0


def test_stream_4xx_and_5xx_without_reconnect_raise() -> None:
    status = 503

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"statusCode": status, "data": {"message": "no", "errors": []}})

    with sbmcrm.Client("http://sbm.test", api_key="k", transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(sbmcrm.ServerError):
            next(client.notification.stream(reconnect=False))
        status = 401
        with pytest.raises(sbmcrm.Unauthorized):
            next(client.notification.stream())


async def test_async_unreachable_server_is_network_error() -> None:
    async with sbmcrm.AsyncClient("http://127.0.0.1:9", api_key="k", timeout=5) as client:
        with pytest.raises(sbmcrm.NetworkError) as caught:
            await client.point.balance_get(str(uuid.uuid4()))
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


def test_stream_error_is_typed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(403, json={"statusCode": 403, "data": {"message": "Forbidden", "errors": []}})

    with sbmcrm.Client("http://sbm.test", api_key="k", transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(sbmcrm.Forbidden):
            next(client.notification.stream())


def test_429_retry_keeps_the_idempotency_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) == 1:
            return httpx.Response(429, headers={"Retry-After": "0", "X-RateLimit-Limit": "5",
                                                "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9"},
                                  json={"statusCode": 429, "data": {"message": "Too many requests"}})
        return httpx.Response(201, headers={"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "4",
                                            "X-RateLimit-Reset": "9"}, json={"statusCode": 201, "data": {
            "id": "k1", "name": "POS", "key": "sbmk_x", "prefix": "sbmk_x", "scopes": [], "plan": "standard"}})

    with sbmcrm.Client("http://sbm.test", api_key="k", transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(sbmcrm.ResponseDecodeError) as caught:  # scripted body: not a full ApiKeyWithSecret
            client.auth.api_keys_create(body={"name": "POS", "scopes": [], "plan": "standard"})
        assert caught.value.status_code == 201 and caught.value.body["data"]["key"] == "sbmk_x"
        assert len(seen) == 2 and client.rate_limited_retries == 1
        assert seen[0].headers["Idempotency-Key"] == seen[1].headers["Idempotency-Key"]
        assert seen[0].content == seen[1].content
        assert client.rate_limit == sbmcrm.RateLimit(5, 4, 9)
