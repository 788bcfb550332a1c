from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="AwardRequest")



@_attrs_define
class AwardRequest:
    """ An award by hand.

        Attributes:
            member_id (str):
            reason (str):
     """

    member_id: str
    reason: str





    def to_dict(self) -> dict[str, Any]:
        member_id = self.member_id

        reason = self.reason


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "memberId": member_id,
            "reason": reason,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        member_id = d.pop("memberId")

        reason = d.pop("reason")

        award_request = cls(
            member_id=member_id,
            reason=reason,
        )

        return award_request

