from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="NewConsentDocument")



@_attrs_define
class NewConsentDocument:
    """ A new version of a document. The version number is assigned.

        Attributes:
            body_en (str):
            kind (str):
            title_en (str):
            body_cn (str | Unset):
            body_th (str | Unset):
            effective_at (datetime.datetime | None | Unset): When it takes effect; now when absent.
            title_cn (str | Unset):
            title_th (str | Unset):
     """

    body_en: str
    kind: str
    title_en: str
    body_cn: str | Unset = UNSET
    body_th: str | Unset = UNSET
    effective_at: datetime.datetime | None | Unset = UNSET
    title_cn: str | Unset = UNSET
    title_th: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        body_en = self.body_en

        kind = self.kind

        title_en = self.title_en

        body_cn = self.body_cn

        body_th = self.body_th

        effective_at: None | str | Unset
        if isinstance(self.effective_at, Unset):
            effective_at = UNSET
        elif isinstance(self.effective_at, datetime.datetime):
            effective_at = self.effective_at.isoformat()
        else:
            effective_at = self.effective_at

        title_cn = self.title_cn

        title_th = self.title_th


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "body_en": body_en,
            "kind": kind,
            "title_en": title_en,
        })
        if body_cn is not UNSET:
            field_dict["body_cn"] = body_cn
        if body_th is not UNSET:
            field_dict["body_th"] = body_th
        if effective_at is not UNSET:
            field_dict["effectiveAt"] = effective_at
        if title_cn is not UNSET:
            field_dict["title_cn"] = title_cn
        if title_th is not UNSET:
            field_dict["title_th"] = title_th

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        body_en = d.pop("body_en")

        kind = d.pop("kind")

        title_en = d.pop("title_en")

        body_cn = d.pop("body_cn", UNSET)

        body_th = d.pop("body_th", UNSET)

        def _parse_effective_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effective_at_type_0 = datetime.datetime.fromisoformat(data)



                return effective_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        effective_at = _parse_effective_at(d.pop("effectiveAt", UNSET))


        title_cn = d.pop("title_cn", UNSET)

        title_th = d.pop("title_th", UNSET)

        new_consent_document = cls(
            body_en=body_en,
            kind=kind,
            title_en=title_en,
            body_cn=body_cn,
            body_th=body_th,
            effective_at=effective_at,
            title_cn=title_cn,
            title_th=title_th,
        )

        return new_consent_document

