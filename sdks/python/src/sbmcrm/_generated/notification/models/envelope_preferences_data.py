from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.envelope_preferences_data_categories import EnvelopePreferencesDataCategories
  from ..models.envelope_preferences_data_channels import EnvelopePreferencesDataChannels
  from ..models.quiet_hours import QuietHours





T = TypeVar("T", bound="EnvelopePreferencesData")



@_attrs_define
class EnvelopePreferencesData:
    """ A member's preferences, as read and as written (PUT replaces them).

        Attributes:
            categories (EnvelopePreferencesDataCategories | Unset): Category -> shown in the inbox. Missing categories keep
                their default (on);
                `transactions` and `system` cannot be turned off.
            channels (EnvelopePreferencesDataChannels | Unset): Channel (`inApp`, `email`, `push`) -> enabled. Missing
                channels are on.
            quiet_hours (None | QuietHours | Unset):
     """

    categories: EnvelopePreferencesDataCategories | Unset = UNSET
    channels: EnvelopePreferencesDataChannels | Unset = UNSET
    quiet_hours: None | QuietHours | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.envelope_preferences_data_categories import EnvelopePreferencesDataCategories # noqa: PLC0415
        from ..models.envelope_preferences_data_channels import EnvelopePreferencesDataChannels # noqa: PLC0415
        from ..models.quiet_hours import QuietHours # noqa: PLC0415
        categories: dict[str, Any] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories.to_dict()

        channels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.channels, Unset):
            channels = self.channels.to_dict()

        quiet_hours: dict[str, Any] | None | Unset
        if isinstance(self.quiet_hours, Unset):
            quiet_hours = UNSET
        elif isinstance(self.quiet_hours, QuietHours):
            quiet_hours = self.quiet_hours.to_dict()
        else:
            quiet_hours = self.quiet_hours


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if categories is not UNSET:
            field_dict["categories"] = categories
        if channels is not UNSET:
            field_dict["channels"] = channels
        if quiet_hours is not UNSET:
            field_dict["quietHours"] = quiet_hours

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.envelope_preferences_data_categories import EnvelopePreferencesDataCategories # noqa: PLC0415
        from ..models.envelope_preferences_data_channels import EnvelopePreferencesDataChannels # noqa: PLC0415
        from ..models.quiet_hours import QuietHours # noqa: PLC0415
        d = dict(src_dict)
        _categories = d.pop("categories", UNSET)
        categories: EnvelopePreferencesDataCategories | Unset
        if isinstance(_categories,  Unset):
            categories = UNSET
        else:
            categories = EnvelopePreferencesDataCategories.from_dict(_categories)




        _channels = d.pop("channels", UNSET)
        channels: EnvelopePreferencesDataChannels | Unset
        if isinstance(_channels,  Unset):
            channels = UNSET
        else:
            channels = EnvelopePreferencesDataChannels.from_dict(_channels)




        def _parse_quiet_hours(data: object) -> None | QuietHours | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quiet_hours_type_1 = QuietHours.from_dict(data)



                return quiet_hours_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QuietHours | Unset, data)

        quiet_hours = _parse_quiet_hours(d.pop("quietHours", UNSET))


        envelope_preferences_data = cls(
            categories=categories,
            channels=channels,
            quiet_hours=quiet_hours,
        )

        return envelope_preferences_data

