from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="EnvelopeCodeData")



@_attrs_define
class EnvelopeCodeData:
    """ A code of a pool.

        Attributes:
            code (str):
            created_at (datetime.datetime):
            id (str):
            reward_id (str):
            status (str): `available`, `assigned`, `used`, `void` or `expired`.
            assigned_at (datetime.datetime | None | Unset):
            batch (None | str | Unset):
            member_id (None | str | Unset):
            redemption_id (None | str | Unset):
            used_at (datetime.datetime | None | Unset):
            voided_at (datetime.datetime | None | Unset):
     """

    code: str
    created_at: datetime.datetime
    id: str
    reward_id: str
    status: str
    assigned_at: datetime.datetime | None | Unset = UNSET
    batch: None | str | Unset = UNSET
    member_id: None | str | Unset = UNSET
    redemption_id: None | str | Unset = UNSET
    used_at: datetime.datetime | None | Unset = UNSET
    voided_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        created_at = self.created_at.isoformat()

        id = self.id

        reward_id = self.reward_id

        status = self.status

        assigned_at: None | str | Unset
        if isinstance(self.assigned_at, Unset):
            assigned_at = UNSET
        elif isinstance(self.assigned_at, datetime.datetime):
            assigned_at = self.assigned_at.isoformat()
        else:
            assigned_at = self.assigned_at

        batch: None | str | Unset
        if isinstance(self.batch, Unset):
            batch = UNSET
        else:
            batch = self.batch

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        else:
            member_id = self.member_id

        redemption_id: None | str | Unset
        if isinstance(self.redemption_id, Unset):
            redemption_id = UNSET
        else:
            redemption_id = self.redemption_id

        used_at: None | str | Unset
        if isinstance(self.used_at, Unset):
            used_at = UNSET
        elif isinstance(self.used_at, datetime.datetime):
            used_at = self.used_at.isoformat()
        else:
            used_at = self.used_at

        voided_at: None | str | Unset
        if isinstance(self.voided_at, Unset):
            voided_at = UNSET
        elif isinstance(self.voided_at, datetime.datetime):
            voided_at = self.voided_at.isoformat()
        else:
            voided_at = self.voided_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "createdAt": created_at,
            "id": id,
            "rewardId": reward_id,
            "status": status,
        })
        if assigned_at is not UNSET:
            field_dict["assignedAt"] = assigned_at
        if batch is not UNSET:
            field_dict["batch"] = batch
        if member_id is not UNSET:
            field_dict["memberId"] = member_id
        if redemption_id is not UNSET:
            field_dict["redemptionId"] = redemption_id
        if used_at is not UNSET:
            field_dict["usedAt"] = used_at
        if voided_at is not UNSET:
            field_dict["voidedAt"] = voided_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = d.pop("id")

        reward_id = d.pop("rewardId")

        status = d.pop("status")

        def _parse_assigned_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                assigned_at_type_0 = datetime.datetime.fromisoformat(data)



                return assigned_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        assigned_at = _parse_assigned_at(d.pop("assignedAt", UNSET))


        def _parse_batch(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        batch = _parse_batch(d.pop("batch", UNSET))


        def _parse_member_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        member_id = _parse_member_id(d.pop("memberId", UNSET))


        def _parse_redemption_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        redemption_id = _parse_redemption_id(d.pop("redemptionId", UNSET))


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


        def _parse_voided_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                voided_at_type_0 = datetime.datetime.fromisoformat(data)



                return voided_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        voided_at = _parse_voided_at(d.pop("voidedAt", UNSET))


        envelope_code_data = cls(
            code=code,
            created_at=created_at,
            id=id,
            reward_id=reward_id,
            status=status,
            assigned_at=assigned_at,
            batch=batch,
            member_id=member_id,
            redemption_id=redemption_id,
            used_at=used_at,
            voided_at=voided_at,
        )


        envelope_code_data.additional_properties = d
        return envelope_code_data

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
