from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="Benefit")



@_attrs_define
class Benefit:
    """ A perk of a tier, localized.

        Attributes:
            name_en (str):
            description_cn (str | Unset):
            description_en (str | Unset):
            description_th (str | Unset):
            name_cn (str | Unset):
            name_th (str | Unset):
     """

    name_en: str
    description_cn: str | Unset = UNSET
    description_en: str | Unset = UNSET
    description_th: str | Unset = UNSET
    name_cn: str | Unset = UNSET
    name_th: str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        name_en = self.name_en

        description_cn = self.description_cn

        description_en = self.description_en

        description_th = self.description_th

        name_cn = self.name_cn

        name_th = self.name_th


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name_en": name_en,
        })
        if description_cn is not UNSET:
            field_dict["description_cn"] = description_cn
        if description_en is not UNSET:
            field_dict["description_en"] = description_en
        if description_th is not UNSET:
            field_dict["description_th"] = description_th
        if name_cn is not UNSET:
            field_dict["name_cn"] = name_cn
        if name_th is not UNSET:
            field_dict["name_th"] = name_th

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name_en = d.pop("name_en")

        description_cn = d.pop("description_cn", UNSET)

        description_en = d.pop("description_en", UNSET)

        description_th = d.pop("description_th", UNSET)

        name_cn = d.pop("name_cn", UNSET)

        name_th = d.pop("name_th", UNSET)

        benefit = cls(
            name_en=name_en,
            description_cn=description_cn,
            description_en=description_en,
            description_th=description_th,
            name_cn=name_cn,
            name_th=name_th,
        )

        return benefit

