"""Typed errors, 429 retries, token refresh, idempotency (synchronous client)."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

import sbmcrm

ZERO = "00000000-0000-0000-0000-000000000000"


def test_insufficient_points_is_unprocessable(pos: sbmcrm.Client, member) -> None:
    pos.point.transactions_earn(body={"memberId": member.id, "points": 10, "reason": "x"})
    with pytest.raises(sbmcrm.Unprocessable) as caught:
        pos.point.transactions_spend(body={"memberId": member.id, "points": 11, "reason": "too much"})
    err = caught.value
    assert isinstance(err, sbmcrm.SbmError)
    assert err.status_code == 422
    assert err.message.startswith("Insufficient points")
    assert err.errors and err.errors[0].field == "points" and err.errors[0].message
    assert isinstance(err.rate_limit, sbmcrm.RateLimit) and err.rate_limit.limit
    assert pos.point.balance_get(member.id).balance == 10


def test_unknown_member_is_not_found(pos: sbmcrm.Client) -> None:
    with pytest.raises(sbmcrm.NotFound) as caught:
        pos.point.balance_get(str(uuid.uuid4()))
    assert caught.value.status_code == 404
    assert caught.value.message == "Member not found"


def test_bad_request_and_forbidden(pos: sbmcrm.Client, member) -> None:
    with pytest.raises(sbmcrm.SbmError) as caught:  # 400 or 422 for a body the server refuses
        pos.point.transactions_earn(body={"memberId": member.id, "points": -5, "reason": "neg"})
    assert caught.value.status_code in (400, 422)
    with pytest.raises(sbmcrm.Forbidden) as forbidden:  # the POS key has no tiers scope
        pos.cluster.tiers_create(body={"code": "x", "name_en": "X", "rank": 9,
                                       "qualification": {"metric": "points_earned", "threshold": 1, "window": "lifetime"}})
    assert forbidden.value.status_code == 403


def test_unknown_operation_and_argument(pos: sbmcrm.Client) -> None:
    with pytest.raises(AttributeError, match="transactions_earn"):
        pos.point.transaction_earn
    with pytest.raises(TypeError, match="member"):
        pos.point.balance_get(ZERO, member=ZERO)
    assert "transactions_earn" in dir(pos.point)
    assert len(pos.point.operation_names) >= 20


def test_token_refresh_after_401(server: dict) -> None:
    with sbmcrm.Client(server["baseUrl"]) as login:
        pair = login.login(server["adminEmail"], server["adminPassword"])
    heard: list[sbmcrm.Tokens] = []
    with sbmcrm.Client(server["baseUrl"], access_token="expired.jwt.token",
                       refresh_token=pair.refresh_token, on_tokens=heard.append) as client:
        me = client.auth.staff_me()
        assert me.email == server["adminEmail"]
        assert client.token_refreshes == 1
        assert len(heard) == 1
        assert heard[0].access_token == client.access_token != "expired.jwt.token"
        assert heard[0].refresh_token == client.refresh_token != pair.refresh_token
        client.auth.staff_me()  # the new token works: no second exchange
        assert client.token_refreshes == 1


def test_failed_refresh_is_unauthorized(base_url: str) -> None:
    with sbmcrm.Client(base_url, access_token="expired.jwt.token", refresh_token="not-a-token") as client:
        with pytest.raises(sbmcrm.Unauthorized) as caught:
            client.auth.staff_me()
        assert caught.value.status_code == 401
        assert client.token_refreshes == 0


def test_idempotent_replay_earns_once(pos: sbmcrm.Client, member) -> None:
    key = str(uuid.uuid4())
    body = {"memberId": member.id, "points": 7, "reason": "replay"}
    first = pos.point.transactions_earn(body=body, idempotency_key=key)
    second = pos.point.transactions_earn(body=body, idempotency_key=key)
    assert first.transaction.id == second.transaction.id
    assert pos.point.balance_get(member.id).balance == 7


def test_generated_idempotency_keys(base_url: str, pos_key: str, member) -> None:
    sent: list[httpx.Request] = []
    with sbmcrm.Client(base_url, api_key=pos_key, event_hooks={"request": [sent.append]}) as client:
        client.point.transactions_earn(body={"memberId": member.id, "points": 3, "reason": "a"})
        client.point.transactions_earn(body={"memberId": member.id, "points": 3, "reason": "a"})
        client.point.balance_get(member.id)
        keys = [r.headers.get("Idempotency-Key") for r in sent]
        assert keys[2] is None  # a GET declares none
        assert all(keys[:2]) and keys[0] != keys[1]
        assert all(str(uuid.UUID(k)) == k for k in keys[:2])
        assert sent[0].headers["X-API-Key"] == pos_key
        assert client.point.balance_get(member.id).balance == 6  # two keys: two earns


@pytest.fixture(scope="module")
def burst_key(staff: sbmcrm.Client, base_url: str) -> str:
    """An enterprise key whose hourly quota is burnt with plain HTTP."""
    key = staff.auth.api_keys_create(body={
        "name": "burst", "scopes": ["points:read"], "plan": "enterprise", "rateLimitPerHour": 1800,
    }).key
    with httpx.Client(base_url=base_url, headers={"X-API-Key": key}) as raw:
        for _ in range(5000):
            if raw.get(f"/point/api/balance/{ZERO}").status_code == 429:
                return key
    pytest.fail("the burst key was never rate limited")


def test_rate_limited_without_retries(base_url: str, burst_key: str) -> None:
    with sbmcrm.Client(base_url, api_key=burst_key, max_retries=0) as client:
        started = time.monotonic()
        with pytest.raises(sbmcrm.RateLimited) as caught:
            client.point.balance_get(ZERO)
        assert time.monotonic() - started < 0.5
    err = caught.value
    assert err.status_code == 429 and err.retry_after is not None and err.retry_after > 0
    assert err.rate_limit is not None and err.rate_limit.remaining == 0
    assert client.rate_limited_retries == 0


def test_rate_limited_wait_too_long(base_url: str, burst_key: str) -> None:
    with sbmcrm.Client(base_url, api_key=burst_key, max_retry_wait=0.001) as client:
        started = time.monotonic()
        with pytest.raises(sbmcrm.RateLimited):
            client.point.balance_get(ZERO)
        assert time.monotonic() - started < 0.5
        assert client.rate_limited_retries == 0


def test_rate_limited_waited_out(base_url: str, burst_key: str) -> None:
    with sbmcrm.Client(base_url, api_key=burst_key, max_retries=5) as client:
        started = time.monotonic()
        with pytest.raises(sbmcrm.NotFound):  # the retried call got through to the handler
            client.point.balance_get(ZERO)
        assert time.monotonic() - started >= 0.5
        assert client.rate_limited_retries >= 1


def test_caller_idempotency_key_is_kept_as_text() -> None:
    """Only None (or UNSET) means "none given": a uuid.UUID or an int is sent as its text."""
    sent: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers.get("Idempotency-Key"))
        return httpx.Response(503, json={"statusCode": 503, "data": {"message": "down"}})

    key = uuid.uuid4()
    with sbmcrm.Client("http://sbm.test", api_key="k", transport=httpx.MockTransport(handler)) as client:
        for given in (key, 42, "order-7", None, sbmcrm.UNSET):
            with pytest.raises(sbmcrm.ServerError):
                client.point.transactions_earn(body={"memberId": ZERO, "points": 1}, idempotency_key=given)
    assert sent[:3] == [str(key), "42", "order-7"]
    assert all(uuid.UUID(k) for k in sent[3:]) and len(set(sent)) == 5


def test_unreachable_server_is_network_error() -> None:
    with sbmcrm.Client("http://127.0.0.1:9", api_key="k", timeout=5) as client:
        with pytest.raises(sbmcrm.NetworkError) as caught:
            client.point.balance_get(ZERO)
    assert not isinstance(caught.value, sbmcrm.SbmError)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert "balance_get" in str(caught.value)


def test_timeout_is_network_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with sbmcrm.Client("http://sbm.test", api_key="k", transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(sbmcrm.NetworkError) as caught:
            client.point.transactions_earn(body={"memberId": ZERO, "points": 1})
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)


def test_refresh_request_has_a_timeout() -> None:
    """The token exchange runs under the refresh lock: never without a timeout, not even for the
    stream (whose own read timeout is unbounded)."""
    refreshes: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/get-new-access-token"):
            refreshes.append(request.extensions.get("timeout"))
            return httpx.Response(200, json={"statusCode": 200, "data": {"accessToken": "new", "refreshToken": "r2"}})
        if request.headers["Authorization"] != "Bearer new":
            return httpx.Response(401, json={"statusCode": 401, "data": {"message": "expired"}})
        return httpx.Response(200, content=b"id: 1\ndata: {}\n\n")

    with sbmcrm.Client("http://sbm.test", access_token="old", refresh_token="r1", timeout=7,
                       transport=httpx.MockTransport(handler)) as client:
        assert [e.id for e in client.notification.stream(reconnect=False)] == ["1"]
    assert refreshes == [{"connect": 7.0, "read": 7.0, "write": 7.0, "pool": 7.0}]


def test_tokens_repr_hides_them() -> None:
    tokens = sbmcrm.Tokens("secret-access", "secret-refresh")
    assert "secret" not in repr(tokens) and "secret" not in str(tokens)
    assert tokens == sbmcrm.Tokens("secret-access", "secret-refresh")
