from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ImportCodes")



@_attrs_define
class ImportCodes:
    """ Codes to import, as JSON.

        Attributes:
            codes (list[str]): Up to 100000 codes, within the upload limit (`SBM_MAX_UPLOAD_BYTES`, 5 MiB by default):
                1 to 64 letters, digits, `-` or `_`; unique across every pool.
            batch (None | str | Unset): A label for this lot of codes (a filter of the code list).
     """

    codes: list[str]
    batch: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        codes = self.codes



        batch: None | str | Unset
        if isinstance(self.batch, Unset):
            batch = UNSET
        else:
            batch = self.batch


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "codes": codes,
        })
        if batch is not UNSET:
            field_dict["batch"] = batch

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        codes = cast(list[str], d.pop("codes"))


        def _parse_batch(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        batch = _parse_batch(d.pop("batch", UNSET))


        import_codes = cls(
            codes=codes,
            batch=batch,
        )

        return import_codes

