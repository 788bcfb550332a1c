from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="EnvelopePageMemberViewDataDataItem")



@_attrs_define
class EnvelopePageMemberViewDataDataItem:
    """ A member profile.

        Attributes:
            created_at (datetime.datetime):
            first_name (str):
            id (str):
            last_name (str):
            locale (str):
            member_code (str): Short code printed on cards and read at the till.
            source (str): `wechat`, `pos` or `staff`.
            status (str): `active` or `anonymized`.
            updated_at (datetime.datetime):
            anonymized_at (datetime.datetime | None | Unset):
            birth_date (None | str | Unset): `YYYY-MM-DD`.
            email (None | str | Unset):
            gender (None | str | Unset):
            phone (None | str | Unset):
            store_id (None | str | Unset):
     """

    created_at: datetime.datetime
    first_name: str
    id: str
    last_name: str
    locale: str
    member_code: str
    source: str
    status: str
    updated_at: datetime.datetime
    anonymized_at: datetime.datetime | None | Unset = UNSET
    birth_date: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    gender: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    store_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        first_name = self.first_name

        id = self.id

        last_name = self.last_name

        locale = self.locale

        member_code = self.member_code

        source = self.source

        status = self.status

        updated_at = self.updated_at.isoformat()

        anonymized_at: None | str | Unset
        if isinstance(self.anonymized_at, Unset):
            anonymized_at = UNSET
        elif isinstance(self.anonymized_at, datetime.datetime):
            anonymized_at = self.anonymized_at.isoformat()
        else:
            anonymized_at = self.anonymized_at

        birth_date: None | str | Unset
        if isinstance(self.birth_date, Unset):
            birth_date = UNSET
        else:
            birth_date = self.birth_date

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        gender: None | str | Unset
        if isinstance(self.gender, Unset):
            gender = UNSET
        else:
            gender = self.gender

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        store_id: None | str | Unset
        if isinstance(self.store_id, Unset):
            store_id = UNSET
        else:
            store_id = self.store_id


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "createdAt": created_at,
            "firstName": first_name,
            "id": id,
            "lastName": last_name,
            "locale": locale,
            "memberCode": member_code,
            "source": source,
            "status": status,
            "updatedAt": updated_at,
        })
        if anonymized_at is not UNSET:
            field_dict["anonymizedAt"] = anonymized_at
        if birth_date is not UNSET:
            field_dict["birthDate"] = birth_date
        if email is not UNSET:
            field_dict["email"] = email
        if gender is not UNSET:
            field_dict["gender"] = gender
        if phone is not UNSET:
            field_dict["phone"] = phone
        if store_id is not UNSET:
            field_dict["storeId"] = store_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        first_name = d.pop("firstName")

        id = d.pop("id")

        last_name = d.pop("lastName")

        locale = d.pop("locale")

        member_code = d.pop("memberCode")

        source = d.pop("source")

        status = d.pop("status")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        def _parse_anonymized_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                anonymized_at_type_0 = datetime.datetime.fromisoformat(data)



                return anonymized_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        anonymized_at = _parse_anonymized_at(d.pop("anonymizedAt", UNSET))


        def _parse_birth_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        birth_date = _parse_birth_date(d.pop("birthDate", UNSET))


        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))


        def _parse_gender(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        gender = _parse_gender(d.pop("gender", UNSET))


        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))


        def _parse_store_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        store_id = _parse_store_id(d.pop("storeId", UNSET))


        envelope_page_member_view_data_data_item = cls(
            created_at=created_at,
            first_name=first_name,
            id=id,
            last_name=last_name,
            locale=locale,
            member_code=member_code,
            source=source,
            status=status,
            updated_at=updated_at,
            anonymized_at=anonymized_at,
            birth_date=birth_date,
            email=email,
            gender=gender,
            phone=phone,
            store_id=store_id,
        )


        envelope_page_member_view_data_data_item.additional_properties = d
        return envelope_page_member_view_data_data_item

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
