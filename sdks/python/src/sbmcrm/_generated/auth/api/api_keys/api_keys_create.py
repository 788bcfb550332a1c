from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.create_api_key import CreateApiKey
from ...models.envelope_api_key_with_secret import EnvelopeApiKeyWithSecret
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: CreateApiKey,
    idempotency_key: None | str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api-keys",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EnvelopeApiKeyWithSecret | ErrorEnvelope | None:
    if response.status_code == 201:
        response_201 = EnvelopeApiKeyWithSecret.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EnvelopeApiKeyWithSecret | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateApiKey,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[EnvelopeApiKeyWithSecret | ErrorEnvelope]:
    """ Creates a key; the response carries the key once. With `Idempotency-Key` a retry gets the
    same key back (the stored response is sealed, never kept in plaintext).

    Args:
        idempotency_key (None | str | Unset):
        body (CreateApiKey): A key's settings, for creation and for the operator's re-apply.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeApiKeyWithSecret | ErrorEnvelope]
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
    body: CreateApiKey,
    idempotency_key: None | str | Unset = UNSET,

) -> EnvelopeApiKeyWithSecret | ErrorEnvelope | None:
    """ Creates a key; the response carries the key once. With `Idempotency-Key` a retry gets the
    same key back (the stored response is sealed, never kept in plaintext).

    Args:
        idempotency_key (None | str | Unset):
        body (CreateApiKey): A key's settings, for creation and for the operator's re-apply.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeApiKeyWithSecret | ErrorEnvelope
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CreateApiKey,
    idempotency_key: None | str | Unset = UNSET,

) -> Response[EnvelopeApiKeyWithSecret | ErrorEnvelope]:
    """ Creates a key; the response carries the key once. With `Idempotency-Key` a retry gets the
    same key back (the stored response is sealed, never kept in plaintext).

    Args:
        idempotency_key (None | str | Unset):
        body (CreateApiKey): A key's settings, for creation and for the operator's re-apply.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeApiKeyWithSecret | ErrorEnvelope]
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
    body: CreateApiKey,
    idempotency_key: None | str | Unset = UNSET,

) -> EnvelopeApiKeyWithSecret | ErrorEnvelope | None:
    """ Creates a key; the response carries the key once. With `Idempotency-Key` a retry gets the
    same key back (the stored response is sealed, never kept in plaintext).

    Args:
        idempotency_key (None | str | Unset):
        body (CreateApiKey): A key's settings, for creation and for the operator's re-apply.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeApiKeyWithSecret | ErrorEnvelope
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
