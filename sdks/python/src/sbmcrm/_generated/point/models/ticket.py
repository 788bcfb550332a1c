from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Ticket")



@_attrs_define
class Ticket:
    """ A ticket.

        Attributes:
            created_at (datetime.datetime):
            description (str):
            id (str):
            member_id (str):
            status (str): `open`, `approved`, `rejected` or `cancelled`.
            updated_at (datetime.datetime):
            approved_points (int | None | Unset):
            reference (None | str | Unset): The member's reference: an order or receipt number.
            reject_reason (None | str | Unset):
            requested_points (int | None | Unset):
            reviewed_at (datetime.datetime | None | Unset):
            reviewed_by (None | str | Unset):
            transaction_id (None | str | Unset):
     """

    created_at: datetime.datetime
    description: str
    id: str
    member_id: str
    status: str
    updated_at: datetime.datetime
    approved_points: int | None | Unset = UNSET
    reference: None | str | Unset = UNSET
    reject_reason: None | str | Unset = UNSET
    requested_points: int | None | Unset = UNSET
    reviewed_at: datetime.datetime | None | Unset = UNSET
    reviewed_by: None | str | Unset = UNSET
    transaction_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        description = self.description

        id = self.id

        member_id = self.member_id

        status = self.status

        updated_at = self.updated_at.isoformat()

        approved_points: int | None | Unset
        if isinstance(self.approved_points, Unset):
            approved_points = UNSET
        else:
            approved_points = self.approved_points

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        reject_reason: None | str | Unset
        if isinstance(self.reject_reason, Unset):
            reject_reason = UNSET
        else:
            reject_reason = self.reject_reason

        requested_points: int | None | Unset
        if isinstance(self.requested_points, Unset):
            requested_points = UNSET
        else:
            requested_points = self.requested_points

        reviewed_at: None | str | Unset
        if isinstance(self.reviewed_at, Unset):
            reviewed_at = UNSET
        elif isinstance(self.reviewed_at, datetime.datetime):
            reviewed_at = self.reviewed_at.isoformat()
        else:
            reviewed_at = self.reviewed_at

        reviewed_by: None | str | Unset
        if isinstance(self.reviewed_by, Unset):
            reviewed_by = UNSET
        else:
            reviewed_by = self.reviewed_by

        transaction_id: None | str | Unset
        if isinstance(self.transaction_id, Unset):
            transaction_id = UNSET
        else:
            transaction_id = self.transaction_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "description": description,
            "id": id,
            "memberId": member_id,
            "status": status,
            "updatedAt": updated_at,
        })
        if approved_points is not UNSET:
            field_dict["approvedPoints"] = approved_points
        if reference is not UNSET:
            field_dict["reference"] = reference
        if reject_reason is not UNSET:
            field_dict["rejectReason"] = reject_reason
        if requested_points is not UNSET:
            field_dict["requestedPoints"] = requested_points
        if reviewed_at is not UNSET:
            field_dict["reviewedAt"] = reviewed_at
        if reviewed_by is not UNSET:
            field_dict["reviewedBy"] = reviewed_by
        if transaction_id is not UNSET:
            field_dict["transactionId"] = transaction_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        description = d.pop("description")

        id = d.pop("id")

        member_id = d.pop("memberId")

        status = d.pop("status")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_approved_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        approved_points = _parse_approved_points(d.pop("approvedPoints", UNSET))


        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))


        def _parse_reject_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reject_reason = _parse_reject_reason(d.pop("rejectReason", UNSET))


        def _parse_requested_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        requested_points = _parse_requested_points(d.pop("requestedPoints", UNSET))


        def _parse_reviewed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reviewed_at_type_0 = datetime.datetime.fromisoformat(data)



                return reviewed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        reviewed_at = _parse_reviewed_at(d.pop("reviewedAt", UNSET))


        def _parse_reviewed_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reviewed_by = _parse_reviewed_by(d.pop("reviewedBy", UNSET))


        def _parse_transaction_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        transaction_id = _parse_transaction_id(d.pop("transactionId", UNSET))


        ticket = cls(
            created_at=created_at,
            description=description,
            id=id,
            member_id=member_id,
            status=status,
            updated_at=updated_at,
            approved_points=approved_points,
            reference=reference,
            reject_reason=reject_reason,
            requested_points=requested_points,
            reviewed_at=reviewed_at,
            reviewed_by=reviewed_by,
            transaction_id=transaction_id,
        )


        ticket.additional_properties = d
        return ticket

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
