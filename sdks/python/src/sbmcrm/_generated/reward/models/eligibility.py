from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.ineligible import Ineligible
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Eligibility")



@_attrs_define
class Eligibility:
    """ What a member's read of a reward adds (absent for staff and keys, hence optional in the
    document).

        Attributes:
            eligible (bool | Unset): Whether a redemption now would go through (as far as can be told before trying).
                Default: False.
            limit_remaining (int | None | Unset): Redemptions left under its per-member limits (none: no limit).
            reason (Ineligible | None | Unset):
            redeemed_count (int | Unset): The member's redemptions of it (cancelled ones do not count). Default: 0.
     """

    eligible: bool | Unset = False
    limit_remaining: int | None | Unset = UNSET
    reason: Ineligible | None | Unset = UNSET
    redeemed_count: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        eligible = self.eligible

        limit_remaining: int | None | Unset
        if isinstance(self.limit_remaining, Unset):
            limit_remaining = UNSET
        else:
            limit_remaining = self.limit_remaining

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        elif isinstance(self.reason, Ineligible):
            reason = self.reason.value
        else:
            reason = self.reason

        redeemed_count = self.redeemed_count


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if eligible is not UNSET:
            field_dict["eligible"] = eligible
        if limit_remaining is not UNSET:
            field_dict["limitRemaining"] = limit_remaining
        if reason is not UNSET:
            field_dict["reason"] = reason
        if redeemed_count is not UNSET:
            field_dict["redeemedCount"] = redeemed_count

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        eligible = d.pop("eligible", UNSET)

        def _parse_limit_remaining(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        limit_remaining = _parse_limit_remaining(d.pop("limitRemaining", UNSET))


        def _parse_reason(data: object) -> Ineligible | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_1 = Ineligible(data)



                return reason_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Ineligible | None | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        redeemed_count = d.pop("redeemedCount", UNSET)

        eligibility = cls(
            eligible=eligible,
            limit_remaining=limit_remaining,
            reason=reason,
            redeemed_count=redeemed_count,
        )


        eligibility.additional_properties = d
        return eligibility

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
