from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.receipt import Receipt
  from ..models.transaction import Transaction





T = TypeVar("T", bound="ReceiptDecision")



@_attrs_define
class ReceiptDecision:
    """ `data` of an approval.

        Attributes:
            receipt (Receipt): A receipt as the API shows it.
            transaction (None | Transaction | Unset):
     """

    receipt: Receipt
    transaction: None | Transaction | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.receipt import Receipt # noqa: PLC0415
        from ..models.transaction import Transaction # noqa: PLC0415
        receipt = self.receipt.to_dict()

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
            "receipt": receipt,
        })
        if transaction is not UNSET:
            field_dict["transaction"] = transaction

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.receipt import Receipt # noqa: PLC0415
        from ..models.transaction import Transaction # noqa: PLC0415
        d = dict(src_dict)
        receipt = Receipt.from_dict(d.pop("receipt"))




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


        receipt_decision = cls(
            receipt=receipt,
            transaction=transaction,
        )


        receipt_decision.additional_properties = d
        return receipt_decision

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
