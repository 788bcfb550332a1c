from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.invalid_code import InvalidCode





T = TypeVar("T", bound="EnvelopeImportReportData")



@_attrs_define
class EnvelopeImportReportData:
    """ What an import did.

        Attributes:
            duplicates (int): Codes already in a pool (this one or another reward's), or repeated in the upload.
            imported (int):
            invalid (int):
            invalid_codes (list[InvalidCode]): The first 20 invalid codes.
            batch (None | str | Unset):
     """

    duplicates: int
    imported: int
    invalid: int
    invalid_codes: list[InvalidCode]
    batch: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.invalid_code import InvalidCode # noqa: PLC0415
        duplicates = self.duplicates

        imported = self.imported

        invalid = self.invalid

        invalid_codes = []
        for invalid_codes_item_data in self.invalid_codes:
            invalid_codes_item = invalid_codes_item_data.to_dict()
            invalid_codes.append(invalid_codes_item)



        batch: None | str | Unset
        if isinstance(self.batch, Unset):
            batch = UNSET
        else:
            batch = self.batch


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "duplicates": duplicates,
            "imported": imported,
            "invalid": invalid,
            "invalidCodes": invalid_codes,
        })
        if batch is not UNSET:
            field_dict["batch"] = batch

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.invalid_code import InvalidCode # noqa: PLC0415
        d = dict(src_dict)
        duplicates = d.pop("duplicates")

        imported = d.pop("imported")

        invalid = d.pop("invalid")

        invalid_codes = []
        _invalid_codes = d.pop("invalidCodes")
        for invalid_codes_item_data in (_invalid_codes):
            invalid_codes_item = InvalidCode.from_dict(invalid_codes_item_data)



            invalid_codes.append(invalid_codes_item)


        def _parse_batch(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        batch = _parse_batch(d.pop("batch", UNSET))


        envelope_import_report_data = cls(
            duplicates=duplicates,
            imported=imported,
            invalid=invalid,
            invalid_codes=invalid_codes,
            batch=batch,
        )


        envelope_import_report_data.additional_properties = d
        return envelope_import_report_data

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
