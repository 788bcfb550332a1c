from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="QuietHours")



@_attrs_define
class QuietHours:
    """ Quiet hours: nothing is pushed or mailed between `start` and `end` (the inbox still fills).

        Attributes:
            end (str): `HH:MM`; before `start` for hours across midnight.
            start (str): `HH:MM`.
            utc_offset_minutes (int | Unset): The member's offset from UTC, in minutes (`420` for Bangkok).
     """

    end: str
    start: str
    utc_offset_minutes: int | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        end = self.end

        start = self.start

        utc_offset_minutes = self.utc_offset_minutes


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "end": end,
            "start": start,
        })
        if utc_offset_minutes is not UNSET:
            field_dict["utcOffsetMinutes"] = utc_offset_minutes

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        end = d.pop("end")

        start = d.pop("start")

        utc_offset_minutes = d.pop("utcOffsetMinutes", UNSET)

        quiet_hours = cls(
            end=end,
            start=start,
            utc_offset_minutes=utc_offset_minutes,
        )

        return quiet_hours

