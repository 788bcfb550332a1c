from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Retention")



@_attrs_define
class Retention:
    """ What keeps a member on a tier once reached: the same metric and window as qualification,
    measured again when the tier's validity ends.

        Attributes:
            threshold (int): The value the window must hold at evaluation to keep the tier.
            validity_months (int): How long the tier is held before it is evaluated again (1 to 120 months).
     """

    threshold: int
    validity_months: int





    def to_dict(self) -> dict[str, Any]:
        threshold = self.threshold

        validity_months = self.validity_months


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "threshold": threshold,
            "validityMonths": validity_months,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        threshold = d.pop("threshold")

        validity_months = d.pop("validityMonths")

        retention = cls(
            threshold=threshold,
            validity_months=validity_months,
        )

        return retention

