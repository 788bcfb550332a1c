from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.measure import Measure
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.badge_award import BadgeAward
  from ..models.badge_brief import BadgeBrief





T = TypeVar("T", bound="BadgeProgress")



@_attrs_define
class BadgeProgress:
    """ A member's standing on one badge.

        Attributes:
            awards (int): Standing awards (revoked ones aside).
            badge (BadgeBrief): A badge, briefly.
            earned (bool): Holds at least one standing award.
            history (list[BadgeAward]): Every award, revoked ones included.
            measure (Measure): What is counted.
            member_id (str):
            percentage (float): 0 to 100.
            target (int):
            value (int): Progress towards the next award, in the current window (0 once a non-repeatable badge is
                earned or the cap is reached).
            image_url (None | str | Unset): The earned image once earned, the locked one before.
            last_awarded_at (datetime.datetime | None | Unset):
     """

    awards: int
    badge: BadgeBrief
    earned: bool
    history: list[BadgeAward]
    measure: Measure
    member_id: str
    percentage: float
    target: int
    value: int
    image_url: None | str | Unset = UNSET
    last_awarded_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.badge_award import BadgeAward # noqa: PLC0415
        from ..models.badge_brief import BadgeBrief # noqa: PLC0415
        awards = self.awards

        badge = self.badge.to_dict()

        earned = self.earned

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)



        measure = self.measure.value

        member_id = self.member_id

        percentage = self.percentage

        target = self.target

        value = self.value

        image_url: None | str | Unset
        if isinstance(self.image_url, Unset):
            image_url = UNSET
        else:
            image_url = self.image_url

        last_awarded_at: None | str | Unset
        if isinstance(self.last_awarded_at, Unset):
            last_awarded_at = UNSET
        elif isinstance(self.last_awarded_at, datetime.datetime):
            last_awarded_at = self.last_awarded_at.isoformat()
        else:
            last_awarded_at = self.last_awarded_at


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "awards": awards,
            "badge": badge,
            "earned": earned,
            "history": history,
            "measure": measure,
            "memberId": member_id,
            "percentage": percentage,
            "target": target,
            "value": value,
        })
        if image_url is not UNSET:
            field_dict["imageUrl"] = image_url
        if last_awarded_at is not UNSET:
            field_dict["lastAwardedAt"] = last_awarded_at

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.badge_award import BadgeAward # noqa: PLC0415
        from ..models.badge_brief import BadgeBrief # noqa: PLC0415
        d = dict(src_dict)
        awards = d.pop("awards")

        badge = BadgeBrief.from_dict(d.pop("badge"))




        earned = d.pop("earned")

        history = []
        _history = d.pop("history")
        for history_item_data in (_history):
            history_item = BadgeAward.from_dict(history_item_data)



            history.append(history_item)


        measure = Measure(d.pop("measure"))




        member_id = d.pop("memberId")

        percentage = d.pop("percentage")

        target = d.pop("target")

        value = d.pop("value")

        def _parse_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image_url = _parse_image_url(d.pop("imageUrl", UNSET))


        def _parse_last_awarded_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_awarded_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_awarded_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_awarded_at = _parse_last_awarded_at(d.pop("lastAwardedAt", UNSET))


        badge_progress = cls(
            awards=awards,
            badge=badge,
            earned=earned,
            history=history,
            measure=measure,
            member_id=member_id,
            percentage=percentage,
            target=target,
            value=value,
            image_url=image_url,
            last_awarded_at=last_awarded_at,
        )


        badge_progress.additional_properties = d
        return badge_progress

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
