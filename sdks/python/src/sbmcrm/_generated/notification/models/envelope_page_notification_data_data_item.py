from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.category import Category
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.envelope_page_notification_data_data_item_data import EnvelopePageNotificationDataDataItemData





T = TypeVar("T", bound="EnvelopePageNotificationDataDataItem")



@_attrs_define
class EnvelopePageNotificationDataDataItem:
    """ A notification as its member reads it.

        Attributes:
            body (str):
            category (Category): What a notification is about.
            created_at (datetime.datetime):
            data (EnvelopePageNotificationDataDataItemData): The facts behind the text (points, balance, reward code ...).
            id (str):
            kind (str): The topic it came from, such as `points.earned`.
            title (str): In `?locale` (`en`, `th`, `cn`; English without one).
            cta_url (None | str | Unset): Where the app should take the member.
            image_url (None | str | Unset):
            read_at (datetime.datetime | None | Unset):
     """

    body: str
    category: Category
    created_at: datetime.datetime
    data: EnvelopePageNotificationDataDataItemData
    id: str
    kind: str
    title: str
    cta_url: None | str | Unset = UNSET
    image_url: None | str | Unset = UNSET
    read_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.envelope_page_notification_data_data_item_data import EnvelopePageNotificationDataDataItemData # noqa: PLC0415
        body = self.body

        category = self.category.value

        created_at = self.created_at.isoformat()

        data = self.data.to_dict()

        id = self.id

        kind = self.kind

        title = self.title

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

        read_at: None | str | Unset
        if isinstance(self.read_at, Unset):
            read_at = UNSET
        elif isinstance(self.read_at, datetime.datetime):
            read_at = self.read_at.isoformat()
        else:
            read_at = self.read_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "body": body,
            "category": category,
            "createdAt": created_at,
            "data": data,
            "id": id,
            "kind": kind,
            "title": title,
        })
        if cta_url is not UNSET:
            field_dict["ctaUrl"] = cta_url
        if image_url is not UNSET:
            field_dict["imageUrl"] = image_url
        if read_at is not UNSET:
            field_dict["readAt"] = read_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.envelope_page_notification_data_data_item_data import EnvelopePageNotificationDataDataItemData # noqa: PLC0415
        d = dict(src_dict)
        body = d.pop("body")

        category = Category(d.pop("category"))




        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        data = EnvelopePageNotificationDataDataItemData.from_dict(d.pop("data"))




        id = d.pop("id")

        kind = d.pop("kind")

        title = d.pop("title")

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


        def _parse_read_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                read_at_type_0 = datetime.datetime.fromisoformat(data)



                return read_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        read_at = _parse_read_at(d.pop("readAt", UNSET))


        envelope_page_notification_data_data_item = cls(
            body=body,
            category=category,
            created_at=created_at,
            data=data,
            id=id,
            kind=kind,
            title=title,
            cta_url=cta_url,
            image_url=image_url,
            read_at=read_at,
        )


        envelope_page_notification_data_data_item.additional_properties = d
        return envelope_page_notification_data_data_item

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
