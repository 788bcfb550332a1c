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
  from ..models.envelope_redemption_data_snapshot import EnvelopeRedemptionDataSnapshot





T = TypeVar("T", bound="EnvelopeRedemptionData")



@_attrs_define
class EnvelopeRedemptionData:
    """ A redemption as the API shows it.

        Attributes:
            created_at (datetime.datetime):
            id (str):
            member_id (str):
            points_cost (int):
            qr (str): Signed payload for the till's QR reader (a JWT with audience `sbm-crm/redemption`).
            reward_id (str):
            snapshot (EnvelopeRedemptionDataSnapshot): The reward as it was when redeemed.
            status (str): `claimed`, `used`, `cancelled` or `expired`.
            updated_at (datetime.datetime):
            cancel_reason (None | str | Unset):
            cancelled_at (datetime.datetime | None | Unset):
            cancelled_by (None | str | Unset):
            code (None | str | Unset): The voucher code (a pool code or the static code).
            created_by (None | str | Unset):
            expired_at (datetime.datetime | None | Unset):
            expires_at (datetime.datetime | None | Unset):
            refund_transaction_id (None | str | Unset):
            spend_transaction_id (None | str | Unset):
            store_id (None | str | Unset):
            used_at (datetime.datetime | None | Unset):
     """

    created_at: datetime.datetime
    id: str
    member_id: str
    points_cost: int
    qr: str
    reward_id: str
    snapshot: EnvelopeRedemptionDataSnapshot
    status: str
    updated_at: datetime.datetime
    cancel_reason: None | str | Unset = UNSET
    cancelled_at: datetime.datetime | None | Unset = UNSET
    cancelled_by: None | str | Unset = UNSET
    code: None | str | Unset = UNSET
    created_by: None | str | Unset = UNSET
    expired_at: datetime.datetime | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    refund_transaction_id: None | str | Unset = UNSET
    spend_transaction_id: None | str | Unset = UNSET
    store_id: None | str | Unset = UNSET
    used_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.envelope_redemption_data_snapshot import EnvelopeRedemptionDataSnapshot # noqa: PLC0415
        created_at = self.created_at.isoformat()

        id = self.id

        member_id = self.member_id

        points_cost = self.points_cost

        qr = self.qr

        reward_id = self.reward_id

        snapshot = self.snapshot.to_dict()

        status = self.status

        updated_at = self.updated_at.isoformat()

        cancel_reason: None | str | Unset
        if isinstance(self.cancel_reason, Unset):
            cancel_reason = UNSET
        else:
            cancel_reason = self.cancel_reason

        cancelled_at: None | str | Unset
        if isinstance(self.cancelled_at, Unset):
            cancelled_at = UNSET
        elif isinstance(self.cancelled_at, datetime.datetime):
            cancelled_at = self.cancelled_at.isoformat()
        else:
            cancelled_at = self.cancelled_at

        cancelled_by: None | str | Unset
        if isinstance(self.cancelled_by, Unset):
            cancelled_by = UNSET
        else:
            cancelled_by = self.cancelled_by

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        created_by: None | str | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        else:
            created_by = self.created_by

        expired_at: None | str | Unset
        if isinstance(self.expired_at, Unset):
            expired_at = UNSET
        elif isinstance(self.expired_at, datetime.datetime):
            expired_at = self.expired_at.isoformat()
        else:
            expired_at = self.expired_at

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        refund_transaction_id: None | str | Unset
        if isinstance(self.refund_transaction_id, Unset):
            refund_transaction_id = UNSET
        else:
            refund_transaction_id = self.refund_transaction_id

        spend_transaction_id: None | str | Unset
        if isinstance(self.spend_transaction_id, Unset):
            spend_transaction_id = UNSET
        else:
            spend_transaction_id = self.spend_transaction_id

        store_id: None | str | Unset
        if isinstance(self.store_id, Unset):
            store_id = UNSET
        else:
            store_id = self.store_id

        used_at: None | str | Unset
        if isinstance(self.used_at, Unset):
            used_at = UNSET
        elif isinstance(self.used_at, datetime.datetime):
            used_at = self.used_at.isoformat()
        else:
            used_at = self.used_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "id": id,
            "memberId": member_id,
            "pointsCost": points_cost,
            "qr": qr,
            "rewardId": reward_id,
            "snapshot": snapshot,
            "status": status,
            "updatedAt": updated_at,
        })
        if cancel_reason is not UNSET:
            field_dict["cancelReason"] = cancel_reason
        if cancelled_at is not UNSET:
            field_dict["cancelledAt"] = cancelled_at
        if cancelled_by is not UNSET:
            field_dict["cancelledBy"] = cancelled_by
        if code is not UNSET:
            field_dict["code"] = code
        if created_by is not UNSET:
            field_dict["createdBy"] = created_by
        if expired_at is not UNSET:
            field_dict["expiredAt"] = expired_at
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at
        if refund_transaction_id is not UNSET:
            field_dict["refundTransactionId"] = refund_transaction_id
        if spend_transaction_id is not UNSET:
            field_dict["spendTransactionId"] = spend_transaction_id
        if store_id is not UNSET:
            field_dict["storeId"] = store_id
        if used_at is not UNSET:
            field_dict["usedAt"] = used_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.envelope_redemption_data_snapshot import EnvelopeRedemptionDataSnapshot # noqa: PLC0415
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = d.pop("id")

        member_id = d.pop("memberId")

        points_cost = d.pop("pointsCost")

        qr = d.pop("qr")

        reward_id = d.pop("rewardId")

        snapshot = EnvelopeRedemptionDataSnapshot.from_dict(d.pop("snapshot"))




        status = d.pop("status")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_cancel_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cancel_reason = _parse_cancel_reason(d.pop("cancelReason", UNSET))


        def _parse_cancelled_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancelled_at_type_0 = datetime.datetime.fromisoformat(data)



                return cancelled_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        cancelled_at = _parse_cancelled_at(d.pop("cancelledAt", UNSET))


        def _parse_cancelled_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cancelled_by = _parse_cancelled_by(d.pop("cancelledBy", UNSET))


        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))


        def _parse_created_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        created_by = _parse_created_by(d.pop("createdBy", UNSET))


        def _parse_expired_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expired_at_type_0 = datetime.datetime.fromisoformat(data)



                return expired_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expired_at = _parse_expired_at(d.pop("expiredAt", UNSET))


        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expiresAt", UNSET))


        def _parse_refund_transaction_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        refund_transaction_id = _parse_refund_transaction_id(d.pop("refundTransactionId", UNSET))


        def _parse_spend_transaction_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        spend_transaction_id = _parse_spend_transaction_id(d.pop("spendTransactionId", UNSET))


        def _parse_store_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        store_id = _parse_store_id(d.pop("storeId", UNSET))


        def _parse_used_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                used_at_type_0 = datetime.datetime.fromisoformat(data)



                return used_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        used_at = _parse_used_at(d.pop("usedAt", UNSET))


        envelope_redemption_data = cls(
            created_at=created_at,
            id=id,
            member_id=member_id,
            points_cost=points_cost,
            qr=qr,
            reward_id=reward_id,
            snapshot=snapshot,
            status=status,
            updated_at=updated_at,
            cancel_reason=cancel_reason,
            cancelled_at=cancelled_at,
            cancelled_by=cancelled_by,
            code=code,
            created_by=created_by,
            expired_at=expired_at,
            expires_at=expires_at,
            refund_transaction_id=refund_transaction_id,
            spend_transaction_id=spend_transaction_id,
            store_id=store_id,
            used_at=used_at,
        )


        envelope_redemption_data.additional_properties = d
        return envelope_redemption_data

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
