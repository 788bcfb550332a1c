from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.envelope_notification import EnvelopeNotification
from ...models.error_envelope import ErrorEnvelope
from ...models.mark_request import MarkRequest
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    id: str,
    *,
    body: MarkRequest,
    locale: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    params: dict[str, Any] = {}

    params["locale"] = locale


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/notifications/{id}".format(id=quote(str(id), safe=""),),
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EnvelopeNotification | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = EnvelopeNotification.from_dict(response.json())



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

    if response.status_code == 404:
        response_404 = ErrorEnvelope.from_dict(response.json())



        return response_404

    if response.status_code == 413:
        response_413 = ErrorEnvelope.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = ErrorEnvelope.from_dict(response.json())



        return response_415

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EnvelopeNotification | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: MarkRequest,
    locale: str | Unset = UNSET,

) -> Response[EnvelopeNotification | ErrorEnvelope]:
    """ Marks one of the member's notifications read or unread (another member's is a 404).

    Args:
        id (str):
        locale (str | Unset):
        body (MarkRequest): Marking one notification.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeNotification | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        id=id,
body=body,
locale=locale,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    body: MarkRequest,
    locale: str | Unset = UNSET,

) -> EnvelopeNotification | ErrorEnvelope | None:
    """ Marks one of the member's notifications read or unread (another member's is a 404).

    Args:
        id (str):
        locale (str | Unset):
        body (MarkRequest): Marking one notification.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeNotification | ErrorEnvelope
     """


    return sync_detailed(
        id=id,
client=client,
body=body,
locale=locale,

    ).parsed

async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: MarkRequest,
    locale: str | Unset = UNSET,

) -> Response[EnvelopeNotification | ErrorEnvelope]:
    """ Marks one of the member's notifications read or unread (another member's is a 404).

    Args:
        id (str):
        locale (str | Unset):
        body (MarkRequest): Marking one notification.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeNotification | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        id=id,
body=body,
locale=locale,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    body: MarkRequest,
    locale: str | Unset = UNSET,

) -> EnvelopeNotification | ErrorEnvelope | None:
    """ Marks one of the member's notifications read or unread (another member's is a 404).

    Args:
        id (str):
        locale (str | Unset):
        body (MarkRequest): Marking one notification.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeNotification | ErrorEnvelope
     """


    return (await asyncio_detailed(
        id=id,
client=client,
body=body,
locale=locale,

    )).parsed
