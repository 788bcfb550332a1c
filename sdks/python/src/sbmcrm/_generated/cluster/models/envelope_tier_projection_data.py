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
  from ..models.keep import Keep
  from ..models.next_tier import NextTier
  from ..models.override import Override
  from ..models.projected import Projected
  from ..models.qualifying_measure import QualifyingMeasure
  from ..models.tier_brief import TierBrief





T = TypeVar("T", bound="EnvelopeTierProjectionData")



@_attrs_define
class EnvelopeTierProjectionData:
    """ `GET /tier-projections/{memberId}`.

        Attributes:
            current_tier (TierBrief): A tier, briefly.
            member_id (str):
            projected (Projected): Where the member would stand at the end of the period with no further activity.
            qualifying (QualifyingMeasure): A metric summed over a window.

                Documented as `QualifyingMeasure`: the badges' `Measure` (what a badge counts) has the
                type name too, and utoipa keys schemas by name, so one would replace the other.
            source (str): `auto` or `manual`.
            next_tier (NextTier | None | Unset):
            override (None | Override | Unset):
            retention (Keep | None | Unset):
            since (datetime.datetime | None | Unset): When the member reached it (`null`: nothing has placed the member yet;
                they hold the
                default tier).
            valid_until (datetime.datetime | None | Unset): When the tier's validity ends (`null`: it does not).
     """

    current_tier: TierBrief
    member_id: str
    projected: Projected
    qualifying: QualifyingMeasure
    source: str
    next_tier: NextTier | None | Unset = UNSET
    override: None | Override | Unset = UNSET
    retention: Keep | None | Unset = UNSET
    since: datetime.datetime | None | Unset = UNSET
    valid_until: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.keep import Keep # noqa: PLC0415
        from ..models.next_tier import NextTier # noqa: PLC0415
        from ..models.override import Override # noqa: PLC0415
        from ..models.projected import Projected # noqa: PLC0415
        from ..models.qualifying_measure import QualifyingMeasure # noqa: PLC0415
        from ..models.tier_brief import TierBrief # noqa: PLC0415
        current_tier = self.current_tier.to_dict()

        member_id = self.member_id

        projected = self.projected.to_dict()

        qualifying = self.qualifying.to_dict()

        source = self.source

        next_tier: dict[str, Any] | None | Unset
        if isinstance(self.next_tier, Unset):
            next_tier = UNSET
        elif isinstance(self.next_tier, NextTier):
            next_tier = self.next_tier.to_dict()
        else:
            next_tier = self.next_tier

        override: dict[str, Any] | None | Unset
        if isinstance(self.override, Unset):
            override = UNSET
        elif isinstance(self.override, Override):
            override = self.override.to_dict()
        else:
            override = self.override

        retention: dict[str, Any] | None | Unset
        if isinstance(self.retention, Unset):
            retention = UNSET
        elif isinstance(self.retention, Keep):
            retention = self.retention.to_dict()
        else:
            retention = self.retention

        since: None | str | Unset
        if isinstance(self.since, Unset):
            since = UNSET
        elif isinstance(self.since, datetime.datetime):
            since = self.since.isoformat()
        else:
            since = self.since

        valid_until: None | str | Unset
        if isinstance(self.valid_until, Unset):
            valid_until = UNSET
        elif isinstance(self.valid_until, datetime.datetime):
            valid_until = self.valid_until.isoformat()
        else:
            valid_until = self.valid_until


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "currentTier": current_tier,
            "memberId": member_id,
            "projected": projected,
            "qualifying": qualifying,
            "source": source,
        })
        if next_tier is not UNSET:
            field_dict["nextTier"] = next_tier
        if override is not UNSET:
            field_dict["override"] = override
        if retention is not UNSET:
            field_dict["retention"] = retention
        if since is not UNSET:
            field_dict["since"] = since
        if valid_until is not UNSET:
            field_dict["validUntil"] = valid_until

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.keep import Keep # noqa: PLC0415
        from ..models.next_tier import NextTier # noqa: PLC0415
        from ..models.override import Override # noqa: PLC0415
        from ..models.projected import Projected # noqa: PLC0415
        from ..models.qualifying_measure import QualifyingMeasure # noqa: PLC0415
        from ..models.tier_brief import TierBrief # noqa: PLC0415
        d = dict(src_dict)
        current_tier = TierBrief.from_dict(d.pop("currentTier"))




        member_id = d.pop("memberId")

        projected = Projected.from_dict(d.pop("projected"))




        qualifying = QualifyingMeasure.from_dict(d.pop("qualifying"))




        source = d.pop("source")

        def _parse_next_tier(data: object) -> NextTier | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                next_tier_type_1 = NextTier.from_dict(data)



                return next_tier_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(NextTier | None | Unset, data)

        next_tier = _parse_next_tier(d.pop("nextTier", UNSET))


        def _parse_override(data: object) -> None | Override | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                override_type_1 = Override.from_dict(data)



                return override_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Override | Unset, data)

        override = _parse_override(d.pop("override", UNSET))


        def _parse_retention(data: object) -> Keep | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                retention_type_1 = Keep.from_dict(data)



                return retention_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Keep | None | Unset, data)

        retention = _parse_retention(d.pop("retention", UNSET))


        def _parse_since(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                since_type_0 = datetime.datetime.fromisoformat(data)



                return since_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        since = _parse_since(d.pop("since", UNSET))


        def _parse_valid_until(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_until_type_0 = datetime.datetime.fromisoformat(data)



                return valid_until_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        valid_until = _parse_valid_until(d.pop("validUntil", UNSET))


        envelope_tier_projection_data = cls(
            current_tier=current_tier,
            member_id=member_id,
            projected=projected,
            qualifying=qualifying,
            source=source,
            next_tier=next_tier,
            override=override,
            retention=retention,
            since=since,
            valid_until=valid_until,
        )


        envelope_tier_projection_data.additional_properties = d
        return envelope_tier_projection_data

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
