from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.tier_brief import TierBrief





T = TypeVar("T", bound="Projected")



@_attrs_define
class Projected:
    """ Where the member would stand at the end of the period with no further activity.

        Attributes:
            outcome (str): `kept`, `downgrade`, `override_ends` or `no_evaluation`.
            tier (TierBrief): A tier, briefly.
            at (datetime.datetime | None | Unset): When: the evaluation or the override's expiry (`null`: nothing is due).
            value (int | None | Unset): The qualifying value then, counting what rolls out of the window by that date.
     """

    outcome: str
    tier: TierBrief
    at: datetime.datetime | None | Unset = UNSET
    value: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.tier_brief import TierBrief # noqa: PLC0415
        outcome = self.outcome

        tier = self.tier.to_dict()

        at: None | str | Unset
        if isinstance(self.at, Unset):
            at = UNSET
        elif isinstance(self.at, datetime.datetime):
            at = self.at.isoformat()
        else:
            at = self.at

        value: int | None | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        else:
            value = self.value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "outcome": outcome,
            "tier": tier,
        })
        if at is not UNSET:
            field_dict["at"] = at
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tier_brief import TierBrief # noqa: PLC0415
        d = dict(src_dict)
        outcome = d.pop("outcome")

        tier = TierBrief.from_dict(d.pop("tier"))




        def _parse_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                at_type_0 = datetime.datetime.fromisoformat(data)



                return at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        at = _parse_at(d.pop("at", UNSET))


        def _parse_value(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        value = _parse_value(d.pop("value", UNSET))


        projected = cls(
            outcome=outcome,
            tier=tier,
            at=at,
            value=value,
        )


        projected.additional_properties = d
        return projected

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
