from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.rule_kind import RuleKind
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.rule_spec_tier_multipliers import RuleSpecTierMultipliers





T = TypeVar("T", bound="RuleSpec")



@_attrs_define
class RuleSpec:
    """ A point rule as written by staff through the API or by a `PointRule` resource. The
    operator's CRD schema is generated from this type, with the cross-field rules below as CEL
    validations, so the API server refuses what `RuleSpec::validate` would.

        Attributes:
            code (str): Business key, unique: lowercase letters, digits, `-` and `_`.
            kind (RuleKind): What a rule reacts to.
            name (str):
            action (None | str | Unset): Action rules: the action's name.
            active (bool | Unset):
            cap_per_member_per_day (int | None | Unset):
            cap_per_transaction (int | None | Unset):
            days_of_week (list[int] | Unset): ISO days (1 = Monday ... 7 = Sunday) it applies on, in the purchase's own time
                zone
                (empty: every day).
            ends_at (datetime.datetime | None | Unset):
            lot_validity_days (int | None | Unset): Days until the earned points expire (none: they do not expire).
            min_amount (int | None | Unset): Purchase rules: smallest amount (minor units) that earns anything.
            points (int | None | Unset): Action rules: points given.
            points_per_unit (int | None | Unset): Purchase rules: points given per `unitAmount` spent.
            priority (int | Unset): Higher runs first.
            stackable (bool | Unset): Whether it adds to other stackable rules; a non-stackable rule applies alone.
            starts_at (datetime.datetime | None | Unset):
            store_categories (list[str] | Unset): Purchase rules: store categories it applies to (empty: all).
            tier_multipliers (RuleSpecTierMultipliers | Unset): Multiplier by tier code, e.g. `{"gold": 1.5}`. A member
                without a tier gets 1.
            unit_amount (int | None | Unset): Purchase rules: amount in minor currency units (satang, cents) that earns
                `pointsPerUnit`.
     """

    code: str
    kind: RuleKind
    name: str
    action: None | str | Unset = UNSET
    active: bool | Unset = UNSET
    cap_per_member_per_day: int | None | Unset = UNSET
    cap_per_transaction: int | None | Unset = UNSET
    days_of_week: list[int] | Unset = UNSET
    ends_at: datetime.datetime | None | Unset = UNSET
    lot_validity_days: int | None | Unset = UNSET
    min_amount: int | None | Unset = UNSET
    points: int | None | Unset = UNSET
    points_per_unit: int | None | Unset = UNSET
    priority: int | Unset = UNSET
    stackable: bool | Unset = UNSET
    starts_at: datetime.datetime | None | Unset = UNSET
    store_categories: list[str] | Unset = UNSET
    tier_multipliers: RuleSpecTierMultipliers | Unset = UNSET
    unit_amount: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.rule_spec_tier_multipliers import RuleSpecTierMultipliers # noqa: PLC0415
        code = self.code

        kind = self.kind.value

        name = self.name

        action: None | str | Unset
        if isinstance(self.action, Unset):
            action = UNSET
        else:
            action = self.action

        active = self.active

        cap_per_member_per_day: int | None | Unset
        if isinstance(self.cap_per_member_per_day, Unset):
            cap_per_member_per_day = UNSET
        else:
            cap_per_member_per_day = self.cap_per_member_per_day

        cap_per_transaction: int | None | Unset
        if isinstance(self.cap_per_transaction, Unset):
            cap_per_transaction = UNSET
        else:
            cap_per_transaction = self.cap_per_transaction

        days_of_week: list[int] | Unset = UNSET
        if not isinstance(self.days_of_week, Unset):
            days_of_week = self.days_of_week



        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        elif isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        lot_validity_days: int | None | Unset
        if isinstance(self.lot_validity_days, Unset):
            lot_validity_days = UNSET
        else:
            lot_validity_days = self.lot_validity_days

        min_amount: int | None | Unset
        if isinstance(self.min_amount, Unset):
            min_amount = UNSET
        else:
            min_amount = self.min_amount

        points: int | None | Unset
        if isinstance(self.points, Unset):
            points = UNSET
        else:
            points = self.points

        points_per_unit: int | None | Unset
        if isinstance(self.points_per_unit, Unset):
            points_per_unit = UNSET
        else:
            points_per_unit = self.points_per_unit

        priority = self.priority

        stackable = self.stackable

        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        elif isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        store_categories: list[str] | Unset = UNSET
        if not isinstance(self.store_categories, Unset):
            store_categories = self.store_categories



        tier_multipliers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tier_multipliers, Unset):
            tier_multipliers = self.tier_multipliers.to_dict()

        unit_amount: int | None | Unset
        if isinstance(self.unit_amount, Unset):
            unit_amount = UNSET
        else:
            unit_amount = self.unit_amount


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "kind": kind,
            "name": name,
        })
        if action is not UNSET:
            field_dict["action"] = action
        if active is not UNSET:
            field_dict["active"] = active
        if cap_per_member_per_day is not UNSET:
            field_dict["capPerMemberPerDay"] = cap_per_member_per_day
        if cap_per_transaction is not UNSET:
            field_dict["capPerTransaction"] = cap_per_transaction
        if days_of_week is not UNSET:
            field_dict["daysOfWeek"] = days_of_week
        if ends_at is not UNSET:
            field_dict["endsAt"] = ends_at
        if lot_validity_days is not UNSET:
            field_dict["lotValidityDays"] = lot_validity_days
        if min_amount is not UNSET:
            field_dict["minAmount"] = min_amount
        if points is not UNSET:
            field_dict["points"] = points
        if points_per_unit is not UNSET:
            field_dict["pointsPerUnit"] = points_per_unit
        if priority is not UNSET:
            field_dict["priority"] = priority
        if stackable is not UNSET:
            field_dict["stackable"] = stackable
        if starts_at is not UNSET:
            field_dict["startsAt"] = starts_at
        if store_categories is not UNSET:
            field_dict["storeCategories"] = store_categories
        if tier_multipliers is not UNSET:
            field_dict["tierMultipliers"] = tier_multipliers
        if unit_amount is not UNSET:
            field_dict["unitAmount"] = unit_amount

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.rule_spec_tier_multipliers import RuleSpecTierMultipliers # noqa: PLC0415
        d = dict(src_dict)
        code = d.pop("code")

        kind = RuleKind(d.pop("kind"))




        name = d.pop("name")

        def _parse_action(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        action = _parse_action(d.pop("action", UNSET))


        active = d.pop("active", UNSET)

        def _parse_cap_per_member_per_day(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        cap_per_member_per_day = _parse_cap_per_member_per_day(d.pop("capPerMemberPerDay", UNSET))


        def _parse_cap_per_transaction(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        cap_per_transaction = _parse_cap_per_transaction(d.pop("capPerTransaction", UNSET))


        days_of_week = cast(list[int], d.pop("daysOfWeek", UNSET))


        def _parse_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)



                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ends_at = _parse_ends_at(d.pop("endsAt", UNSET))


        def _parse_lot_validity_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        lot_validity_days = _parse_lot_validity_days(d.pop("lotValidityDays", UNSET))


        def _parse_min_amount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_amount = _parse_min_amount(d.pop("minAmount", UNSET))


        def _parse_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        points = _parse_points(d.pop("points", UNSET))


        def _parse_points_per_unit(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        points_per_unit = _parse_points_per_unit(d.pop("pointsPerUnit", UNSET))


        priority = d.pop("priority", UNSET)

        stackable = d.pop("stackable", UNSET)

        def _parse_starts_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)



                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        starts_at = _parse_starts_at(d.pop("startsAt", UNSET))


        store_categories = cast(list[str], d.pop("storeCategories", UNSET))


        _tier_multipliers = d.pop("tierMultipliers", UNSET)
        tier_multipliers: RuleSpecTierMultipliers | Unset
        if isinstance(_tier_multipliers,  Unset):
            tier_multipliers = UNSET
        else:
            tier_multipliers = RuleSpecTierMultipliers.from_dict(_tier_multipliers)




        def _parse_unit_amount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        unit_amount = _parse_unit_amount(d.pop("unitAmount", UNSET))


        rule_spec = cls(
            code=code,
            kind=kind,
            name=name,
            action=action,
            active=active,
            cap_per_member_per_day=cap_per_member_per_day,
            cap_per_transaction=cap_per_transaction,
            days_of_week=days_of_week,
            ends_at=ends_at,
            lot_validity_days=lot_validity_days,
            min_amount=min_amount,
            points=points,
            points_per_unit=points_per_unit,
            priority=priority,
            stackable=stackable,
            starts_at=starts_at,
            store_categories=store_categories,
            tier_multipliers=tier_multipliers,
            unit_amount=unit_amount,
        )


        rule_spec.additional_properties = d
        return rule_spec

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
