from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="EnvelopeStaffViewData")



@_attrs_define
class EnvelopeStaffViewData:
    """ A staff account as the API shows it (never the password hash).

        Attributes:
            active (bool):
            created_at (datetime.datetime):
            email (str):
            id (str):
            name (str):
            role (str):
            updated_at (datetime.datetime):
            last_login_at (datetime.datetime | None | Unset):
            username (None | str | Unset):
     """

    active: bool
    created_at: datetime.datetime
    email: str
    id: str
    name: str
    role: str
    updated_at: datetime.datetime
    last_login_at: datetime.datetime | None | Unset = UNSET
    username: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        active = self.active

        created_at = self.created_at.isoformat()

        email = self.email

        id = self.id

        name = self.name

        role = self.role

        updated_at = self.updated_at.isoformat()

        last_login_at: None | str | Unset
        if isinstance(self.last_login_at, Unset):
            last_login_at = UNSET
        elif isinstance(self.last_login_at, datetime.datetime):
            last_login_at = self.last_login_at.isoformat()
        else:
            last_login_at = self.last_login_at

        username: None | str | Unset
        if isinstance(self.username, Unset):
            username = UNSET
        else:
            username = self.username


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "active": active,
            "createdAt": created_at,
            "email": email,
            "id": id,
            "name": name,
            "role": role,
            "updatedAt": updated_at,
        })
        if last_login_at is not UNSET:
            field_dict["lastLoginAt"] = last_login_at
        if username is not UNSET:
            field_dict["username"] = username

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        active = d.pop("active")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        email = d.pop("email")

        id = d.pop("id")

        name = d.pop("name")

        role = d.pop("role")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_last_login_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_login_at_type_0 = datetime.datetime.fromisoformat(data)



                return last_login_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_login_at = _parse_last_login_at(d.pop("lastLoginAt", UNSET))


        def _parse_username(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        username = _parse_username(d.pop("username", UNSET))


        envelope_staff_view_data = cls(
            active=active,
            created_at=created_at,
            email=email,
            id=id,
            name=name,
            role=role,
            updated_at=updated_at,
            last_login_at=last_login_at,
            username=username,
        )


        envelope_staff_view_data.additional_properties = d
        return envelope_staff_view_data

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
