from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="NewTicket")



@_attrs_define
class NewTicket:
    """ A claim for missing points.

        Attributes:
            description (str):
            reference (None | str | Unset):
            requested_points (int | None | Unset):
     """

    description: str
    reference: None | str | Unset = UNSET
    requested_points: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        description = self.description

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        requested_points: int | None | Unset
        if isinstance(self.requested_points, Unset):
            requested_points = UNSET
        else:
            requested_points = self.requested_points


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "description": description,
        })
        if reference is not UNSET:
            field_dict["reference"] = reference
        if requested_points is not UNSET:
            field_dict["requestedPoints"] = requested_points

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))


        def _parse_requested_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        requested_points = _parse_requested_points(d.pop("requestedPoints", UNSET))


        new_ticket = cls(
            description=description,
            reference=reference,
            requested_points=requested_points,
        )

        return new_ticket

