from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.member_view import MemberView





T = TypeVar("T", bound="MemberSession")



@_attrs_define
class MemberSession:
    """ `data` of a WeChat login.

        Attributes:
            access_token (str):
            expires_in (int): Seconds until the access token expires.
            refresh_token (str):
            token_type (str):
            is_new_member (bool): True when this login created the member.
            member (MemberView): A member profile.
     """

    access_token: str
    expires_in: int
    refresh_token: str
    token_type: str
    is_new_member: bool
    member: MemberView
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.member_view import MemberView # noqa: PLC0415
        access_token = self.access_token

        expires_in = self.expires_in

        refresh_token = self.refresh_token

        token_type = self.token_type

        is_new_member = self.is_new_member

        member = self.member.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "accessToken": access_token,
            "expiresIn": expires_in,
            "refreshToken": refresh_token,
            "tokenType": token_type,
            "isNewMember": is_new_member,
            "member": member,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.member_view import MemberView # noqa: PLC0415
        d = dict(src_dict)
        access_token = d.pop("accessToken")

        expires_in = d.pop("expiresIn")

        refresh_token = d.pop("refreshToken")

        token_type = d.pop("tokenType")

        is_new_member = d.pop("isNewMember")

        member = MemberView.from_dict(d.pop("member"))




        member_session = cls(
            access_token=access_token,
            expires_in=expires_in,
            refresh_token=refresh_token,
            token_type=token_type,
            is_new_member=is_new_member,
            member=member,
        )


        member_session.additional_properties = d
        return member_session

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
