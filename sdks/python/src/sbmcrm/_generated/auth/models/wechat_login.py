from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="WechatLogin")



@_attrs_define
class WechatLogin:
    """ WeChat mini-program login request.

        Attributes:
            code (str): The `code` from `wx.login()`.
            first_name (None | str | Unset): Optional profile for a first login.
            last_name (None | str | Unset):
     """

    code: str
    first_name: None | str | Unset = UNSET
    last_name: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        code = self.code

        first_name: None | str | Unset
        if isinstance(self.first_name, Unset):
            first_name = UNSET
        else:
            first_name = self.first_name

        last_name: None | str | Unset
        if isinstance(self.last_name, Unset):
            last_name = UNSET
        else:
            last_name = self.last_name


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "code": code,
        })
        if first_name is not UNSET:
            field_dict["firstName"] = first_name
        if last_name is not UNSET:
            field_dict["lastName"] = last_name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        def _parse_first_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_name = _parse_first_name(d.pop("firstName", UNSET))


        def _parse_last_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_name = _parse_last_name(d.pop("lastName", UNSET))


        wechat_login = cls(
            code=code,
            first_name=first_name,
            last_name=last_name,
        )

        return wechat_login

