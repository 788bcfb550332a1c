from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.audience_kind import AudienceKind
from ..models.category import Category
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="BroadcastSpec")



@_attrs_define
class BroadcastSpec:
    """ What staff compose.

        Attributes:
            audience (AudienceKind): Who a broadcast goes to.
            body_en (str):
            category (Category): What a notification is about.
            title_en (str):
            body_cn (str | Unset):
            body_th (str | Unset):
            cta_url (None | str | Unset):
            image_url (None | str | Unset):
            scheduled_at (datetime.datetime | None | Unset): When to send (now when absent or past).
            targets (list[str] | Unset): Tier codes, interest codes or member ids (empty for `all`).
            title_cn (str | Unset):
            title_th (str | Unset):
     """

    audience: AudienceKind
    body_en: str
    category: Category
    title_en: str
    body_cn: str | Unset = UNSET
    body_th: str | Unset = UNSET
    cta_url: None | str | Unset = UNSET
    image_url: None | str | Unset = UNSET
    scheduled_at: datetime.datetime | None | Unset = UNSET
    targets: list[str] | Unset = UNSET
    title_cn: str | Unset = UNSET
    title_th: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        audience = self.audience.value

        body_en = self.body_en

        category = self.category.value

        title_en = self.title_en

        body_cn = self.body_cn

        body_th = self.body_th

        cta_url: None | str | Unset
        if isinstance(self.cta_url, Unset):
            cta_url = UNSET
        else:
            cta_url = self.cta_url

        image_url: None | str | Unset
        if isinstance(self.image_url, Unset):
            image_url = UNSET
        else:
            image_url = self.image_url

        scheduled_at: None | str | Unset
        if isinstance(self.scheduled_at, Unset):
            scheduled_at = UNSET
        elif isinstance(self.scheduled_at, datetime.datetime):
            scheduled_at = self.scheduled_at.isoformat()
        else:
            scheduled_at = self.scheduled_at

        targets: list[str] | Unset = UNSET
        if not isinstance(self.targets, Unset):
            targets = self.targets



        title_cn = self.title_cn

        title_th = self.title_th


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "audience": audience,
            "body_en": body_en,
            "category": category,
            "title_en": title_en,
        })
        if body_cn is not UNSET:
            field_dict["body_cn"] = body_cn
        if body_th is not UNSET:
            field_dict["body_th"] = body_th
        if cta_url is not UNSET:
            field_dict["ctaUrl"] = cta_url
        if image_url is not UNSET:
            field_dict["imageUrl"] = image_url
        if scheduled_at is not UNSET:
            field_dict["scheduledAt"] = scheduled_at
        if targets is not UNSET:
            field_dict["targets"] = targets
        if title_cn is not UNSET:
            field_dict["title_cn"] = title_cn
        if title_th is not UNSET:
            field_dict["title_th"] = title_th

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        audience = AudienceKind(d.pop("audience"))




        body_en = d.pop("body_en")

        category = Category(d.pop("category"))




        title_en = d.pop("title_en")

        body_cn = d.pop("body_cn", UNSET)

        body_th = d.pop("body_th", UNSET)

        def _parse_cta_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cta_url = _parse_cta_url(d.pop("ctaUrl", UNSET))


        def _parse_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image_url = _parse_image_url(d.pop("imageUrl", UNSET))


        def _parse_scheduled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                scheduled_at_type_0 = datetime.datetime.fromisoformat(data)



                return scheduled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        scheduled_at = _parse_scheduled_at(d.pop("scheduledAt", UNSET))


        targets = cast(list[str], d.pop("targets", UNSET))


        title_cn = d.pop("title_cn", UNSET)

        title_th = d.pop("title_th", UNSET)

        broadcast_spec = cls(
            audience=audience,
            body_en=body_en,
            category=category,
            title_en=title_en,
            body_cn=body_cn,
            body_th=body_th,
            cta_url=cta_url,
            image_url=image_url,
            scheduled_at=scheduled_at,
            targets=targets,
            title_cn=title_cn,
            title_th=title_th,
        )


        broadcast_spec.additional_properties = d
        return broadcast_spec

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
