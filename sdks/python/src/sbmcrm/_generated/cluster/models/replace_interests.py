from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ReplaceInterests")



@_attrs_define
class ReplaceInterests:
    """ A member's new set of interests.

        Attributes:
            interest_ids (list[str]): Ids of active interests (at most 50); empty clears the set.
     """

    interest_ids: list[str]





    def to_dict(self) -> dict[str, Any]:
        interest_ids = self.interest_ids




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "interestIds": interest_ids,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        interest_ids = cast(list[str], d.pop("interestIds"))


        replace_interests = cls(
            interest_ids=interest_ids,
        )

        return replace_interests

