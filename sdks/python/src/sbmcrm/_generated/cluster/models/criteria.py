from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.badge_event import BadgeEvent
from ..models.measure import Measure
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.filters import Filters
  from ..models.window import Window





T = TypeVar("T", bound="Criteria")



@_attrs_define
class Criteria:
    """ How a badge is earned.

        Attributes:
            event (BadgeEvent): The event that moves a badge.
            measure (Measure): What is counted.
            target (int): The value the measure must reach (1 to 1e12).
            window (Window): A window.
            action (None | str | Unset): For `event: action`: the action's name.
            filters (Filters | Unset): Which events count.
     """

    event: BadgeEvent
    measure: Measure
    target: int
    window: Window
    action: None | str | Unset = UNSET
    filters: Filters | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.filters import Filters # noqa: PLC0415
        from ..models.window import Window # noqa: PLC0415
        event = self.event.value

        measure = self.measure.value

        target = self.target

        window = self.window.to_dict()

        action: None | str | Unset
        if isinstance(self.action, Unset):
            action = UNSET
        else:
            action = self.action

        filters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.filters, Unset):
            filters = self.filters.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "event": event,
            "measure": measure,
            "target": target,
            "window": window,
        })
        if action is not UNSET:
            field_dict["action"] = action
        if filters is not UNSET:
            field_dict["filters"] = filters

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.filters import Filters # noqa: PLC0415
        from ..models.window import Window # noqa: PLC0415
        d = dict(src_dict)
        event = BadgeEvent(d.pop("event"))




        measure = Measure(d.pop("measure"))




        target = d.pop("target")

        window = Window.from_dict(d.pop("window"))




        def _parse_action(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        action = _parse_action(d.pop("action", UNSET))


        _filters = d.pop("filters", UNSET)
        filters: Filters | Unset
        if isinstance(_filters,  Unset):
            filters = UNSET
        else:
            filters = Filters.from_dict(_filters)




        criteria = cls(
            event=event,
            measure=measure,
            target=target,
            window=window,
            action=action,
            filters=filters,
        )

        return criteria

