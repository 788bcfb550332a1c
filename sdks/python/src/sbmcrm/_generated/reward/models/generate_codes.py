from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="GenerateCodes")



@_attrs_define
class GenerateCodes:
    """ Codes to generate.

        Attributes:
            count (int): 1 to 100000.
            pattern (str): `#` is a random character (no look-alikes such as `0`/`O` or `1`/`I`); the rest is kept:
                capitals, digits, `-`, `_`; at least six `#`. Example: `SUMMER-####-####`.
            batch (None | str | Unset):
     """

    count: int
    pattern: str
    batch: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        count = self.count

        pattern = self.pattern

        batch: None | str | Unset
        if isinstance(self.batch, Unset):
            batch = UNSET
        else:
            batch = self.batch


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "count": count,
            "pattern": pattern,
        })
        if batch is not UNSET:
            field_dict["batch"] = batch

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        pattern = d.pop("pattern")

        def _parse_batch(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        batch = _parse_batch(d.pop("batch", UNSET))


        generate_codes = cls(
            count=count,
            pattern=pattern,
            batch=batch,
        )

        return generate_codes

