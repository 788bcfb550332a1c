from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Purchase")



@_attrs_define
class Purchase:
    """ A purchase to turn into points.

        Attributes:
            amount (int): Amount in minor currency units.
            currency (None | str | Unset): ISO 4217 code of the amount's currency; [`DEFAULT_CURRENCY`] when absent.
            purchased_at (datetime.datetime | None | Unset): When it happened, with the store's UTC offset (days of week are
                read in it); now when absent.
            store_category (None | str | Unset):
            store_id (None | str | Unset):
     """

    amount: int
    currency: None | str | Unset = UNSET
    purchased_at: datetime.datetime | None | Unset = UNSET
    store_category: None | str | Unset = UNSET
    store_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        purchased_at: None | str | Unset
        if isinstance(self.purchased_at, Unset):
            purchased_at = UNSET
        elif isinstance(self.purchased_at, datetime.datetime):
            purchased_at = self.purchased_at.isoformat()
        else:
            purchased_at = self.purchased_at

        store_category: None | str | Unset
        if isinstance(self.store_category, Unset):
            store_category = UNSET
        else:
            store_category = self.store_category

        store_id: None | str | Unset
        if isinstance(self.store_id, Unset):
            store_id = UNSET
        else:
            store_id = self.store_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "amount": amount,
        })
        if currency is not UNSET:
            field_dict["currency"] = currency
        if purchased_at is not UNSET:
            field_dict["purchasedAt"] = purchased_at
        if store_category is not UNSET:
            field_dict["storeCategory"] = store_category
        if store_id is not UNSET:
            field_dict["storeId"] = store_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))


        def _parse_purchased_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                purchased_at_type_0 = datetime.datetime.fromisoformat(data)



                return purchased_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        purchased_at = _parse_purchased_at(d.pop("purchasedAt", UNSET))


        def _parse_store_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        store_category = _parse_store_category(d.pop("storeCategory", UNSET))


        def _parse_store_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        store_id = _parse_store_id(d.pop("storeId", UNSET))


        purchase = cls(
            amount=amount,
            currency=currency,
            purchased_at=purchased_at,
            store_category=store_category,
            store_id=store_id,
        )

        return purchase

