from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.rule_outcome import RuleOutcome





T = TypeVar("T", bound="EnvelopeSimulationData")



@_attrs_define
class EnvelopeSimulationData:
    """ What an earn would give, and why.

        Attributes:
            breakdown (list[RuleOutcome]):
            points (int):
            tier_code (None | str | Unset):
     """

    breakdown: list[RuleOutcome]
    points: int
    tier_code: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.rule_outcome import RuleOutcome # noqa: PLC0415
        breakdown = []
        for breakdown_item_data in self.breakdown:
            breakdown_item = breakdown_item_data.to_dict()
            breakdown.append(breakdown_item)



        points = self.points

        tier_code: None | str | Unset
        if isinstance(self.tier_code, Unset):
            tier_code = UNSET
        else:
            tier_code = self.tier_code


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "breakdown": breakdown,
            "points": points,
        })
        if tier_code is not UNSET:
            field_dict["tierCode"] = tier_code

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule_outcome import RuleOutcome # noqa: PLC0415
        d = dict(src_dict)
        breakdown = []
        _breakdown = d.pop("breakdown")
        for breakdown_item_data in (_breakdown):
            breakdown_item = RuleOutcome.from_dict(breakdown_item_data)



            breakdown.append(breakdown_item)


        points = d.pop("points")

        def _parse_tier_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tier_code = _parse_tier_code(d.pop("tierCode", UNSET))


        envelope_simulation_data = cls(
            breakdown=breakdown,
            points=points,
            tier_code=tier_code,
        )


        envelope_simulation_data.additional_properties = d
        return envelope_simulation_data

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
