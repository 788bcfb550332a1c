from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.role import Role
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CreateStaff")



@_attrs_define
class CreateStaff:
    """ A new staff account.

        Attributes:
            email (str):
            name (str):
            password (str):
            role (Role): Staff roles, least to most powerful (the order is the grant order: a role holds every
                permission a lesser role holds).
            username (None | str | Unset):
     """

    email: str
    name: str
    password: str
    role: Role
    username: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        email = self.email

        name = self.name

        password = self.password

        role = self.role.value

        username: None | str | Unset
        if isinstance(self.username, Unset):
            username = UNSET
        else:
            username = self.username


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "email": email,
            "name": name,
            "password": password,
            "role": role,
        })
        if username is not UNSET:
            field_dict["username"] = username

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        email = d.pop("email")

        name = d.pop("name")

        password = d.pop("password")

        role = Role(d.pop("role"))




        def _parse_username(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        username = _parse_username(d.pop("username", UNSET))


        create_staff = cls(
            email=email,
            name=name,
            password=password,
            role=role,
            username=username,
        )

        return create_staff

