from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.expiring_lot import ExpiringLot





T = TypeVar("T", bound="EnvelopeBalanceViewData")



@_attrs_define
class EnvelopeBalanceViewData:
    """ A member's points.

        Attributes:
            balance (int): Points available now.
            expiring_lots (list[ExpiringLot]): The next lots to expire, soonest first (at most 5).
            lifetime_earned (int):
            lifetime_expired (int):
            lifetime_spent (int):
            member_id (str):
            pending (int): Points awaiting review: open point-request tickets and pending receipts (estimated).
     """

    balance: int
    expiring_lots: list[ExpiringLot]
    lifetime_earned: int
    lifetime_expired: int
    lifetime_spent: int
    member_id: str
    pending: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.expiring_lot import ExpiringLot # noqa: PLC0415
        balance = self.balance

        expiring_lots = []
        for expiring_lots_item_data in self.expiring_lots:
            expiring_lots_item = expiring_lots_item_data.to_dict()
            expiring_lots.append(expiring_lots_item)



        lifetime_earned = self.lifetime_earned

        lifetime_expired = self.lifetime_expired

        lifetime_spent = self.lifetime_spent

        member_id = self.member_id

        pending = self.pending


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "balance": balance,
            "expiringLots": expiring_lots,
            "lifetimeEarned": lifetime_earned,
            "lifetimeExpired": lifetime_expired,
            "lifetimeSpent": lifetime_spent,
            "memberId": member_id,
            "pending": pending,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.expiring_lot import ExpiringLot # noqa: PLC0415
        d = dict(src_dict)
        balance = d.pop("balance")

        expiring_lots = []
        _expiring_lots = d.pop("expiringLots")
        for expiring_lots_item_data in (_expiring_lots):
            expiring_lots_item = ExpiringLot.from_dict(expiring_lots_item_data)



            expiring_lots.append(expiring_lots_item)


        lifetime_earned = d.pop("lifetimeEarned")

        lifetime_expired = d.pop("lifetimeExpired")

        lifetime_spent = d.pop("lifetimeSpent")

        member_id = d.pop("memberId")

        pending = d.pop("pending")

        envelope_balance_view_data = cls(
            balance=balance,
            expiring_lots=expiring_lots,
            lifetime_earned=lifetime_earned,
            lifetime_expired=lifetime_expired,
            lifetime_spent=lifetime_spent,
            member_id=member_id,
            pending=pending,
        )


        envelope_balance_view_data.additional_properties = d
        return envelope_balance_view_data

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
