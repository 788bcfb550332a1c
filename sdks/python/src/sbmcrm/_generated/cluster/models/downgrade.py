from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.downgrade_policy import DowngradePolicy
from ..types import UNSET, Unset






T = TypeVar("T", bound="Downgrade")



@_attrs_define
class Downgrade:
    """ How and when a member is demoted.

        Attributes:
            grace_days (int | Unset): Days after the validity ends before the evaluation runs (activity in them still
                counts).
            policy (DowngradePolicy | Unset): Where a member goes when retention fails.
     """

    grace_days: int | Unset = UNSET
    policy: DowngradePolicy | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        grace_days = self.grace_days

        policy: str | Unset = UNSET
        if not isinstance(self.policy, Unset):
            policy = self.policy.value



        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if grace_days is not UNSET:
            field_dict["graceDays"] = grace_days
        if policy is not UNSET:
            field_dict["policy"] = policy

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grace_days = d.pop("graceDays", UNSET)

        _policy = d.pop("policy", UNSET)
        policy: DowngradePolicy | Unset
        if isinstance(_policy,  Unset):
            policy = UNSET
        else:
            policy = DowngradePolicy(_policy)




        downgrade = cls(
            grace_days=grace_days,
            policy=policy,
        )

        return downgrade

