from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.benefit import Benefit
  from ..models.downgrade import Downgrade
  from ..models.qualification import Qualification
  from ..models.retention import Retention





T = TypeVar("T", bound="Tier")



@_attrs_define
class Tier:
    """ A tier as the API shows it.

        Attributes:
            code (str): Stable identifier (lowercase letters, digits, `-`, `_`); point rules' `tierMultipliers`
                key on it. Cannot change.
            name_en (str):
            qualification (Qualification): How a tier is reached.
            rank (int): Position on the ladder: higher is better; unique among live tiers.
            created_at (datetime.datetime):
            id (str):
            managed (bool): Owned by the Kubernetes operator (a `Tier` resource): read-only through the API.
            updated_at (datetime.datetime):
            active (bool | Unset):
            benefits (list[Benefit] | Unset):
            description_cn (str | Unset):
            description_en (str | Unset):
            description_th (str | Unset):
            downgrade (Downgrade | Unset): How and when a member is demoted.
            image_url (None | str | Unset):
            is_default (bool | Unset): The tier every member holds until they qualify for another. Exactly one per ladder.
            manual_only (bool | Unset): An invitation tier: only staff assign it (an override); evaluation never reaches it.
            name_cn (str | Unset):
            name_th (str | Unset):
            retention (None | Retention | Unset):
            deleted_at (datetime.datetime | None | Unset):
            description (None | str | Unset):
            name (None | str | Unset): With `?locale=`: `name_*` resolved (English when the wanted one is empty).
     """

    code: str
    name_en: str
    qualification: Qualification
    rank: int
    created_at: datetime.datetime
    id: str
    managed: bool
    updated_at: datetime.datetime
    active: bool | Unset = UNSET
    benefits: list[Benefit] | Unset = UNSET
    description_cn: str | Unset = UNSET
    description_en: str | Unset = UNSET
    description_th: str | Unset = UNSET
    downgrade: Downgrade | Unset = UNSET
    image_url: None | str | Unset = UNSET
    is_default: bool | Unset = UNSET
    manual_only: bool | Unset = UNSET
    name_cn: str | Unset = UNSET
    name_th: str | Unset = UNSET
    retention: None | Retention | Unset = UNSET
    deleted_at: datetime.datetime | None | Unset = UNSET
    description: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.benefit import Benefit # noqa: PLC0415
        from ..models.downgrade import Downgrade # noqa: PLC0415
        from ..models.qualification import Qualification # noqa: PLC0415
        from ..models.retention import Retention # noqa: PLC0415
        code = self.code

        name_en = self.name_en

        qualification = self.qualification.to_dict()

        rank = self.rank

        created_at = self.created_at.isoformat()

        id = self.id

        managed = self.managed

        updated_at = self.updated_at.isoformat()

        active = self.active

        benefits: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.benefits, Unset):
            benefits = []
            for benefits_item_data in self.benefits:
                benefits_item = benefits_item_data.to_dict()
                benefits.append(benefits_item)



        description_cn = self.description_cn

        description_en = self.description_en

        description_th = self.description_th

        downgrade: dict[str, Any] | Unset = UNSET
        if not isinstance(self.downgrade, Unset):
            downgrade = self.downgrade.to_dict()

        image_url: None | str | Unset
        if isinstance(self.image_url, Unset):
            image_url = UNSET
        else:
            image_url = self.image_url

        is_default = self.is_default

        manual_only = self.manual_only

        name_cn = self.name_cn

        name_th = self.name_th

        retention: dict[str, Any] | None | Unset
        if isinstance(self.retention, Unset):
            retention = UNSET
        elif isinstance(self.retention, Retention):
            retention = self.retention.to_dict()
        else:
            retention = self.retention

        deleted_at: None | str | Unset
        if isinstance(self.deleted_at, Unset):
            deleted_at = UNSET
        elif isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

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


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "name_en": name_en,
            "qualification": qualification,
            "rank": rank,
            "createdAt": created_at,
            "id": id,
            "managed": managed,
            "updatedAt": updated_at,
        })
        if active is not UNSET:
            field_dict["active"] = active
        if benefits is not UNSET:
            field_dict["benefits"] = benefits
        if description_cn is not UNSET:
            field_dict["description_cn"] = description_cn
        if description_en is not UNSET:
            field_dict["description_en"] = description_en
        if description_th is not UNSET:
            field_dict["description_th"] = description_th
        if downgrade is not UNSET:
            field_dict["downgrade"] = downgrade
        if image_url is not UNSET:
            field_dict["imageUrl"] = image_url
        if is_default is not UNSET:
            field_dict["isDefault"] = is_default
        if manual_only is not UNSET:
            field_dict["manualOnly"] = manual_only
        if name_cn is not UNSET:
            field_dict["name_cn"] = name_cn
        if name_th is not UNSET:
            field_dict["name_th"] = name_th
        if retention is not UNSET:
            field_dict["retention"] = retention
        if deleted_at is not UNSET:
            field_dict["deletedAt"] = deleted_at
        if description is not UNSET:
            field_dict["description"] = description
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.benefit import Benefit # noqa: PLC0415
        from ..models.downgrade import Downgrade # noqa: PLC0415
        from ..models.qualification import Qualification # noqa: PLC0415
        from ..models.retention import Retention # noqa: PLC0415
        d = dict(src_dict)
        code = d.pop("code")

        name_en = d.pop("name_en")

        qualification = Qualification.from_dict(d.pop("qualification"))




        rank = d.pop("rank")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = d.pop("id")

        managed = d.pop("managed")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        active = d.pop("active", UNSET)

        _benefits = d.pop("benefits", UNSET)
        benefits: list[Benefit] | Unset = UNSET
        if _benefits is not UNSET:
            benefits = []
            for benefits_item_data in _benefits:
                benefits_item = Benefit.from_dict(benefits_item_data)



                benefits.append(benefits_item)


        description_cn = d.pop("description_cn", UNSET)

        description_en = d.pop("description_en", UNSET)

        description_th = d.pop("description_th", UNSET)

        _downgrade = d.pop("downgrade", UNSET)
        downgrade: Downgrade | Unset
        if isinstance(_downgrade,  Unset):
            downgrade = UNSET
        else:
            downgrade = Downgrade.from_dict(_downgrade)




        def _parse_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image_url = _parse_image_url(d.pop("imageUrl", UNSET))


        is_default = d.pop("isDefault", UNSET)

        manual_only = d.pop("manualOnly", UNSET)

        name_cn = d.pop("name_cn", UNSET)

        name_th = d.pop("name_th", UNSET)

        def _parse_retention(data: object) -> None | Retention | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                retention_type_1 = Retention.from_dict(data)



                return retention_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Retention | Unset, data)

        retention = _parse_retention(d.pop("retention", UNSET))


        def _parse_deleted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)



                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deleted_at = _parse_deleted_at(d.pop("deletedAt", UNSET))


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


        tier = cls(
            code=code,
            name_en=name_en,
            qualification=qualification,
            rank=rank,
            created_at=created_at,
            id=id,
            managed=managed,
            updated_at=updated_at,
            active=active,
            benefits=benefits,
            description_cn=description_cn,
            description_en=description_en,
            description_th=description_th,
            downgrade=downgrade,
            image_url=image_url,
            is_default=is_default,
            manual_only=manual_only,
            name_cn=name_cn,
            name_th=name_th,
            retention=retention,
            deleted_at=deleted_at,
            description=description,
            name=name,
        )


        tier.additional_properties = d
        return tier

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
