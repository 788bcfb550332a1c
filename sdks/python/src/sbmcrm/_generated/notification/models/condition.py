from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.op import Op
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.condition_value import ConditionValue





T = TypeVar("T", bound="Condition")



@_attrs_define
class Condition:
    """ One condition on the event's payload: `field` is a dot path (`points`, `reward.code`).

        Attributes:
            field (str):
            op (Op): A comparison.
            value (ConditionValue | Unset):
     """

    field: str
    op: Op
    value: ConditionValue | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.condition_value import ConditionValue # noqa: PLC0415
        field = self.field

        op = self.op.value

        value: dict[str, Any] | Unset = UNSET
        if not isinstance(self.value, Unset):
            value = self.value.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "field": field,
            "op": op,
        })
        if value is not UNSET:
            field_dict["value"] = value

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.condition_value import ConditionValue # noqa: PLC0415
        d = dict(src_dict)
        field = d.pop("field")

        op = Op(d.pop("op"))




        _value = d.pop("value", UNSET)
        value: ConditionValue | Unset
        if isinstance(_value,  Unset):
            value = UNSET
        else:
            value = ConditionValue.from_dict(_value)




        condition = cls(
            field=field,
            op=op,
            value=value,
        )

        return condition

