from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.ticket import Ticket
  from ..models.transaction import Transaction





T = TypeVar("T", bound="EnvelopeTicketDecisionData")



@_attrs_define
class EnvelopeTicketDecisionData:
    """ `data` of an approval.

        Attributes:
            ticket (Ticket): A ticket.
            transaction (Transaction): A ledger entry.
     """

    ticket: Ticket
    transaction: Transaction
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.ticket import Ticket # noqa: PLC0415
        from ..models.transaction import Transaction # noqa: PLC0415
        ticket = self.ticket.to_dict()

        transaction = self.transaction.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "ticket": ticket,
            "transaction": transaction,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ticket import Ticket # noqa: PLC0415
        from ..models.transaction import Transaction # noqa: PLC0415
        d = dict(src_dict)
        ticket = Ticket.from_dict(d.pop("ticket"))




        transaction = Transaction.from_dict(d.pop("transaction"))




        envelope_ticket_decision_data = cls(
            ticket=ticket,
            transaction=transaction,
        )


        envelope_ticket_decision_data.additional_properties = d
        return envelope_ticket_decision_data

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
