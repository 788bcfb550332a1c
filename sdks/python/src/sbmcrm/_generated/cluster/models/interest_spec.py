from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="InterestSpec")



@_attrs_define
class InterestSpec:
    """ An interest as it is written.

        Attributes:
            code (str): Stable identifier: lowercase letters, digits, `-`, `_`.
            name_en (str):
            active (bool | Unset):
            icon_url (None | str | Unset):
            name_cn (str | Unset):
            name_th (str | Unset):
            sort_order (int | Unset): Lower comes first.
     """

    code: str
    name_en: str
    active: bool | Unset = UNSET
    icon_url: None | str | Unset = UNSET
    name_cn: str | Unset = UNSET
    name_th: str | Unset = UNSET
    sort_order: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name_en = self.name_en

        active = self.active

        icon_url: None | str | Unset
        if isinstance(self.icon_url, Unset):
            icon_url = UNSET
        else:
            icon_url = self.icon_url

        name_cn = self.name_cn

        name_th = self.name_th

        sort_order = self.sort_order


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "name_en": name_en,
        })
        if active is not UNSET:
            field_dict["active"] = active
        if icon_url is not UNSET:
            field_dict["iconUrl"] = icon_url
        if name_cn is not UNSET:
            field_dict["name_cn"] = name_cn
        if name_th is not UNSET:
            field_dict["name_th"] = name_th
        if sort_order is not UNSET:
            field_dict["sortOrder"] = sort_order

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        name_en = d.pop("name_en")

        active = d.pop("active", UNSET)

        def _parse_icon_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        icon_url = _parse_icon_url(d.pop("iconUrl", UNSET))


        name_cn = d.pop("name_cn", UNSET)

        name_th = d.pop("name_th", UNSET)

        sort_order = d.pop("sortOrder", UNSET)

        interest_spec = cls(
            code=code,
            name_en=name_en,
            active=active,
            icon_url=icon_url,
            name_cn=name_cn,
            name_th=name_th,
            sort_order=sort_order,
        )


        interest_spec.additional_properties = d
        return interest_spec

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
