from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.envelope_tier import EnvelopeTier
from ...models.error_envelope import ErrorEnvelope
from ...models.tier_spec import TierSpec
from typing import cast



def _get_kwargs(
    *,
    body: TierSpec,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/tiers",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EnvelopeTier | ErrorEnvelope | None:
    if response.status_code == 201:
        response_201 = EnvelopeTier.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = ErrorEnvelope.from_dict(response.json())



        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EnvelopeTier | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TierSpec,

) -> Response[EnvelopeTier | ErrorEnvelope]:
    """ Creates a tier. The ladder rules (unique ranks, rising thresholds, exactly one default
    tier, the default lowest) are checked on the ladder the tier joins; a break is a 400
    naming the rule.

    Args:
        body (TierSpec): A tier as it is written: the create body, and what a `Tier` resource
            becomes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeTier | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: TierSpec,

) -> EnvelopeTier | ErrorEnvelope | None:
    """ Creates a tier. The ladder rules (unique ranks, rising thresholds, exactly one default
    tier, the default lowest) are checked on the ladder the tier joins; a break is a 400
    naming the rule.

    Args:
        body (TierSpec): A tier as it is written: the create body, and what a `Tier` resource
            becomes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeTier | ErrorEnvelope
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TierSpec,

) -> Response[EnvelopeTier | ErrorEnvelope]:
    """ Creates a tier. The ladder rules (unique ranks, rising thresholds, exactly one default
    tier, the default lowest) are checked on the ladder the tier joins; a break is a 400
    naming the rule.

    Args:
        body (TierSpec): A tier as it is written: the create body, and what a `Tier` resource
            becomes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeTier | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TierSpec,

) -> EnvelopeTier | ErrorEnvelope | None:
    """ Creates a tier. The ladder rules (unique ranks, rising thresholds, exactly one default
    tier, the default lowest) are checked on the ladder the tier joins; a break is a 400
    naming the rule.

    Args:
        body (TierSpec): A tier as it is written: the create body, and what a `Tier` resource
            becomes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeTier | ErrorEnvelope
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
