from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..types import File, FileTypes
from ..types import UNSET, Unset
from io import BytesIO
from typing import cast






T = TypeVar("T", bound="ReceiptUpload")



@_attrs_define
class ReceiptUpload:
    """ The multipart form of a receipt upload (documentation).

        Attributes:
            amount (int): Minor currency units.
            image (File): JPEG, PNG or PDF, checked by content.
            purchased_at (str): RFC 3339.
            receipt_number (str):
            store_id (str):
            store_category (None | str | Unset):
     """

    amount: int
    image: File
    purchased_at: str
    receipt_number: str
    store_id: str
    store_category: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        image = self.image.to_tuple()


        purchased_at = self.purchased_at

        receipt_number = self.receipt_number

        store_id = self.store_id

        store_category: None | str | Unset
        if isinstance(self.store_category, Unset):
            store_category = UNSET
        else:
            store_category = self.store_category


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount": amount,
            "image": image,
            "purchasedAt": purchased_at,
            "receiptNumber": receipt_number,
            "storeId": store_id,
        })
        if store_category is not UNSET:
            field_dict["storeCategory"] = store_category

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        files.append(("amount", (None, str(self.amount).encode(), "text/plain")))



        files.append(("image", self.image.to_tuple()))



        files.append(("purchasedAt", (None, str(self.purchased_at).encode(), "text/plain")))



        files.append(("receiptNumber", (None, str(self.receipt_number).encode(), "text/plain")))



        files.append(("storeId", (None, str(self.store_id).encode(), "text/plain")))



        if not isinstance(self.store_category, Unset):
            if isinstance(self.store_category, str):

                files.append(("storeCategory", (None, str(self.store_category).encode(), "text/plain")))
            else:
                files.append(("storeCategory", (None, str(self.store_category).encode(), "text/plain")))



        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        image = File(
             payload = BytesIO(d.pop("image"))
        )




        purchased_at = d.pop("purchasedAt")

        receipt_number = d.pop("receiptNumber")

        store_id = d.pop("storeId")

        def _parse_store_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        store_category = _parse_store_category(d.pop("storeCategory", UNSET))


        receipt_upload = cls(
            amount=amount,
            image=image,
            purchased_at=purchased_at,
            receipt_number=receipt_number,
            store_id=store_id,
            store_category=store_category,
        )


        receipt_upload.additional_properties = d
        return receipt_upload

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
