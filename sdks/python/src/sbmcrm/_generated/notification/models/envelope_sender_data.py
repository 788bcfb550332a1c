from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.security import Security
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="EnvelopeSenderData")



@_attrs_define
class EnvelopeSenderData:
    """ A sender as staff read it (the password never).

        Attributes:
            created_at (datetime.datetime):
            from_email (str):
            host (str):
            id (str):
            name (str):
            password_set (bool): Whether a password is stored.
            port (int):
            security (Security): How the connection is secured.
            updated_at (datetime.datetime):
            from_name (None | str | Unset):
            username (None | str | Unset):
     """

    created_at: datetime.datetime
    from_email: str
    host: str
    id: str
    name: str
    password_set: bool
    port: int
    security: Security
    updated_at: datetime.datetime
    from_name: None | str | Unset = UNSET
    username: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        from_email = self.from_email

        host = self.host

        id = self.id

        name = self.name

        password_set = self.password_set

        port = self.port

        security = self.security.value

        updated_at = self.updated_at.isoformat()

        from_name: None | str | Unset
        if isinstance(self.from_name, Unset):
            from_name = UNSET
        else:
            from_name = self.from_name

        username: None | str | Unset
        if isinstance(self.username, Unset):
            username = UNSET
        else:
            username = self.username


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "fromEmail": from_email,
            "host": host,
            "id": id,
            "name": name,
            "passwordSet": password_set,
            "port": port,
            "security": security,
            "updatedAt": updated_at,
        })
        if from_name is not UNSET:
            field_dict["fromName"] = from_name
        if username is not UNSET:
            field_dict["username"] = username

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        from_email = d.pop("fromEmail")

        host = d.pop("host")

        id = d.pop("id")

        name = d.pop("name")

        password_set = d.pop("passwordSet")

        port = d.pop("port")

        security = Security(d.pop("security"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_from_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_name = _parse_from_name(d.pop("fromName", UNSET))


        def _parse_username(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        username = _parse_username(d.pop("username", UNSET))


        envelope_sender_data = cls(
            created_at=created_at,
            from_email=from_email,
            host=host,
            id=id,
            name=name,
            password_set=password_set,
            port=port,
            security=security,
            updated_at=updated_at,
            from_name=from_name,
            username=username,
        )


        envelope_sender_data.additional_properties = d
        return envelope_sender_data

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
