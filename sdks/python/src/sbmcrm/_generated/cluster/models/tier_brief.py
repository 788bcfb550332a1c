from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="TierBrief")



@_attrs_define
class TierBrief:
    """ A tier, briefly.

        Attributes:
            code (str):
            id (str):
            name_cn (str):
            name_en (str):
            name_th (str):
            rank (int):
            image_url (None | str | Unset):
            name (None | str | Unset): With `?locale=`.
     """

    code: str
    id: str
    name_cn: str
    name_en: str
    name_th: str
    rank: int
    image_url: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        id = self.id

        name_cn = self.name_cn

        name_en = self.name_en

        name_th = self.name_th

        rank = self.rank

        image_url: None | str | Unset
        if isinstance(self.image_url, Unset):
            image_url = UNSET
        else:
            image_url = self.image_url

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "id": id,
            "name_cn": name_cn,
            "name_en": name_en,
            "name_th": name_th,
            "rank": rank,
        })
        if image_url is not UNSET:
            field_dict["imageUrl"] = image_url
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        id = d.pop("id")

        name_cn = d.pop("name_cn")

        name_en = d.pop("name_en")

        name_th = d.pop("name_th")

        rank = d.pop("rank")

        def _parse_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image_url = _parse_image_url(d.pop("imageUrl", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        tier_brief = cls(
            code=code,
            id=id,
            name_cn=name_cn,
            name_en=name_en,
            name_th=name_th,
            rank=rank,
            image_url=image_url,
            name=name,
        )


        tier_brief.additional_properties = d
        return tier_brief

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
