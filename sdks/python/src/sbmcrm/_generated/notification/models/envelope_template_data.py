from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.template_spec_locales import TemplateSpecLocales
  from ..models.variable import Variable





T = TypeVar("T", bound="EnvelopeTemplateData")



@_attrs_define
class EnvelopeTemplateData:
    """ A template as staff read it.

        Attributes:
            code (str): Unique, `[a-z0-9_.-]`.
            locales (TemplateSpecLocales): `en` (required), `th`, `cn`.
            name (str):
            created_at (datetime.datetime):
            id (str):
            updated_at (datetime.datetime):
            variables (list[Variable] | Unset):
     """

    code: str
    locales: TemplateSpecLocales
    name: str
    created_at: datetime.datetime
    id: str
    updated_at: datetime.datetime
    variables: list[Variable] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.template_spec_locales import TemplateSpecLocales # noqa: PLC0415
        from ..models.variable import Variable # noqa: PLC0415
        code = self.code

        locales = self.locales.to_dict()

        name = self.name

        created_at = self.created_at.isoformat()

        id = self.id

        updated_at = self.updated_at.isoformat()

        variables: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.variables, Unset):
            variables = []
            for variables_item_data in self.variables:
                variables_item = variables_item_data.to_dict()
                variables.append(variables_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "code": code,
            "locales": locales,
            "name": name,
            "createdAt": created_at,
            "id": id,
            "updatedAt": updated_at,
        })
        if variables is not UNSET:
            field_dict["variables"] = variables

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.template_spec_locales import TemplateSpecLocales # noqa: PLC0415
        from ..models.variable import Variable # noqa: PLC0415
        d = dict(src_dict)
        code = d.pop("code")

        locales = TemplateSpecLocales.from_dict(d.pop("locales"))




        name = d.pop("name")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = d.pop("id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        _variables = d.pop("variables", UNSET)
        variables: list[Variable] | Unset = UNSET
        if _variables is not UNSET:
            variables = []
            for variables_item_data in _variables:
                variables_item = Variable.from_dict(variables_item_data)



                variables.append(variables_item)


        envelope_template_data = cls(
            code=code,
            locales=locales,
            name=name,
            created_at=created_at,
            id=id,
            updated_at=updated_at,
            variables=variables,
        )


        envelope_template_data.additional_properties = d
        return envelope_template_data

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
