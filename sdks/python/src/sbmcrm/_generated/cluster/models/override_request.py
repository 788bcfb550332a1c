from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="OverrideRequest")



@_attrs_define
class OverrideRequest:
    """ A staff override.

        Attributes:
            reason (str): Why (kept in the history).
            expires_at (datetime.datetime | None | Unset): When the override ends and automatic evaluation resumes; none:
                until removed.
            tier_code (None | str | Unset):
            tier_id (None | str | Unset): The tier, by id; or give `tierCode`.
     """

    reason: str
    expires_at: datetime.datetime | None | Unset = UNSET
    tier_code: None | str | Unset = UNSET
    tier_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        tier_code: None | str | Unset
        if isinstance(self.tier_code, Unset):
            tier_code = UNSET
        else:
            tier_code = self.tier_code

        tier_id: None | str | Unset
        if isinstance(self.tier_id, Unset):
            tier_id = UNSET
        else:
            tier_id = self.tier_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "reason": reason,
        })
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at
        if tier_code is not UNSET:
            field_dict["tierCode"] = tier_code
        if tier_id is not UNSET:
            field_dict["tierId"] = tier_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

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


        def _parse_tier_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tier_code = _parse_tier_code(d.pop("tierCode", UNSET))


        def _parse_tier_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tier_id = _parse_tier_id(d.pop("tierId", UNSET))


        override_request = cls(
            reason=reason,
            expires_at=expires_at,
            tier_code=tier_code,
            tier_id=tier_id,
        )

        return override_request

