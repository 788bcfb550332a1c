from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.purchase import Purchase





T = TypeVar("T", bound="SimulateRequest")



@_attrs_define
class SimulateRequest:
    """ A dry run.

        Attributes:
            action (None | str | Unset):
            member_id (None | str | Unset): The member (for tier and daily caps); optional.
            purchase (None | Purchase | Unset):
            tier_code (None | str | Unset): Pretend the member has this tier.
     """

    action: None | str | Unset = UNSET
    member_id: None | str | Unset = UNSET
    purchase: None | Purchase | Unset = UNSET
    tier_code: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.purchase import Purchase # noqa: PLC0415
        action: None | str | Unset
        if isinstance(self.action, Unset):
            action = UNSET
        else:
            action = self.action

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        else:
            member_id = self.member_id

        purchase: dict[str, Any] | None | Unset
        if isinstance(self.purchase, Unset):
            purchase = UNSET
        elif isinstance(self.purchase, Purchase):
            purchase = self.purchase.to_dict()
        else:
            purchase = self.purchase

        tier_code: None | str | Unset
        if isinstance(self.tier_code, Unset):
            tier_code = UNSET
        else:
            tier_code = self.tier_code


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if action is not UNSET:
            field_dict["action"] = action
        if member_id is not UNSET:
            field_dict["memberId"] = member_id
        if purchase is not UNSET:
            field_dict["purchase"] = purchase
        if tier_code is not UNSET:
            field_dict["tierCode"] = tier_code

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.purchase import Purchase # noqa: PLC0415
        d = dict(src_dict)
        def _parse_action(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        action = _parse_action(d.pop("action", UNSET))


        def _parse_member_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        member_id = _parse_member_id(d.pop("memberId", UNSET))


        def _parse_purchase(data: object) -> None | Purchase | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                purchase_type_1 = Purchase.from_dict(data)



                return purchase_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Purchase | Unset, data)

        purchase = _parse_purchase(d.pop("purchase", UNSET))


        def _parse_tier_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tier_code = _parse_tier_code(d.pop("tierCode", UNSET))


        simulate_request = cls(
            action=action,
            member_id=member_id,
            purchase=purchase,
            tier_code=tier_code,
        )

        return simulate_request

