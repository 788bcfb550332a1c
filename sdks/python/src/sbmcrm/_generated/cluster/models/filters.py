from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Filters")



@_attrs_define
class Filters:
    """ Which events count.

        Attributes:
            min_amount (int | None | Unset): Smallest amount (minor units) of a purchase or receipt that counts.
            store_categories (list[str] | Unset):
            stores (list[str] | Unset):
            tiers (list[str] | Unset): Tier codes the member must hold (for `tier_changed`: the tier reached).
     """

    min_amount: int | None | Unset = UNSET
    store_categories: list[str] | Unset = UNSET
    stores: list[str] | Unset = UNSET
    tiers: list[str] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        min_amount: int | None | Unset
        if isinstance(self.min_amount, Unset):
            min_amount = UNSET
        else:
            min_amount = self.min_amount

        store_categories: list[str] | Unset = UNSET
        if not isinstance(self.store_categories, Unset):
            store_categories = self.store_categories



        stores: list[str] | Unset = UNSET
        if not isinstance(self.stores, Unset):
            stores = self.stores



        tiers: list[str] | Unset = UNSET
        if not isinstance(self.tiers, Unset):
            tiers = self.tiers




        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if min_amount is not UNSET:
            field_dict["minAmount"] = min_amount
        if store_categories is not UNSET:
            field_dict["storeCategories"] = store_categories
        if stores is not UNSET:
            field_dict["stores"] = stores
        if tiers is not UNSET:
            field_dict["tiers"] = tiers

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_min_amount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        min_amount = _parse_min_amount(d.pop("minAmount", UNSET))


        store_categories = cast(list[str], d.pop("storeCategories", UNSET))


        stores = cast(list[str], d.pop("stores", UNSET))


        tiers = cast(list[str], d.pop("tiers", UNSET))


        filters = cls(
            min_amount=min_amount,
            store_categories=store_categories,
            stores=stores,
            tiers=tiers,
        )

        return filters

