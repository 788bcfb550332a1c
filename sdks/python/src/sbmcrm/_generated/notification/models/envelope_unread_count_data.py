from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.envelope_unread_count_data_by_category import EnvelopeUnreadCountDataByCategory





T = TypeVar("T", bound="EnvelopeUnreadCountData")



@_attrs_define
class EnvelopeUnreadCountData:
    """ Unread notifications, in all and per category.

        Attributes:
            by_category (EnvelopeUnreadCountDataByCategory): Every category, zero included.
            total (int):
     """

    by_category: EnvelopeUnreadCountDataByCategory
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.envelope_unread_count_data_by_category import EnvelopeUnreadCountDataByCategory # noqa: PLC0415
        by_category = self.by_category.to_dict()

        total = self.total


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "byCategory": by_category,
            "total": total,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.envelope_unread_count_data_by_category import EnvelopeUnreadCountDataByCategory # noqa: PLC0415
        d = dict(src_dict)
        by_category = EnvelopeUnreadCountDataByCategory.from_dict(d.pop("byCategory"))




        total = d.pop("total")

        envelope_unread_count_data = cls(
            by_category=by_category,
            total=total,
        )


        envelope_unread_count_data.additional_properties = d
        return envelope_unread_count_data

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
