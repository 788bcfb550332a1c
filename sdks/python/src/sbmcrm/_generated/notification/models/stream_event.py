from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.stream_event_name import StreamEventName
from typing import cast

if TYPE_CHECKING:
  from ..models.stream_event_data import StreamEventData





T = TypeVar("T", bound="StreamEvent")



@_attrs_define
class StreamEvent:
    """ An event on the stream, as documented (the wire format is `text/event-stream`: `id`,
    `event` and `data` lines; comments `: heartbeat` every 15 s; `retry` first).

        Attributes:
            data (StreamEventData): JSON: the event's facts (for `notification.created`, the notification as the inbox
                lists it; for grouped names, `topic` says which change it was).
            event (StreamEventName): The SSE event names, as documented.
            id (str): Monotonic per stream; send it back as `Last-Event-ID` to resume.
     """

    data: StreamEventData
    event: StreamEventName
    id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.stream_event_data import StreamEventData # noqa: PLC0415
        data = self.data.to_dict()

        event = self.event.value

        id = self.id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "data": data,
            "event": event,
            "id": id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stream_event_data import StreamEventData # noqa: PLC0415
        d = dict(src_dict)
        data = StreamEventData.from_dict(d.pop("data"))




        event = StreamEventName(d.pop("event"))




        id = d.pop("id")

        stream_event = cls(
            data=data,
            event=event,
            id=id,
        )


        stream_event.additional_properties = d
        return stream_event

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
