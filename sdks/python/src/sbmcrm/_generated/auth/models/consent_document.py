from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="ConsentDocument")



@_attrs_define
class ConsentDocument:
    """ A consent document version.

        Attributes:
            body_cn (str):
            body_en (str):
            body_th (str):
            created_at (datetime.datetime):
            effective_at (datetime.datetime):
            id (str):
            kind (str): `privacy_policy` or `terms_of_service`.
            title_cn (str):
            title_en (str):
            title_th (str):
            version (int):
            body (None | str | Unset): Resolved body for `?locale=`.
            title (None | str | Unset): Resolved title for `?locale=`.
     """

    body_cn: str
    body_en: str
    body_th: str
    created_at: datetime.datetime
    effective_at: datetime.datetime
    id: str
    kind: str
    title_cn: str
    title_en: str
    title_th: str
    version: int
    body: None | str | Unset = UNSET
    title: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        body_cn = self.body_cn

        body_en = self.body_en

        body_th = self.body_th

        created_at = self.created_at.isoformat()

        effective_at = self.effective_at.isoformat()

        id = self.id

        kind = self.kind

        title_cn = self.title_cn

        title_en = self.title_en

        title_th = self.title_th

        version = self.version

        body: None | str | Unset
        if isinstance(self.body, Unset):
            body = UNSET
        else:
            body = self.body

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "body_cn": body_cn,
            "body_en": body_en,
            "body_th": body_th,
            "createdAt": created_at,
            "effectiveAt": effective_at,
            "id": id,
            "kind": kind,
            "title_cn": title_cn,
            "title_en": title_en,
            "title_th": title_th,
            "version": version,
        })
        if body is not UNSET:
            field_dict["body"] = body
        if title is not UNSET:
            field_dict["title"] = title

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body_cn = d.pop("body_cn")

        body_en = d.pop("body_en")

        body_th = d.pop("body_th")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        effective_at = datetime.datetime.fromisoformat(d.pop("effectiveAt"))




        id = d.pop("id")

        kind = d.pop("kind")

        title_cn = d.pop("title_cn")

        title_en = d.pop("title_en")

        title_th = d.pop("title_th")

        version = d.pop("version")

        def _parse_body(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        body = _parse_body(d.pop("body", UNSET))


        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))


        consent_document = cls(
            body_cn=body_cn,
            body_en=body_en,
            body_th=body_th,
            created_at=created_at,
            effective_at=effective_at,
            id=id,
            kind=kind,
            title_cn=title_cn,
            title_en=title_en,
            title_th=title_th,
            version=version,
            body=body,
            title=title,
        )


        consent_document.additional_properties = d
        return consent_document

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
