from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.transaction import Transaction





T = TypeVar("T", bound="EnvelopeBookingData")



@_attrs_define
class EnvelopeBookingData:
    """ `data` of an earn, spend, reversal or adjustment.

        Attributes:
            balance (int):
            duplicate (bool): True when this repeats an earlier request (same source and externalId).
            points (int):
            breakdown (Any | Unset): Per-rule breakdown, when rules computed the points.
            transaction (None | Transaction | Unset):
     """

    balance: int
    duplicate: bool
    points: int
    breakdown: Any | Unset = UNSET
    transaction: None | Transaction | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.transaction import Transaction # noqa: PLC0415
        balance = self.balance

        duplicate = self.duplicate

        points = self.points

        breakdown = self.breakdown

        transaction: dict[str, Any] | None | Unset
        if isinstance(self.transaction, Unset):
            transaction = UNSET
        elif isinstance(self.transaction, Transaction):
            transaction = self.transaction.to_dict()
        else:
            transaction = self.transaction


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "balance": balance,
            "duplicate": duplicate,
            "points": points,
        })
        if breakdown is not UNSET:
            field_dict["breakdown"] = breakdown
        if transaction is not UNSET:
            field_dict["transaction"] = transaction

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.transaction import Transaction # noqa: PLC0415
        d = dict(src_dict)
        balance = d.pop("balance")

        duplicate = d.pop("duplicate")

        points = d.pop("points")

        breakdown = d.pop("breakdown", UNSET)

        def _parse_transaction(data: object) -> None | Transaction | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                transaction_type_1 = Transaction.from_dict(data)



                return transaction_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Transaction | Unset, data)

        transaction = _parse_transaction(d.pop("transaction", UNSET))


        envelope_booking_data = cls(
            balance=balance,
            duplicate=duplicate,
            points=points,
            breakdown=breakdown,
            transaction=transaction,
        )


        envelope_booking_data.additional_properties = d
        return envelope_booking_data

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
