from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.locale import Locale
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.preview_request_variables import PreviewRequestVariables





T = TypeVar("T", bound="PreviewRequest")



@_attrs_define
class PreviewRequest:
    """ What to preview with.

        Attributes:
            locale (Locale | None | Unset):
            variables (PreviewRequestVariables | Unset):
     """

    locale: Locale | None | Unset = UNSET
    variables: PreviewRequestVariables | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.preview_request_variables import PreviewRequestVariables # noqa: PLC0415
        locale: None | str | Unset
        if isinstance(self.locale, Unset):
            locale = UNSET
        elif isinstance(self.locale, Locale):
            locale = self.locale.value
        else:
            locale = self.locale

        variables: dict[str, Any] | Unset = UNSET
        if not isinstance(self.variables, Unset):
            variables = self.variables.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if locale is not UNSET:
            field_dict["locale"] = locale
        if variables is not UNSET:
            field_dict["variables"] = variables

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.preview_request_variables import PreviewRequestVariables # noqa: PLC0415
        d = dict(src_dict)
        def _parse_locale(data: object) -> Locale | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                locale_type_1 = Locale(data)



                return locale_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Locale | None | Unset, data)

        locale = _parse_locale(d.pop("locale", UNSET))


        _variables = d.pop("variables", UNSET)
        variables: PreviewRequestVariables | Unset
        if isinstance(_variables,  Unset):
            variables = UNSET
        else:
            variables = PreviewRequestVariables.from_dict(_variables)




        preview_request = cls(
            locale=locale,
            variables=variables,
        )

        return preview_request

