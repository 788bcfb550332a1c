from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="EnvelopeReceiptData")



@_attrs_define
class EnvelopeReceiptData:
    """ A receipt as the API shows it.

        Attributes:
            amount (int): Minor currency units, as submitted.
            created_at (datetime.datetime):
            estimated_points (int): Points the rules would give for the submitted amount.
            id (str):
            image_content_type (str):
            image_size (int):
            member_id (str):
            purchased_at (datetime.datetime):
            receipt_number (str):
            status (str): `pending`, `approved` or `rejected`.
            store_id (str):
            approved_amount (int | None | Unset): The amount staff approved (may correct the submitted one).
            reject_reason (None | str | Unset):
            reviewed_at (datetime.datetime | None | Unset):
            reviewed_by (None | str | Unset):
            store_category (None | str | Unset):
            transaction_id (None | str | Unset):
     """

    amount: int
    created_at: datetime.datetime
    estimated_points: int
    id: str
    image_content_type: str
    image_size: int
    member_id: str
    purchased_at: datetime.datetime
    receipt_number: str
    status: str
    store_id: str
    approved_amount: int | None | Unset = UNSET
    reject_reason: None | str | Unset = UNSET
    reviewed_at: datetime.datetime | None | Unset = UNSET
    reviewed_by: None | str | Unset = UNSET
    store_category: None | str | Unset = UNSET
    transaction_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        created_at = self.created_at.isoformat()

        estimated_points = self.estimated_points

        id = self.id

        image_content_type = self.image_content_type

        image_size = self.image_size

        member_id = self.member_id

        purchased_at = self.purchased_at.isoformat()

        receipt_number = self.receipt_number

        status = self.status

        store_id = self.store_id

        approved_amount: int | None | Unset
        if isinstance(self.approved_amount, Unset):
            approved_amount = UNSET
        else:
            approved_amount = self.approved_amount

        reject_reason: None | str | Unset
        if isinstance(self.reject_reason, Unset):
            reject_reason = UNSET
        else:
            reject_reason = self.reject_reason

        reviewed_at: None | str | Unset
        if isinstance(self.reviewed_at, Unset):
            reviewed_at = UNSET
        elif isinstance(self.reviewed_at, datetime.datetime):
            reviewed_at = self.reviewed_at.isoformat()
        else:
            reviewed_at = self.reviewed_at

        reviewed_by: None | str | Unset
        if isinstance(self.reviewed_by, Unset):
            reviewed_by = UNSET
        else:
            reviewed_by = self.reviewed_by

        store_category: None | str | Unset
        if isinstance(self.store_category, Unset):
            store_category = UNSET
        else:
            store_category = self.store_category

        transaction_id: None | str | Unset
        if isinstance(self.transaction_id, Unset):
            transaction_id = UNSET
        else:
            transaction_id = self.transaction_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "amount": amount,
            "createdAt": created_at,
            "estimatedPoints": estimated_points,
            "id": id,
            "imageContentType": image_content_type,
            "imageSize": image_size,
            "memberId": member_id,
            "purchasedAt": purchased_at,
            "receiptNumber": receipt_number,
            "status": status,
            "storeId": store_id,
        })
        if approved_amount is not UNSET:
            field_dict["approvedAmount"] = approved_amount
        if reject_reason is not UNSET:
            field_dict["rejectReason"] = reject_reason
        if reviewed_at is not UNSET:
            field_dict["reviewedAt"] = reviewed_at
        if reviewed_by is not UNSET:
            field_dict["reviewedBy"] = reviewed_by
        if store_category is not UNSET:
            field_dict["storeCategory"] = store_category
        if transaction_id is not UNSET:
            field_dict["transactionId"] = transaction_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amount = d.pop("amount")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        estimated_points = d.pop("estimatedPoints")

        id = d.pop("id")

        image_content_type = d.pop("imageContentType")

        image_size = d.pop("imageSize")

        member_id = d.pop("memberId")

        purchased_at = datetime.datetime.fromisoformat(d.pop("purchasedAt"))




        receipt_number = d.pop("receiptNumber")

        status = d.pop("status")

        store_id = d.pop("storeId")

        def _parse_approved_amount(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        approved_amount = _parse_approved_amount(d.pop("approvedAmount", UNSET))


        def _parse_reject_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reject_reason = _parse_reject_reason(d.pop("rejectReason", UNSET))


        def _parse_reviewed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reviewed_at_type_0 = datetime.datetime.fromisoformat(data)



                return reviewed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        reviewed_at = _parse_reviewed_at(d.pop("reviewedAt", UNSET))


        def _parse_reviewed_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reviewed_by = _parse_reviewed_by(d.pop("reviewedBy", UNSET))


        def _parse_store_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        store_category = _parse_store_category(d.pop("storeCategory", UNSET))


        def _parse_transaction_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        transaction_id = _parse_transaction_id(d.pop("transactionId", UNSET))


        envelope_receipt_data = cls(
            amount=amount,
            created_at=created_at,
            estimated_points=estimated_points,
            id=id,
            image_content_type=image_content_type,
            image_size=image_size,
            member_id=member_id,
            purchased_at=purchased_at,
            receipt_number=receipt_number,
            status=status,
            store_id=store_id,
            approved_amount=approved_amount,
            reject_reason=reject_reason,
            reviewed_at=reviewed_at,
            reviewed_by=reviewed_by,
            store_category=store_category,
            transaction_id=transaction_id,
        )


        envelope_receipt_data.additional_properties = d
        return envelope_receipt_data

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
