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






T = TypeVar("T", bound="Qualification")



@_attrs_define
class Qualification:
    """ How a tier is reached.

        Attributes:
            metric (Metric): What qualifies a member for a tier.
            threshold (int): The value (points, or minor currency units) the window must reach. The default tier's
                is usually 0.
            window (TierWindowKind): The period the metric is summed over, ending at the moment of evaluation.
            currency (None | str | Unset): For `purchase_amount`: the currency counted (ISO 4217); default `THB`.
            window_months (int | None | Unset): For `rolling_months`: 1 to 120.
     """

    metric: Metric
    threshold: int
    window: TierWindowKind
    currency: None | str | Unset = UNSET
    window_months: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        metric = self.metric.value

        threshold = self.threshold

        window = self.window.value

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        window_months: int | None | Unset
        if isinstance(self.window_months, Unset):
            window_months = UNSET
        else:
            window_months = self.window_months


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "metric": metric,
            "threshold": threshold,
            "window": window,
        })
        if currency is not UNSET:
            field_dict["currency"] = currency
        if window_months is not UNSET:
            field_dict["windowMonths"] = window_months

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        metric = Metric(d.pop("metric"))




        threshold = d.pop("threshold")

        window = TierWindowKind(d.pop("window"))




        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))


        def _parse_window_months(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        window_months = _parse_window_months(d.pop("windowMonths", UNSET))


        qualification = cls(
            metric=metric,
            threshold=threshold,
            window=window,
            currency=currency,
            window_months=window_months,
        )

        return qualification

