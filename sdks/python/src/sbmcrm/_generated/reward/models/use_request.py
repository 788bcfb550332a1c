from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="UseRequest")



@_attrs_define
class UseRequest:
    """ Marking a redemption used at the till.

        Attributes:
            qr (None | str | Unset): The QR payload the till scanned: when given, it must be this redemption's.
            store_id (None | str | Unset): Where it was used.
     """

    qr: None | str | Unset = UNSET
    store_id: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        qr: None | str | Unset
        if isinstance(self.qr, Unset):
            qr = UNSET
        else:
            qr = self.qr

        store_id: None | str | Unset
        if isinstance(self.store_id, Unset):
            store_id = UNSET
        else:
            store_id = self.store_id


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if qr is not UNSET:
            field_dict["qr"] = qr
        if store_id is not UNSET:
            field_dict["storeId"] = store_id

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_qr(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        qr = _parse_qr(d.pop("qr", UNSET))


        def _parse_store_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        store_id = _parse_store_id(d.pop("storeId", UNSET))


        use_request = cls(
            qr=qr,
            store_id=store_id,
        )

        return use_request

