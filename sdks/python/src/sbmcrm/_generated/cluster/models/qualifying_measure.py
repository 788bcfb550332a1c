from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.metric import Metric
from ..models.tier_window_kind import TierWindowKind
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="QualifyingMeasure")



@_attrs_define
class QualifyingMeasure:
    """ A metric summed over a window.

    Documented as `QualifyingMeasure`: the badges' `Measure` (what a badge counts) has the
    type name too, and utoipa keys schemas by name, so one would replace the other.

        Attributes:
            metric (Metric): What qualifies a member for a tier.
            to (datetime.datetime):
            value (int):
            window (TierWindowKind): The period the metric is summed over, ending at the moment of evaluation.
            currency (None | str | Unset):
            from_ (datetime.datetime | None | Unset): Window start (`null`: lifetime).
            window_months (int | None | Unset):
     """

    metric: Metric
    to: datetime.datetime
    value: int
    window: TierWindowKind
    currency: None | str | Unset = UNSET
    from_: datetime.datetime | None | Unset = UNSET
    window_months: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        metric = self.metric.value

        to = self.to.isoformat()

        value = self.value

        window = self.window.value

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        elif isinstance(self.from_, datetime.datetime):
            from_ = self.from_.isoformat()
        else:
            from_ = self.from_

        window_months: int | None | Unset
        if isinstance(self.window_months, Unset):
            window_months = UNSET
        else:
            window_months = self.window_months


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "metric": metric,
            "to": to,
            "value": value,
            "window": window,
        })
        if currency is not UNSET:
            field_dict["currency"] = currency
        if from_ is not UNSET:
            field_dict["from"] = from_
        if window_months is not UNSET:
            field_dict["windowMonths"] = window_months

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        metric = Metric(d.pop("metric"))




        to = datetime.datetime.fromisoformat(d.pop("to"))




        value = d.pop("value")

        window = TierWindowKind(d.pop("window"))




        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))


        def _parse_from_(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                from_type_0 = datetime.datetime.fromisoformat(data)



                return from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))


        def _parse_window_months(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        window_months = _parse_window_months(d.pop("windowMonths", UNSET))


        qualifying_measure = cls(
            metric=metric,
            to=to,
            value=value,
            window=window,
            currency=currency,
            from_=from_,
            window_months=window_months,
        )


        qualifying_measure.additional_properties = d
        return qualifying_measure

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
