from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="ConsentRecord")



@_attrs_define
class ConsentRecord:
    """ One acceptance (or refusal) record.

        Attributes:
            accepted (bool):
            created_at (datetime.datetime):
            document_id (str):
            id (str):
            kind (str):
            member_id (str):
            source (str):
            version (int):
     """

    accepted: bool
    created_at: datetime.datetime
    document_id: str
    id: str
    kind: str
    member_id: str
    source: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        accepted = self.accepted

        created_at = self.created_at.isoformat()

        document_id = self.document_id

        id = self.id

        kind = self.kind

        member_id = self.member_id

        source = self.source

        version = self.version


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "accepted": accepted,
            "createdAt": created_at,
            "documentId": document_id,
            "id": id,
            "kind": kind,
            "memberId": member_id,
            "source": source,
            "version": version,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accepted = d.pop("accepted")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        document_id = d.pop("documentId")

        id = d.pop("id")

        kind = d.pop("kind")

        member_id = d.pop("memberId")

        source = d.pop("source")

        version = d.pop("version")

        consent_record = cls(
            accepted=accepted,
            created_at=created_at,
            document_id=document_id,
            id=id,
            kind=kind,
            member_id=member_id,
            source=source,
            version=version,
        )


        consent_record.additional_properties = d
        return consent_record

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
