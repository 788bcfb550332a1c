from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.recipient import Recipient
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.condition import Condition





T = TypeVar("T", bound="EnvelopeActionData")



@_attrs_define
class EnvelopeActionData:
    """ 
        Attributes:
            event (str): The event topic, such as `points.earned` or `staff.password_reset_requested`.
            name (str):
            recipient (Recipient): Who gets the mail.
            sender_id (str):
            template_id (str):
            created_at (datetime.datetime):
            id (str):
            updated_at (datetime.datetime):
            active (bool | Unset):
            address (None | str | Unset): For `recipient: address`.
            conditions (list[Condition] | Unset): All must hold.
            delay_seconds (int | Unset): Wait this long after the event (at most 7 days).
     """

    event: str
    name: str
    recipient: Recipient
    sender_id: str
    template_id: str
    created_at: datetime.datetime
    id: str
    updated_at: datetime.datetime
    active: bool | Unset = UNSET
    address: None | str | Unset = UNSET
    conditions: list[Condition] | Unset = UNSET
    delay_seconds: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.condition import Condition # noqa: PLC0415
        event = self.event

        name = self.name

        recipient = self.recipient.value

        sender_id = self.sender_id

        template_id = self.template_id

        created_at = self.created_at.isoformat()

        id = self.id

        updated_at = self.updated_at.isoformat()

        active = self.active

        address: None | str | Unset
        if isinstance(self.address, Unset):
            address = UNSET
        else:
            address = self.address

        conditions: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.conditions, Unset):
            conditions = []
            for conditions_item_data in self.conditions:
                conditions_item = conditions_item_data.to_dict()
                conditions.append(conditions_item)



        delay_seconds = self.delay_seconds


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "event": event,
            "name": name,
            "recipient": recipient,
            "senderId": sender_id,
            "templateId": template_id,
            "createdAt": created_at,
            "id": id,
            "updatedAt": updated_at,
        })
        if active is not UNSET:
            field_dict["active"] = active
        if address is not UNSET:
            field_dict["address"] = address
        if conditions is not UNSET:
            field_dict["conditions"] = conditions
        if delay_seconds is not UNSET:
            field_dict["delaySeconds"] = delay_seconds

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition import Condition # noqa: PLC0415
        d = dict(src_dict)
        event = d.pop("event")

        name = d.pop("name")

        recipient = Recipient(d.pop("recipient"))




        sender_id = d.pop("senderId")

        template_id = d.pop("templateId")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = d.pop("id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        active = d.pop("active", UNSET)

        def _parse_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        address = _parse_address(d.pop("address", UNSET))


        _conditions = d.pop("conditions", UNSET)
        conditions: list[Condition] | Unset = UNSET
        if _conditions is not UNSET:
            conditions = []
            for conditions_item_data in _conditions:
                conditions_item = Condition.from_dict(conditions_item_data)



                conditions.append(conditions_item)


        delay_seconds = d.pop("delaySeconds", UNSET)

        envelope_action_data = cls(
            event=event,
            name=name,
            recipient=recipient,
            sender_id=sender_id,
            template_id=template_id,
            created_at=created_at,
            id=id,
            updated_at=updated_at,
            active=active,
            address=address,
            conditions=conditions,
            delay_seconds=delay_seconds,
        )


        envelope_action_data.additional_properties = d
        return envelope_action_data

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
