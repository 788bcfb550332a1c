from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="Keep")



@_attrs_define
class Keep:
    """ What keeps the current tier at its evaluation.

        Attributes:
            evaluates_at (datetime.datetime): When evaluation runs (the validity end plus the grace).
            met (bool):
            needed (int):
            threshold (int):
            value (int): The window's value now.
     """

    evaluates_at: datetime.datetime
    met: bool
    needed: int
    threshold: int
    value: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        evaluates_at = self.evaluates_at.isoformat()

        met = self.met

        needed = self.needed

        threshold = self.threshold

        value = self.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "evaluatesAt": evaluates_at,
            "met": met,
            "needed": needed,
            "threshold": threshold,
            "value": value,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        evaluates_at = datetime.datetime.fromisoformat(d.pop("evaluatesAt"))




        met = d.pop("met")

        needed = d.pop("needed")

        threshold = d.pop("threshold")

        value = d.pop("value")

        keep = cls(
            evaluates_at=evaluates_at,
            met=met,
            needed=needed,
            threshold=threshold,
            value=value,
        )


        keep.additional_properties = d
        return keep

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
