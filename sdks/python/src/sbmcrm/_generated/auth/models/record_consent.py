from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="RecordConsent")



@_attrs_define
class RecordConsent:
    """ A member's decision on a document version.

        Attributes:
            accepted (bool):
            document_id (str):
     """

    accepted: bool
    document_id: str





    def to_dict(self) -> dict[str, Any]:
        accepted = self.accepted

        document_id = self.document_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "accepted": accepted,
            "documentId": document_id,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accepted = d.pop("accepted")

        document_id = d.pop("documentId")

        record_consent = cls(
            accepted=accepted,
            document_id=document_id,
        )

        return record_consent

