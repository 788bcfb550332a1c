from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.envelope_page_code import EnvelopePageCode
from ...models.error_envelope import ErrorEnvelope
from ...models.locale import Locale
from ...models.sort_order import SortOrder
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    id: str,
    *,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    sort_order: SortOrder | Unset = UNSET,
    search: str | Unset = UNSET,
    locale: Locale | Unset = UNSET,
    status: str | Unset = UNSET,
    batch: str | Unset = UNSET,
    member_id: str | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["page"] = page

    params["limit"] = limit

    params["sortBy"] = sort_by

    json_sort_order: str | Unset = UNSET
    if not isinstance(sort_order, Unset):
        json_sort_order = sort_order.value

    params["sortOrder"] = json_sort_order

    params["search"] = search

    json_locale: str | Unset = UNSET
    if not isinstance(locale, Unset):
        json_locale = locale.value

    params["locale"] = json_locale

    params["status"] = status

    params["batch"] = batch

    params["memberId"] = member_id


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/rewards/{id}/codes".format(id=quote(str(id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EnvelopePageCode | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = EnvelopePageCode.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EnvelopePageCode | ErrorEnvelope]:
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
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    sort_order: SortOrder | Unset = UNSET,
    search: str | Unset = UNSET,
    locale: Locale | Unset = UNSET,
    status: str | Unset = UNSET,
    batch: str | Unset = UNSET,
    member_id: str | Unset = UNSET,

) -> Response[EnvelopePageCode | ErrorEnvelope]:
    """ Lists a reward's codes (staff with `rewards:write`: the codes are bearer vouchers):
    filters `status`, `batch`, `memberId`; `search` in the code.

    Args:
        id (str):
        page (int | Unset):
        limit (int | Unset):
        sort_by (str | Unset):
        sort_order (SortOrder | Unset): Sort direction.
        search (str | Unset):
        locale (Locale | Unset): Locale for `*_en` / `*_th` / `*_cn` fields.
        status (str | Unset):
        batch (str | Unset):
        member_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopePageCode | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        id=id,
page=page,
limit=limit,
sort_by=sort_by,
sort_order=sort_order,
search=search,
locale=locale,
status=status,
batch=batch,
member_id=member_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    id: str,
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    sort_order: SortOrder | Unset = UNSET,
    search: str | Unset = UNSET,
    locale: Locale | Unset = UNSET,
    status: str | Unset = UNSET,
    batch: str | Unset = UNSET,
    member_id: str | Unset = UNSET,

) -> EnvelopePageCode | ErrorEnvelope | None:
    """ Lists a reward's codes (staff with `rewards:write`: the codes are bearer vouchers):
    filters `status`, `batch`, `memberId`; `search` in the code.

    Args:
        id (str):
        page (int | Unset):
        limit (int | Unset):
        sort_by (str | Unset):
        sort_order (SortOrder | Unset): Sort direction.
        search (str | Unset):
        locale (Locale | Unset): Locale for `*_en` / `*_th` / `*_cn` fields.
        status (str | Unset):
        batch (str | Unset):
        member_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopePageCode | ErrorEnvelope
     """


    return sync_detailed(
        id=id,
client=client,
page=page,
limit=limit,
sort_by=sort_by,
sort_order=sort_order,
search=search,
locale=locale,
status=status,
batch=batch,
member_id=member_id,

    ).parsed

async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    sort_order: SortOrder | Unset = UNSET,
    search: str | Unset = UNSET,
    locale: Locale | Unset = UNSET,
    status: str | Unset = UNSET,
    batch: str | Unset = UNSET,
    member_id: str | Unset = UNSET,

) -> Response[EnvelopePageCode | ErrorEnvelope]:
    """ Lists a reward's codes (staff with `rewards:write`: the codes are bearer vouchers):
    filters `status`, `batch`, `memberId`; `search` in the code.

    Args:
        id (str):
        page (int | Unset):
        limit (int | Unset):
        sort_by (str | Unset):
        sort_order (SortOrder | Unset): Sort direction.
        search (str | Unset):
        locale (Locale | Unset): Locale for `*_en` / `*_th` / `*_cn` fields.
        status (str | Unset):
        batch (str | Unset):
        member_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopePageCode | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        id=id,
page=page,
limit=limit,
sort_by=sort_by,
sort_order=sort_order,
search=search,
locale=locale,
status=status,
batch=batch,
member_id=member_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    sort_order: SortOrder | Unset = UNSET,
    search: str | Unset = UNSET,
    locale: Locale | Unset = UNSET,
    status: str | Unset = UNSET,
    batch: str | Unset = UNSET,
    member_id: str | Unset = UNSET,

) -> EnvelopePageCode | ErrorEnvelope | None:
    """ Lists a reward's codes (staff with `rewards:write`: the codes are bearer vouchers):
    filters `status`, `batch`, `memberId`; `search` in the code.

    Args:
        id (str):
        page (int | Unset):
        limit (int | Unset):
        sort_by (str | Unset):
        sort_order (SortOrder | Unset): Sort direction.
        search (str | Unset):
        locale (Locale | Unset): Locale for `*_en` / `*_th` / `*_cn` fields.
        status (str | Unset):
        batch (str | Unset):
        member_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopePageCode | ErrorEnvelope
     """


    return (await asyncio_detailed(
        id=id,
client=client,
page=page,
limit=limit,
sort_by=sort_by,
sort_order=sort_order,
search=search,
locale=locale,
status=status,
batch=batch,
member_id=member_id,

    )).parsed
