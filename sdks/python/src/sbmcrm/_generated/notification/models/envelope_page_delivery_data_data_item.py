from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="EnvelopePageDeliveryDataDataItem")



@_attrs_define
class EnvelopePageDeliveryDataDataItem:
    """ A delivery as staff read it (its variables stay sealed: they may hold a reset link).

        Attributes:
            attempts (int):
            created_at (datetime.datetime):
            id (str):
            next_attempt_at (datetime.datetime):
            recipient_kind (str): `member`, `staff` or `address`.
            sender_id (str):
            status (str): `queued`, `sending`, `sent`, `failed` or `skipped`.
            template_id (str):
            updated_at (datetime.datetime):
            action_id (None | str | Unset):
            event_id (int | None | Unset):
            last_error (None | str | Unset):
            member_id (None | str | Unset):
            recipient (None | str | Unset): The address it went (or goes) to; for members, known once sent.
            sent_at (datetime.datetime | None | Unset):
            subject (None | str | Unset):
     """

    attempts: int
    created_at: datetime.datetime
    id: str
    next_attempt_at: datetime.datetime
    recipient_kind: str
    sender_id: str
    status: str
    template_id: str
    updated_at: datetime.datetime
    action_id: None | str | Unset = UNSET
    event_id: int | None | Unset = UNSET
    last_error: None | str | Unset = UNSET
    member_id: None | str | Unset = UNSET
    recipient: None | str | Unset = UNSET
    sent_at: datetime.datetime | None | Unset = UNSET
    subject: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        created_at = self.created_at.isoformat()

        id = self.id

        next_attempt_at = self.next_attempt_at.isoformat()

        recipient_kind = self.recipient_kind

        sender_id = self.sender_id

        status = self.status

        template_id = self.template_id

        updated_at = self.updated_at.isoformat()

        action_id: None | str | Unset
        if isinstance(self.action_id, Unset):
            action_id = UNSET
        else:
            action_id = self.action_id

        event_id: int | None | Unset
        if isinstance(self.event_id, Unset):
            event_id = UNSET
        else:
            event_id = self.event_id

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        member_id: None | str | Unset
        if isinstance(self.member_id, Unset):
            member_id = UNSET
        else:
            member_id = self.member_id

        recipient: None | str | Unset
        if isinstance(self.recipient, Unset):
            recipient = UNSET
        else:
            recipient = self.recipient

        sent_at: None | str | Unset
        if isinstance(self.sent_at, Unset):
            sent_at = UNSET
        elif isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "attempts": attempts,
            "createdAt": created_at,
            "id": id,
            "nextAttemptAt": next_attempt_at,
            "recipientKind": recipient_kind,
            "senderId": sender_id,
            "status": status,
            "templateId": template_id,
            "updatedAt": updated_at,
        })
        if action_id is not UNSET:
            field_dict["actionId"] = action_id
        if event_id is not UNSET:
            field_dict["eventId"] = event_id
        if last_error is not UNSET:
            field_dict["lastError"] = last_error
        if member_id is not UNSET:
            field_dict["memberId"] = member_id
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if sent_at is not UNSET:
            field_dict["sentAt"] = sent_at
        if subject is not UNSET:
            field_dict["subject"] = subject

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempts = d.pop("attempts")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = d.pop("id")

        next_attempt_at = datetime.datetime.fromisoformat(d.pop("nextAttemptAt"))




        recipient_kind = d.pop("recipientKind")

        sender_id = d.pop("senderId")

        status = d.pop("status")

        template_id = d.pop("templateId")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_action_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        action_id = _parse_action_id(d.pop("actionId", UNSET))


        def _parse_event_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        event_id = _parse_event_id(d.pop("eventId", UNSET))


        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("lastError", UNSET))


        def _parse_member_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        member_id = _parse_member_id(d.pop("memberId", UNSET))


        def _parse_recipient(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recipient = _parse_recipient(d.pop("recipient", UNSET))


        def _parse_sent_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)



                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        sent_at = _parse_sent_at(d.pop("sentAt", UNSET))


        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))


        envelope_page_delivery_data_data_item = cls(
            attempts=attempts,
            created_at=created_at,
            id=id,
            next_attempt_at=next_attempt_at,
            recipient_kind=recipient_kind,
            sender_id=sender_id,
            status=status,
            template_id=template_id,
            updated_at=updated_at,
            action_id=action_id,
            event_id=event_id,
            last_error=last_error,
            member_id=member_id,
            recipient=recipient,
            sent_at=sent_at,
            subject=subject,
        )


        envelope_page_delivery_data_data_item.additional_properties = d
        return envelope_page_delivery_data_data_item

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
