from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="EnvelopeTransactionData")



@_attrs_define
class EnvelopeTransactionData:
    """ A ledger entry.

        Attributes:
            balance_after (int):
            created_at (datetime.datetime):
            id (str):
            member_id (str):
            metadata (Any):
            points (int): Signed change to the balance.
            reason (str):
            reversed_points (int): How much of this entry later reversals took back.
            source (str):
            type_ (str): `earn`, `spend`, `expire`, `reverse` or `adjust`.
            breakdown (Any | Unset): Rule breakdown, for earns computed by rules.
            created_by (None | str | Unset):
            external_id (None | str | Unset):
            related_id (None | str | Unset): The original entry, for reversals.
     """

    balance_after: int
    created_at: datetime.datetime
    id: str
    member_id: str
    metadata: Any
    points: int
    reason: str
    reversed_points: int
    source: str
    type_: str
    breakdown: Any | Unset = UNSET
    created_by: None | str | Unset = UNSET
    external_id: None | str | Unset = UNSET
    related_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        balance_after = self.balance_after

        created_at = self.created_at.isoformat()

        id = self.id

        member_id = self.member_id

        metadata = self.metadata

        points = self.points

        reason = self.reason

        reversed_points = self.reversed_points

        source = self.source

        type_ = self.type_

        breakdown = self.breakdown

        created_by: None | str | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        else:
            created_by = self.created_by

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        related_id: None | str | Unset
        if isinstance(self.related_id, Unset):
            related_id = UNSET
        else:
            related_id = self.related_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "balanceAfter": balance_after,
            "createdAt": created_at,
            "id": id,
            "memberId": member_id,
            "metadata": metadata,
            "points": points,
            "reason": reason,
            "reversedPoints": reversed_points,
            "source": source,
            "type": type_,
        })
        if breakdown is not UNSET:
            field_dict["breakdown"] = breakdown
        if created_by is not UNSET:
            field_dict["createdBy"] = created_by
        if external_id is not UNSET:
            field_dict["externalId"] = external_id
        if related_id is not UNSET:
            field_dict["relatedId"] = related_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        balance_after = d.pop("balanceAfter")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = d.pop("id")

        member_id = d.pop("memberId")

        metadata = d.pop("metadata")

        points = d.pop("points")

        reason = d.pop("reason")

        reversed_points = d.pop("reversedPoints")

        source = d.pop("source")

        type_ = d.pop("type")

        breakdown = d.pop("breakdown", UNSET)

        def _parse_created_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        created_by = _parse_created_by(d.pop("createdBy", UNSET))


        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("externalId", UNSET))


        def _parse_related_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        related_id = _parse_related_id(d.pop("relatedId", UNSET))


        envelope_transaction_data = cls(
            balance_after=balance_after,
            created_at=created_at,
            id=id,
            member_id=member_id,
            metadata=metadata,
            points=points,
            reason=reason,
            reversed_points=reversed_points,
            source=source,
            type_=type_,
            breakdown=breakdown,
            created_by=created_by,
            external_id=external_id,
            related_id=related_id,
        )


        envelope_transaction_data.additional_properties = d
        return envelope_transaction_data

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
