from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.qualifying_measure import QualifyingMeasure
  from ..models.tier_brief import TierBrief





T = TypeVar("T", bound="NextTier")



@_attrs_define
class NextTier:
    """ The next tier up and how far away it is.

        Attributes:
            needed (int): What is still needed (0 when met: the upgrade is on its way).
            percentage (float): Progress from 0 to 100.
            qualification (QualifyingMeasure): A metric summed over a window.

                Documented as `QualifyingMeasure`: the badges' `Measure` (what a badge counts) has the
                type name too, and utoipa keys schemas by name, so one would replace the other.
            threshold (int):
            tier (TierBrief): A tier, briefly.
     """

    needed: int
    percentage: float
    qualification: QualifyingMeasure
    threshold: int
    tier: TierBrief
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.qualifying_measure import QualifyingMeasure # noqa: PLC0415
        from ..models.tier_brief import TierBrief # noqa: PLC0415
        needed = self.needed

        percentage = self.percentage

        qualification = self.qualification.to_dict()

        threshold = self.threshold

        tier = self.tier.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "needed": needed,
            "percentage": percentage,
            "qualification": qualification,
            "threshold": threshold,
            "tier": tier,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.qualifying_measure import QualifyingMeasure # noqa: PLC0415
        from ..models.tier_brief import TierBrief # noqa: PLC0415
        d = dict(src_dict)
        needed = d.pop("needed")

        percentage = d.pop("percentage")

        qualification = QualifyingMeasure.from_dict(d.pop("qualification"))




        threshold = d.pop("threshold")

        tier = TierBrief.from_dict(d.pop("tier"))




        next_tier = cls(
            needed=needed,
            percentage=percentage,
            qualification=qualification,
            threshold=threshold,
            tier=tier,
        )


        next_tier.additional_properties = d
        return next_tier

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
