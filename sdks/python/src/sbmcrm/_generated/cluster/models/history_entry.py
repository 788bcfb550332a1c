from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="HistoryEntry")



@_attrs_define
class HistoryEntry:
    """ One change in a member's tier history.

        Attributes:
            at (datetime.datetime):
            direction (str): `up`, `down` or `same`.
            id (str):
            member_id (str):
            reason (str): `qualified`, `downgrade`, `override`, `override_expired`, `override_removed` or
                `reassigned`.
            source (str):
            to_tier_code (str):
            to_tier_id (str):
            created_by (None | str | Unset):
            from_tier_code (None | str | Unset):
            from_tier_id (None | str | Unset):
            note (None | str | Unset):
            qualifying_value (int | None | Unset):
     """

    at: datetime.datetime
    direction: str
    id: str
    member_id: str
    reason: str
    source: str
    to_tier_code: str
    to_tier_id: str
    created_by: None | str | Unset = UNSET
    from_tier_code: None | str | Unset = UNSET
    from_tier_id: None | str | Unset = UNSET
    note: None | str | Unset = UNSET
    qualifying_value: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        direction = self.direction

        id = self.id

        member_id = self.member_id

        reason = self.reason

        source = self.source

        to_tier_code = self.to_tier_code

        to_tier_id = self.to_tier_id

        created_by: None | str | Unset
        if isinstance(self.created_by, Unset):
            created_by = UNSET
        else:
            created_by = self.created_by

        from_tier_code: None | str | Unset
        if isinstance(self.from_tier_code, Unset):
            from_tier_code = UNSET
        else:
            from_tier_code = self.from_tier_code

        from_tier_id: None | str | Unset
        if isinstance(self.from_tier_id, Unset):
            from_tier_id = UNSET
        else:
            from_tier_id = self.from_tier_id

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        qualifying_value: int | None | Unset
        if isinstance(self.qualifying_value, Unset):
            qualifying_value = UNSET
        else:
            qualifying_value = self.qualifying_value


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "at": at,
            "direction": direction,
            "id": id,
            "memberId": member_id,
            "reason": reason,
            "source": source,
            "toTierCode": to_tier_code,
            "toTierId": to_tier_id,
        })
        if created_by is not UNSET:
            field_dict["createdBy"] = created_by
        if from_tier_code is not UNSET:
            field_dict["fromTierCode"] = from_tier_code
        if from_tier_id is not UNSET:
            field_dict["fromTierId"] = from_tier_id
        if note is not UNSET:
            field_dict["note"] = note
        if qualifying_value is not UNSET:
            field_dict["qualifyingValue"] = qualifying_value

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))




        direction = d.pop("direction")

        id = d.pop("id")

        member_id = d.pop("memberId")

        reason = d.pop("reason")

        source = d.pop("source")

        to_tier_code = d.pop("toTierCode")

        to_tier_id = d.pop("toTierId")

        def _parse_created_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        created_by = _parse_created_by(d.pop("createdBy", UNSET))


        def _parse_from_tier_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_tier_code = _parse_from_tier_code(d.pop("fromTierCode", UNSET))


        def _parse_from_tier_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_tier_id = _parse_from_tier_id(d.pop("fromTierId", UNSET))


        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))


        def _parse_qualifying_value(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        qualifying_value = _parse_qualifying_value(d.pop("qualifyingValue", UNSET))


        history_entry = cls(
            at=at,
            direction=direction,
            id=id,
            member_id=member_id,
            reason=reason,
            source=source,
            to_tier_code=to_tier_code,
            to_tier_id=to_tier_id,
            created_by=created_by,
            from_tier_code=from_tier_code,
            from_tier_id=from_tier_id,
            note=note,
            qualifying_value=qualifying_value,
        )


        history_entry.additional_properties = d
        return history_entry

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
