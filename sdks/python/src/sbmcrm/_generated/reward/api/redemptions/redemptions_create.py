from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.envelope_redemption import EnvelopeRedemption
from ...models.error_envelope import ErrorEnvelope
from ...models.redeem_request import RedeemRequest
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: RedeemRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/redemptions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EnvelopeRedemption | ErrorEnvelope | None:
    if response.status_code == 201:
        response_201 = EnvelopeRedemption.from_dict(response.json())



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

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())



        return response_422

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EnvelopeRedemption | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RedeemRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[EnvelopeRedemption | ErrorEnvelope]:
    """ Redeems a reward in one transaction: the member's limits, the stock (or a pool code) and the
    points are taken together or not at all. With `Idempotency-Key`, a retry returns the first
    redemption. 403 for a reward of other tiers; 404 for an unknown or invisible reward; 409
    names its cause in `errors` (`outside_window`, `limit_reached`, `out_of_stock`, `no_codes`);
    422 for insufficient points, as the point service answers it.

    Args:
        idempotency_key (None | str | Unset):
        body (RedeemRequest): A redemption request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeRedemption | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: RedeemRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> EnvelopeRedemption | ErrorEnvelope | None:
    """ Redeems a reward in one transaction: the member's limits, the stock (or a pool code) and the
    points are taken together or not at all. With `Idempotency-Key`, a retry returns the first
    redemption. 403 for a reward of other tiers; 404 for an unknown or invisible reward; 409
    names its cause in `errors` (`outside_window`, `limit_reached`, `out_of_stock`, `no_codes`);
    422 for insufficient points, as the point service answers it.

    Args:
        idempotency_key (None | str | Unset):
        body (RedeemRequest): A redemption request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeRedemption | ErrorEnvelope
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RedeemRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[EnvelopeRedemption | ErrorEnvelope]:
    """ Redeems a reward in one transaction: the member's limits, the stock (or a pool code) and the
    points are taken together or not at all. With `Idempotency-Key`, a retry returns the first
    redemption. 403 for a reward of other tiers; 404 for an unknown or invisible reward; 409
    names its cause in `errors` (`outside_window`, `limit_reached`, `out_of_stock`, `no_codes`);
    422 for insufficient points, as the point service answers it.

    Args:
        idempotency_key (None | str | Unset):
        body (RedeemRequest): A redemption request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeRedemption | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RedeemRequest,
    idempotency_key: None | str | Unset = UNSET,

) -> EnvelopeRedemption | ErrorEnvelope | None:
    """ Redeems a reward in one transaction: the member's limits, the stock (or a pool code) and the
    points are taken together or not at all. With `Idempotency-Key`, a retry returns the first
    redemption. 403 for a reward of other tiers; 404 for an unknown or invisible reward; 409
    names its cause in `errors` (`outside_window`, `limit_reached`, `out_of_stock`, `no_codes`);
    422 for insufficient points, as the point service answers it.

    Args:
        idempotency_key (None | str | Unset):
        body (RedeemRequest): A redemption request.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeRedemption | ErrorEnvelope
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
