from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="MarkRequest")



@_attrs_define
class MarkRequest:
    """ Marking one notification.

        Attributes:
            read (bool): `true` marks it read (keeping the first read time), `false` unread.
     """

    read: bool





    def to_dict(self) -> dict[str, Any]:
        read = self.read


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "read": read,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        read = d.pop("read")

        mark_request = cls(
            read=read,
        )

        return mark_request

