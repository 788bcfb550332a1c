from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.codes_upload import CodesUpload
from ...models.envelope_import_report import EnvelopeImportReport
from ...models.error_envelope import ErrorEnvelope
from ...models.import_codes import ImportCodes
from typing import cast



def _get_kwargs(
    id: str,
    *,
    body:    ImportCodes  |     CodesUpload  | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/rewards/{id}/codes".format(id=quote(str(id), safe=""),),
    }

    if isinstance(body, ImportCodes):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, CodesUpload):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EnvelopeImportReport | ErrorEnvelope | None:
    if response.status_code == 201:
        response_201 = EnvelopeImportReport.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EnvelopeImportReport | ErrorEnvelope]:
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
    body:    ImportCodes  |     CodesUpload  | Unset = UNSET,

) -> Response[EnvelopeImportReport | ErrorEnvelope]:
    """ Imports codes into a pool reward: a JSON body (`codes`, `batch`) or a multipart CSV upload
    (`file`, `batch`) within the upload limit. Reports what was imported, what was a duplicate
    (already in a pool, or repeated) and what was invalid; duplicates and invalid codes do not
    stop the rest.

    Args:
        id (str):
        body (ImportCodes): Codes to import, as JSON.
        body (CodesUpload): Codes to import, as a CSV upload (documentation).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeImportReport | ErrorEnvelope]
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
    body:    ImportCodes  |     CodesUpload  | Unset = UNSET,

) -> EnvelopeImportReport | ErrorEnvelope | None:
    """ Imports codes into a pool reward: a JSON body (`codes`, `batch`) or a multipart CSV upload
    (`file`, `batch`) within the upload limit. Reports what was imported, what was a duplicate
    (already in a pool, or repeated) and what was invalid; duplicates and invalid codes do not
    stop the rest.

    Args:
        id (str):
        body (ImportCodes): Codes to import, as JSON.
        body (CodesUpload): Codes to import, as a CSV upload (documentation).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeImportReport | ErrorEnvelope
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
    body:    ImportCodes  |     CodesUpload  | Unset = UNSET,

) -> Response[EnvelopeImportReport | ErrorEnvelope]:
    """ Imports codes into a pool reward: a JSON body (`codes`, `batch`) or a multipart CSV upload
    (`file`, `batch`) within the upload limit. Reports what was imported, what was a duplicate
    (already in a pool, or repeated) and what was invalid; duplicates and invalid codes do not
    stop the rest.

    Args:
        id (str):
        body (ImportCodes): Codes to import, as JSON.
        body (CodesUpload): Codes to import, as a CSV upload (documentation).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopeImportReport | ErrorEnvelope]
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
    body:    ImportCodes  |     CodesUpload  | Unset = UNSET,

) -> EnvelopeImportReport | ErrorEnvelope | None:
    """ Imports codes into a pool reward: a JSON body (`codes`, `batch`) or a multipart CSV upload
    (`file`, `batch`) within the upload limit. Reports what was imported, what was a duplicate
    (already in a pool, or repeated) and what was invalid; duplicates and invalid codes do not
    stop the rest.

    Args:
        id (str):
        body (ImportCodes): Codes to import, as JSON.
        body (CodesUpload): Codes to import, as a CSV upload (documentation).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopeImportReport | ErrorEnvelope
     """


    return (await asyncio_detailed(
        id=id,
client=client,
body=body,

    )).parsed
