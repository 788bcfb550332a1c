from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.visibility import Visibility
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="CatalogSpec")



@_attrs_define
class CatalogSpec:
    """ A catalog as it is written.

        Attributes:
            code (str): Stable identifier (the operator's `RewardCatalog` key); cannot change.
            name_en (str):
            active (bool | Unset):
            description_cn (str | Unset):
            description_en (str | Unset):
            description_th (str | Unset):
            ends_at (datetime.datetime | None | Unset): Members see it until then (none: for good).
            image_url (None | str | Unset):
            name_cn (str | Unset):
            name_th (str | Unset):
            sort_order (int | Unset): Lower comes first.
            starts_at (datetime.datetime | None | Unset): Members see it from then (none: at once).
            tier_codes (list[str] | Unset): For `visibility: tiers`: the tier codes whose holders see it.
            visibility (Visibility | Unset): Who sees a catalog.
     """

    code: str
    name_en: str
    active: bool | Unset = UNSET
    description_cn: str | Unset = UNSET
    description_en: str | Unset = UNSET
    description_th: str | Unset = UNSET
    ends_at: datetime.datetime | None | Unset = UNSET
    image_url: None | str | Unset = UNSET
    name_cn: str | Unset = UNSET
    name_th: str | Unset = UNSET
    sort_order: int | Unset = UNSET
    starts_at: datetime.datetime | None | Unset = UNSET
    tier_codes: list[str] | Unset = UNSET
    visibility: Visibility | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name_en = self.name_en

        active = self.active

        description_cn = self.description_cn

        description_en = self.description_en

        description_th = self.description_th

        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        elif isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        image_url: None | str | Unset
        if isinstance(self.image_url, Unset):
            image_url = UNSET
        else:
            image_url = self.image_url

        name_cn = self.name_cn

        name_th = self.name_th

        sort_order = self.sort_order

        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        elif isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        tier_codes: list[str] | Unset = UNSET
        if not isinstance(self.tier_codes, Unset):
            tier_codes = self.tier_codes



        visibility: str | Unset = UNSET
        if not isinstance(self.visibility, Unset):
            visibility = self.visibility.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "name_en": name_en,
        })
        if active is not UNSET:
            field_dict["active"] = active
        if description_cn is not UNSET:
            field_dict["description_cn"] = description_cn
        if description_en is not UNSET:
            field_dict["description_en"] = description_en
        if description_th is not UNSET:
            field_dict["description_th"] = description_th
        if ends_at is not UNSET:
            field_dict["endsAt"] = ends_at
        if image_url is not UNSET:
            field_dict["imageUrl"] = image_url
        if name_cn is not UNSET:
            field_dict["name_cn"] = name_cn
        if name_th is not UNSET:
            field_dict["name_th"] = name_th
        if sort_order is not UNSET:
            field_dict["sortOrder"] = sort_order
        if starts_at is not UNSET:
            field_dict["startsAt"] = starts_at
        if tier_codes is not UNSET:
            field_dict["tierCodes"] = tier_codes
        if visibility is not UNSET:
            field_dict["visibility"] = visibility

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        name_en = d.pop("name_en")

        active = d.pop("active", UNSET)

        description_cn = d.pop("description_cn", UNSET)

        description_en = d.pop("description_en", UNSET)

        description_th = d.pop("description_th", UNSET)

        def _parse_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)



                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ends_at = _parse_ends_at(d.pop("endsAt", UNSET))


        def _parse_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image_url = _parse_image_url(d.pop("imageUrl", UNSET))


        name_cn = d.pop("name_cn", UNSET)

        name_th = d.pop("name_th", UNSET)

        sort_order = d.pop("sortOrder", UNSET)

        def _parse_starts_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)



                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        starts_at = _parse_starts_at(d.pop("startsAt", UNSET))


        tier_codes = cast(list[str], d.pop("tierCodes", UNSET))


        _visibility = d.pop("visibility", UNSET)
        visibility: Visibility | Unset
        if isinstance(_visibility,  Unset):
            visibility = UNSET
        else:
            visibility = Visibility(_visibility)




        catalog_spec = cls(
            code=code,
            name_en=name_en,
            active=active,
            description_cn=description_cn,
            description_en=description_en,
            description_th=description_th,
            ends_at=ends_at,
            image_url=image_url,
            name_cn=name_cn,
            name_th=name_th,
            sort_order=sort_order,
            starts_at=starts_at,
            tier_codes=tier_codes,
            visibility=visibility,
        )


        catalog_spec.additional_properties = d
        return catalog_spec

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
