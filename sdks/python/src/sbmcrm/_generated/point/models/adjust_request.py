from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="AdjustRequest")



@_attrs_define
class AdjustRequest:
    """ A manual correction by staff.

        Attributes:
            member_id (str):
            points (int): Signed, not zero.
            reason (str):
            external_id (None | str | Unset):
            metadata (Any | Unset):
     """

    member_id: str
    points: int
    reason: str
    external_id: None | str | Unset = UNSET
    metadata: Any | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        member_id = self.member_id

        points = self.points

        reason = self.reason

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        metadata = self.metadata


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "memberId": member_id,
            "points": points,
            "reason": reason,
        })
        if external_id is not UNSET:
            field_dict["externalId"] = external_id
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        member_id = d.pop("memberId")

        points = d.pop("points")

        reason = d.pop("reason")

        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("externalId", UNSET))


        metadata = d.pop("metadata", UNSET)

        adjust_request = cls(
            member_id=member_id,
            points=points,
            reason=reason,
            external_id=external_id,
            metadata=metadata,
        )

        return adjust_request

