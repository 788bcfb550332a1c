from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.envelope_badge_award import EnvelopeBadgeAward
from ...models.error_envelope import ErrorEnvelope
from ...models.revoke_request import RevokeRequest
from typing import cast



def _get_kwargs(
    id: str,
    *,
    body: RevokeRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/badge-awards/{id}/revoke".format(id=quote(str(id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EnvelopeBadgeAward | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = EnvelopeBadgeAward.from_dict(response.json())



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

    if response.status_code == 409:
        response_409 = ErrorEnvelope.from_dict(response.json())



        return response_409

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EnvelopeBadgeAward | ErrorEnvelope]:
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
    body: RevokeRequest,

) -> Response[EnvelopeBadgeAward | ErrorEnvelope]:
    """ Revokes an award: it stops counting (the badge can be earned again) and `badge.revoked`
    lets the point service reverse what it credited. A second revoke is a 409.

    Args:
        id (str):
        body (RevokeRequest): Why an award is revoked.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeBadgeAward | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        id=id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    body: RevokeRequest,

) -> EnvelopeBadgeAward | ErrorEnvelope | None:
    """ Revokes an award: it stops counting (the badge can be earned again) and `badge.revoked`
    lets the point service reverse what it credited. A second revoke is a 409.

    Args:
        id (str):
        body (RevokeRequest): Why an award is revoked.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeBadgeAward | ErrorEnvelope
     """


    return sync_detailed(
        id=id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    body: RevokeRequest,

) -> Response[EnvelopeBadgeAward | ErrorEnvelope]:
    """ Revokes an award: it stops counting (the badge can be earned again) and `badge.revoked`
    lets the point service reverse what it credited. A second revoke is a 409.

    Args:
        id (str):
        body (RevokeRequest): Why an award is revoked.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeBadgeAward | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        id=id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    body: RevokeRequest,

) -> EnvelopeBadgeAward | ErrorEnvelope | None:
    """ Revokes an award: it stops counting (the badge can be earned again) and `badge.revoked`
    lets the point service reverse what it credited. A second revoke is a 409.

    Args:
        id (str):
        body (RevokeRequest): Why an award is revoked.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeBadgeAward | ErrorEnvelope
     """


    return (await asyncio_detailed(
        id=id,
client=client,
body=body,

    )).parsed
