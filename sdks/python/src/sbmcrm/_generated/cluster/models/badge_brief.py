from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.visibility import Visibility
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="BadgeBrief")



@_attrs_define
class BadgeBrief:
    """ A badge, briefly.

        Attributes:
            category (str):
            code (str):
            id (str):
            name_cn (str):
            name_en (str):
            name_th (str):
            visibility (Visibility): Who sees a badge before earning it.
            description (None | str | Unset):
            name (None | str | Unset):
            reward_points (int | None | Unset):
     """

    category: str
    code: str
    id: str
    name_cn: str
    name_en: str
    name_th: str
    visibility: Visibility
    description: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    reward_points: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        category = self.category

        code = self.code

        id = self.id

        name_cn = self.name_cn

        name_en = self.name_en

        name_th = self.name_th

        visibility = self.visibility.value

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        reward_points: int | None | Unset
        if isinstance(self.reward_points, Unset):
            reward_points = UNSET
        else:
            reward_points = self.reward_points


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "category": category,
            "code": code,
            "id": id,
            "name_cn": name_cn,
            "name_en": name_en,
            "name_th": name_th,
            "visibility": visibility,
        })
        if description is not UNSET:
            field_dict["description"] = description
        if name is not UNSET:
            field_dict["name"] = name
        if reward_points is not UNSET:
            field_dict["rewardPoints"] = reward_points

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = d.pop("category")

        code = d.pop("code")

        id = d.pop("id")

        name_cn = d.pop("name_cn")

        name_en = d.pop("name_en")

        name_th = d.pop("name_th")

        visibility = Visibility(d.pop("visibility"))




        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_reward_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        reward_points = _parse_reward_points(d.pop("rewardPoints", UNSET))


        badge_brief = cls(
            category=category,
            code=code,
            id=id,
            name_cn=name_cn,
            name_en=name_en,
            name_th=name_th,
            visibility=visibility,
            description=description,
            name=name,
            reward_points=reward_points,
        )


        badge_brief.additional_properties = d
        return badge_brief

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
