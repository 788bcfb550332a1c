from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.envelope_reset_answer import EnvelopeResetAnswer
from ...models.error_envelope import ErrorEnvelope
from ...models.reset_request import ResetRequest
from typing import cast



def _get_kwargs(
    *,
    body: ResetRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/password-reset/request",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EnvelopeResetAnswer | ErrorEnvelope | None:
    if response.status_code == 202:
        response_202 = EnvelopeResetAnswer.from_dict(response.json())



        return response_202

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())



        return response_400

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EnvelopeResetAnswer | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ResetRequest,

) -> Response[EnvelopeResetAnswer | ErrorEnvelope]:
    """ Asks for a reset link. The answer is the same whether an account has this email or not,
    so accounts cannot be found out this way; an active account gets a single-use link that
    expires (`staff.password_reset_requested`, sent by a mail action), at most three live at
    once.

    Args:
        body (ResetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeResetAnswer | ErrorEnvelope]
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
    client: AuthenticatedClient | Client,
    body: ResetRequest,

) -> EnvelopeResetAnswer | ErrorEnvelope | None:
    """ Asks for a reset link. The answer is the same whether an account has this email or not,
    so accounts cannot be found out this way; an active account gets a single-use link that
    expires (`staff.password_reset_requested`, sent by a mail action), at most three live at
    once.

    Args:
        body (ResetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeResetAnswer | ErrorEnvelope
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ResetRequest,

) -> Response[EnvelopeResetAnswer | ErrorEnvelope]:
    """ Asks for a reset link. The answer is the same whether an account has this email or not,
    so accounts cannot be found out this way; an active account gets a single-use link that
    expires (`staff.password_reset_requested`, sent by a mail action), at most three live at
    once.

    Args:
        body (ResetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeResetAnswer | ErrorEnvelope]
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
    client: AuthenticatedClient | Client,
    body: ResetRequest,

) -> EnvelopeResetAnswer | ErrorEnvelope | None:
    """ Asks for a reset link. The answer is the same whether an account has this email or not,
    so accounts cannot be found out this way; an active account gets a single-use link that
    expires (`staff.password_reset_requested`, sent by a mail action), at most three live at
    once.

    Args:
        body (ResetRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeResetAnswer | ErrorEnvelope
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
