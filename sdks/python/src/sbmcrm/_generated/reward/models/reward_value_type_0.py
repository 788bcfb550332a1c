from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.reward_value_type_0_kind import RewardValueType0Kind






T = TypeVar("T", bound="RewardValueType0")



@_attrs_define
class RewardValueType0:
    """ A percentage off (1 to 100).

        Attributes:
            kind (RewardValueType0Kind):
            percent (int):
     """

    kind: RewardValueType0Kind
    percent: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        percent = self.percent


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "kind": kind,
            "percent": percent,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = RewardValueType0Kind(d.pop("kind"))




        percent = d.pop("percent")

        reward_value_type_0 = cls(
            kind=kind,
            percent=percent,
        )


        reward_value_type_0.additional_properties = d
        return reward_value_type_0

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
