from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RedeemRequest")



@_attrs_define
class RedeemRequest:
    """ A redemption request.

        Attributes:
            reward_id (str):
            member_id (None | str | Unset): Required for API keys and staff; a member redeems for itself (its own id, or
                none).
            store_id (None | str | Unset): The store redeeming on the member's behalf, if any.
     """

    reward_id: str
    member_id: None | str | Unset = UNSET
    store_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        reward_id = self.reward_id

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        else:
            member_id = self.member_id

        store_id: None | str | Unset
        if isinstance(self.store_id, Unset):
            store_id = UNSET
        else:
            store_id = self.store_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "rewardId": reward_id,
        })
        if member_id is not UNSET:
            field_dict["memberId"] = member_id
        if store_id is not UNSET:
            field_dict["storeId"] = store_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reward_id = d.pop("rewardId")

        def _parse_member_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        member_id = _parse_member_id(d.pop("memberId", UNSET))


        def _parse_store_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        store_id = _parse_store_id(d.pop("storeId", UNSET))


        redeem_request = cls(
            reward_id=reward_id,
            member_id=member_id,
            store_id=store_id,
        )

        return redeem_request

