from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Interest")



@_attrs_define
class Interest:
    """ An interest as the API shows it.

        Attributes:
            code (str): Stable identifier: lowercase letters, digits, `-`, `_`.
            name_en (str):
            created_at (datetime.datetime):
            id (str):
            updated_at (datetime.datetime):
            active (bool | Unset):
            icon_url (None | str | Unset):
            name_cn (str | Unset):
            name_th (str | Unset):
            sort_order (int | Unset): Lower comes first.
            name (None | str | Unset): With `?locale=`.
     """

    code: str
    name_en: str
    created_at: datetime.datetime
    id: str
    updated_at: datetime.datetime
    active: bool | Unset = UNSET
    icon_url: None | str | Unset = UNSET
    name_cn: str | Unset = UNSET
    name_th: str | Unset = UNSET
    sort_order: int | Unset = UNSET
    name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name_en = self.name_en

        created_at = self.created_at.isoformat()

        id = self.id

        updated_at = self.updated_at.isoformat()

        active = self.active

        icon_url: None | str | Unset
        if isinstance(self.icon_url, Unset):
            icon_url = UNSET
        else:
            icon_url = self.icon_url

        name_cn = self.name_cn

        name_th = self.name_th

        sort_order = self.sort_order

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "name_en": name_en,
            "createdAt": created_at,
            "id": id,
            "updatedAt": updated_at,
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
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        name_en = d.pop("name_en")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = d.pop("id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




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

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        interest = cls(
            code=code,
            name_en=name_en,
            created_at=created_at,
            id=id,
            updated_at=updated_at,
            active=active,
            icon_url=icon_url,
            name_cn=name_cn,
            name_th=name_th,
            sort_order=sort_order,
            name=name,
        )


        interest.additional_properties = d
        return interest

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
