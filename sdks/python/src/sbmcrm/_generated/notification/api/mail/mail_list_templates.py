from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.envelope_page_template import EnvelopePageTemplate
from ...models.error_envelope import ErrorEnvelope
from ...models.locale import Locale
from ...models.sort_order import SortOrder
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    sort_order: SortOrder | Unset = UNSET,
    search: str | Unset = UNSET,
    locale: Locale | Unset = UNSET,

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


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/mail-templates",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EnvelopePageTemplate | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = EnvelopePageTemplate.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EnvelopePageTemplate | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    sort_order: SortOrder | Unset = UNSET,
    search: str | Unset = UNSET,
    locale: Locale | Unset = UNSET,

) -> Response[EnvelopePageTemplate | ErrorEnvelope]:
    """ Templates: sort `code`, `name`, `createdAt`; `search` in code and name.

    Args:
        page (int | Unset):
        limit (int | Unset):
        sort_by (str | Unset):
        sort_order (SortOrder | Unset): Sort direction.
        search (str | Unset):
        locale (Locale | Unset): Locale for `*_en` / `*_th` / `*_cn` fields.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopePageTemplate | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        page=page,
limit=limit,
sort_by=sort_by,
sort_order=sort_order,
search=search,
locale=locale,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    sort_order: SortOrder | Unset = UNSET,
    search: str | Unset = UNSET,
    locale: Locale | Unset = UNSET,

) -> EnvelopePageTemplate | ErrorEnvelope | None:
    """ Templates: sort `code`, `name`, `createdAt`; `search` in code and name.

    Args:
        page (int | Unset):
        limit (int | Unset):
        sort_by (str | Unset):
        sort_order (SortOrder | Unset): Sort direction.
        search (str | Unset):
        locale (Locale | Unset): Locale for `*_en` / `*_th` / `*_cn` fields.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopePageTemplate | ErrorEnvelope
     """


    return sync_detailed(
        client=client,
page=page,
limit=limit,
sort_by=sort_by,
sort_order=sort_order,
search=search,
locale=locale,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    sort_order: SortOrder | Unset = UNSET,
    search: str | Unset = UNSET,
    locale: Locale | Unset = UNSET,

) -> Response[EnvelopePageTemplate | ErrorEnvelope]:
    """ Templates: sort `code`, `name`, `createdAt`; `search` in code and name.

    Args:
        page (int | Unset):
        limit (int | Unset):
        sort_by (str | Unset):
        sort_order (SortOrder | Unset): Sort direction.
        search (str | Unset):
        locale (Locale | Unset): Locale for `*_en` / `*_th` / `*_cn` fields.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EnvelopePageTemplate | ErrorEnvelope]
     """


    kwargs = _get_kwargs(
        page=page,
limit=limit,
sort_by=sort_by,
sort_order=sort_order,
search=search,
locale=locale,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    page: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    sort_by: str | Unset = UNSET,
    sort_order: SortOrder | Unset = UNSET,
    search: str | Unset = UNSET,
    locale: Locale | Unset = UNSET,

) -> EnvelopePageTemplate | ErrorEnvelope | None:
    """ Templates: sort `code`, `name`, `createdAt`; `search` in code and name.

    Args:
        page (int | Unset):
        limit (int | Unset):
        sort_by (str | Unset):
        sort_order (SortOrder | Unset): Sort direction.
        search (str | Unset):
        locale (Locale | Unset): Locale for `*_en` / `*_th` / `*_cn` fields.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EnvelopePageTemplate | ErrorEnvelope
     """


    return (await asyncio_detailed(
        client=client,
page=page,
limit=limit,
sort_by=sort_by,
sort_order=sort_order,
search=search,
locale=locale,

    )).parsed
