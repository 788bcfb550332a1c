from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.error_envelope import ErrorEnvelope
from ...models.stream_event import StreamEvent
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    access_token: str | Unset = UNSET,
    last_event_id_query: int | Unset = UNSET,
    locale: str | Unset = UNSET,
    last_event_id_header: int | None | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id_header, Unset):
        headers["Last-Event-ID"] = last_event_id_header



    

    params: dict[str, Any] = {}

    params["access_token"] = access_token

    params["lastEventId"] = last_event_id_query

    params["locale"] = locale


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/sse",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ErrorEnvelope | StreamEvent | None:
    if response.status_code == 200:
        response_200 = StreamEvent.from_dict(response.text)



        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())



        return response_403

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = ErrorEnvelope.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ErrorEnvelope | StreamEvent]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    access_token: str | Unset = UNSET,
    last_event_id_query: int | Unset = UNSET,
    locale: str | Unset = UNSET,
    last_event_id_header: int | None | Unset = UNSET,

) -> Response[ErrorEnvelope | StreamEvent]:
    """ The real-time stream (`text/event-stream`). Members get their own events, staff (with
    `notifications:read`) everyone's. The token comes from `Authorization` or, for browsers'
    `EventSource`, from `access_token`. `Last-Event-ID` (header, or `lastEventId`) replays what
    was missed; beyond retention a `reset` event says to reload. A heartbeat comment comes
    every 15 s, when the credential is also checked again (a stream ends when its token
    expires or its session ends); streams end when the server shuts down (clients reconnect
    elsewhere).

    Args:
        access_token (str | Unset):
        last_event_id_query (int | Unset):
        locale (str | Unset):
        last_event_id_header (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | StreamEvent]
     """


    kwargs = _get_kwargs(
        access_token=access_token,
last_event_id_query=last_event_id_query,
locale=locale,
last_event_id_header=last_event_id_header,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    access_token: str | Unset = UNSET,
    last_event_id_query: int | Unset = UNSET,
    locale: str | Unset = UNSET,
    last_event_id_header: int | None | Unset = UNSET,

) -> ErrorEnvelope | StreamEvent | None:
    """ The real-time stream (`text/event-stream`). Members get their own events, staff (with
    `notifications:read`) everyone's. The token comes from `Authorization` or, for browsers'
    `EventSource`, from `access_token`. `Last-Event-ID` (header, or `lastEventId`) replays what
    was missed; beyond retention a `reset` event says to reload. A heartbeat comment comes
    every 15 s, when the credential is also checked again (a stream ends when its token
    expires or its session ends); streams end when the server shuts down (clients reconnect
    elsewhere).

    Args:
        access_token (str | Unset):
        last_event_id_query (int | Unset):
        locale (str | Unset):
        last_event_id_header (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | StreamEvent
     """


    return sync_detailed(
        client=client,
access_token=access_token,
last_event_id_query=last_event_id_query,
locale=locale,
last_event_id_header=last_event_id_header,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    access_token: str | Unset = UNSET,
    last_event_id_query: int | Unset = UNSET,
    locale: str | Unset = UNSET,
    last_event_id_header: int | None | Unset = UNSET,

) -> Response[ErrorEnvelope | StreamEvent]:
    """ The real-time stream (`text/event-stream`). Members get their own events, staff (with
    `notifications:read`) everyone's. The token comes from `Authorization` or, for browsers'
    `EventSource`, from `access_token`. `Last-Event-ID` (header, or `lastEventId`) replays what
    was missed; beyond retention a `reset` event says to reload. A heartbeat comment comes
    every 15 s, when the credential is also checked again (a stream ends when its token
    expires or its session ends); streams end when the server shuts down (clients reconnect
    elsewhere).

    Args:
        access_token (str | Unset):
        last_event_id_query (int | Unset):
        locale (str | Unset):
        last_event_id_header (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | StreamEvent]
     """


    kwargs = _get_kwargs(
        access_token=access_token,
last_event_id_query=last_event_id_query,
locale=locale,
last_event_id_header=last_event_id_header,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    access_token: str | Unset = UNSET,
    last_event_id_query: int | Unset = UNSET,
    locale: str | Unset = UNSET,
    last_event_id_header: int | None | Unset = UNSET,

) -> ErrorEnvelope | StreamEvent | None:
    """ The real-time stream (`text/event-stream`). Members get their own events, staff (with
    `notifications:read`) everyone's. The token comes from `Authorization` or, for browsers'
    `EventSource`, from `access_token`. `Last-Event-ID` (header, or `lastEventId`) replays what
    was missed; beyond retention a `reset` event says to reload. A heartbeat comment comes
    every 15 s, when the credential is also checked again (a stream ends when its token
    expires or its session ends); streams end when the server shuts down (clients reconnect
    elsewhere).

    Args:
        access_token (str | Unset):
        last_event_id_query (int | Unset):
        locale (str | Unset):
        last_event_id_header (int | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | StreamEvent
     """


    return (await asyncio_detailed(
        client=client,
access_token=access_token,
last_event_id_query=last_event_id_query,
locale=locale,
last_event_id_header=last_event_id_header,

    )).parsed
