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

if TYPE_CHECKING:
  from ..models.criteria import Criteria





T = TypeVar("T", bound="Badge")



@_attrs_define
class Badge:
    """ A badge as the API shows it.

        Attributes:
            code (str):
            criteria (Criteria): How a badge is earned.
            name_en (str):
            visibility (Visibility): Who sees a badge before earning it.
            created_at (datetime.datetime):
            id (str):
            updated_at (datetime.datetime):
            active (bool | Unset):
            category (str | Unset):
            description_cn (str | Unset):
            description_en (str | Unset):
            description_th (str | Unset):
            ends_at (datetime.datetime | None | Unset):
            image_url (None | str | Unset): Shown once earned.
            locked_image_url (None | str | Unset): Shown while locked.
            max_awards (int | None | Unset): For repeatable badges: the most awards a member gets (none: no limit).
            name_cn (str | Unset):
            name_th (str | Unset):
            repeatable (bool | Unset): Earned again once progress reaches the target again (it restarts at each award).
            reward_points (int | None | Unset): Points the point service credits per award (source `badge`), once.
            starts_at (datetime.datetime | None | Unset): Seasonal badges: when they show and can be earned.
            deleted_at (datetime.datetime | None | Unset):
            description (None | str | Unset):
            name (None | str | Unset): With `?locale=`.
     """

    code: str
    criteria: Criteria
    name_en: str
    visibility: Visibility
    created_at: datetime.datetime
    id: str
    updated_at: datetime.datetime
    active: bool | Unset = UNSET
    category: str | Unset = UNSET
    description_cn: str | Unset = UNSET
    description_en: str | Unset = UNSET
    description_th: str | Unset = UNSET
    ends_at: datetime.datetime | None | Unset = UNSET
    image_url: None | str | Unset = UNSET
    locked_image_url: None | str | Unset = UNSET
    max_awards: int | None | Unset = UNSET
    name_cn: str | Unset = UNSET
    name_th: str | Unset = UNSET
    repeatable: bool | Unset = UNSET
    reward_points: int | None | Unset = UNSET
    starts_at: datetime.datetime | None | Unset = UNSET
    deleted_at: datetime.datetime | None | Unset = UNSET
    description: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.criteria import Criteria # noqa: PLC0415
        code = self.code

        criteria = self.criteria.to_dict()

        name_en = self.name_en

        visibility = self.visibility.value

        created_at = self.created_at.isoformat()

        id = self.id

        updated_at = self.updated_at.isoformat()

        active = self.active

        category = self.category

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

        locked_image_url: None | str | Unset
        if isinstance(self.locked_image_url, Unset):
            locked_image_url = UNSET
        else:
            locked_image_url = self.locked_image_url

        max_awards: int | None | Unset
        if isinstance(self.max_awards, Unset):
            max_awards = UNSET
        else:
            max_awards = self.max_awards

        name_cn = self.name_cn

        name_th = self.name_th

        repeatable = self.repeatable

        reward_points: int | None | Unset
        if isinstance(self.reward_points, Unset):
            reward_points = UNSET
        else:
            reward_points = self.reward_points

        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        elif isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

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
            "criteria": criteria,
            "name_en": name_en,
            "visibility": visibility,
            "createdAt": created_at,
            "id": id,
            "updatedAt": updated_at,
        })
        if active is not UNSET:
            field_dict["active"] = active
        if category is not UNSET:
            field_dict["category"] = category
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
        if locked_image_url is not UNSET:
            field_dict["lockedImageUrl"] = locked_image_url
        if max_awards is not UNSET:
            field_dict["maxAwards"] = max_awards
        if name_cn is not UNSET:
            field_dict["name_cn"] = name_cn
        if name_th is not UNSET:
            field_dict["name_th"] = name_th
        if repeatable is not UNSET:
            field_dict["repeatable"] = repeatable
        if reward_points is not UNSET:
            field_dict["rewardPoints"] = reward_points
        if starts_at is not UNSET:
            field_dict["startsAt"] = starts_at
        if deleted_at is not UNSET:
            field_dict["deletedAt"] = deleted_at
        if description is not UNSET:
            field_dict["description"] = description
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.criteria import Criteria # noqa: PLC0415
        d = dict(src_dict)
        code = d.pop("code")

        criteria = Criteria.from_dict(d.pop("criteria"))




        name_en = d.pop("name_en")

        visibility = Visibility(d.pop("visibility"))




        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = d.pop("id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        active = d.pop("active", UNSET)

        category = d.pop("category", UNSET)

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


        def _parse_locked_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        locked_image_url = _parse_locked_image_url(d.pop("lockedImageUrl", UNSET))


        def _parse_max_awards(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_awards = _parse_max_awards(d.pop("maxAwards", UNSET))


        name_cn = d.pop("name_cn", UNSET)

        name_th = d.pop("name_th", UNSET)

        repeatable = d.pop("repeatable", UNSET)

        def _parse_reward_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        reward_points = _parse_reward_points(d.pop("rewardPoints", UNSET))


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


        badge = cls(
            code=code,
            criteria=criteria,
            name_en=name_en,
            visibility=visibility,
            created_at=created_at,
            id=id,
            updated_at=updated_at,
            active=active,
            category=category,
            description_cn=description_cn,
            description_en=description_en,
            description_th=description_th,
            ends_at=ends_at,
            image_url=image_url,
            locked_image_url=locked_image_url,
            max_awards=max_awards,
            name_cn=name_cn,
            name_th=name_th,
            repeatable=repeatable,
            reward_points=reward_points,
            starts_at=starts_at,
            deleted_at=deleted_at,
            description=description,
            name=name,
        )


        badge.additional_properties = d
        return badge

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
