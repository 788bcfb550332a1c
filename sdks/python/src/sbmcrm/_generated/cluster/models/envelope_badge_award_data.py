from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="EnvelopeBadgeAwardData")



@_attrs_define
class EnvelopeBadgeAwardData:
    """ An award as the API shows it.

        Attributes:
            awarded_at (datetime.datetime):
            badge_id (str):
            id (str):
            member_id (str):
            seq (int):
            source (str): `auto` or `manual`.
            awarded_by (None | str | Unset):
            reason (None | str | Unset):
            revoke_reason (None | str | Unset):
            revoked_at (datetime.datetime | None | Unset):
            reward_points (int | None | Unset):
     """

    awarded_at: datetime.datetime
    badge_id: str
    id: str
    member_id: str
    seq: int
    source: str
    awarded_by: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    revoke_reason: None | str | Unset = UNSET
    revoked_at: datetime.datetime | None | Unset = UNSET
    reward_points: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        awarded_at = self.awarded_at.isoformat()

        badge_id = self.badge_id

        id = self.id

        member_id = self.member_id

        seq = self.seq

        source = self.source

        awarded_by: None | str | Unset
        if isinstance(self.awarded_by, Unset):
            awarded_by = UNSET
        else:
            awarded_by = self.awarded_by

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        revoke_reason: None | str | Unset
        if isinstance(self.revoke_reason, Unset):
            revoke_reason = UNSET
        else:
            revoke_reason = self.revoke_reason

        revoked_at: None | str | Unset
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        elif isinstance(self.revoked_at, datetime.datetime):
            revoked_at = self.revoked_at.isoformat()
        else:
            revoked_at = self.revoked_at

        reward_points: int | None | Unset
        if isinstance(self.reward_points, Unset):
            reward_points = UNSET
        else:
            reward_points = self.reward_points


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "awardedAt": awarded_at,
            "badgeId": badge_id,
            "id": id,
            "memberId": member_id,
            "seq": seq,
            "source": source,
        })
        if awarded_by is not UNSET:
            field_dict["awardedBy"] = awarded_by
        if reason is not UNSET:
            field_dict["reason"] = reason
        if revoke_reason is not UNSET:
            field_dict["revokeReason"] = revoke_reason
        if revoked_at is not UNSET:
            field_dict["revokedAt"] = revoked_at
        if reward_points is not UNSET:
            field_dict["rewardPoints"] = reward_points

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        awarded_at = datetime.datetime.fromisoformat(d.pop("awardedAt"))




        badge_id = d.pop("badgeId")

        id = d.pop("id")

        member_id = d.pop("memberId")

        seq = d.pop("seq")

        source = d.pop("source")

        def _parse_awarded_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        awarded_by = _parse_awarded_by(d.pop("awardedBy", UNSET))


        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        def _parse_revoke_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        revoke_reason = _parse_revoke_reason(d.pop("revokeReason", UNSET))


        def _parse_revoked_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_at_type_0 = datetime.datetime.fromisoformat(data)



                return revoked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        revoked_at = _parse_revoked_at(d.pop("revokedAt", UNSET))


        def _parse_reward_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        reward_points = _parse_reward_points(d.pop("rewardPoints", UNSET))


        envelope_badge_award_data = cls(
            awarded_at=awarded_at,
            badge_id=badge_id,
            id=id,
            member_id=member_id,
            seq=seq,
            source=source,
            awarded_by=awarded_by,
            reason=reason,
            revoke_reason=revoke_reason,
            revoked_at=revoked_at,
            reward_points=reward_points,
        )


        envelope_badge_award_data.additional_properties = d
        return envelope_badge_award_data

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
