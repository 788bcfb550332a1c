from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.envelope_page_member_view_data_data_item import EnvelopePageMemberViewDataDataItem
  from ..models.page_meta import PageMeta





T = TypeVar("T", bound="EnvelopePageMemberViewData")



@_attrs_define
class EnvelopePageMemberViewData:
    """ `data` of a list response: `{"meta": ..., "data": [...]}`.

        Attributes:
            data (list[EnvelopePageMemberViewDataDataItem]):
            meta (PageMeta): Pagination metadata exactly as the seed shows it.
     """

    data: list[EnvelopePageMemberViewDataDataItem]
    meta: PageMeta
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.envelope_page_member_view_data_data_item import EnvelopePageMemberViewDataDataItem # noqa: PLC0415
        from ..models.page_meta import PageMeta # noqa: PLC0415
        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)



        meta = self.meta.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "data": data,
            "meta": meta,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.envelope_page_member_view_data_data_item import EnvelopePageMemberViewDataDataItem # noqa: PLC0415
        from ..models.page_meta import PageMeta # noqa: PLC0415
        d = dict(src_dict)
        data = []
        _data = d.pop("data")
        for data_item_data in (_data):
            data_item = EnvelopePageMemberViewDataDataItem.from_dict(data_item_data)



            data.append(data_item)


        meta = PageMeta.from_dict(d.pop("meta"))




        envelope_page_member_view_data = cls(
            data=data,
            meta=meta,
        )


        envelope_page_member_view_data.additional_properties = d
        return envelope_page_member_view_data

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
