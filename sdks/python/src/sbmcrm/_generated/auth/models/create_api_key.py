from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.plan import Plan
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="CreateApiKey")



@_attrs_define
class CreateApiKey:
    """ A key's settings, for creation and for the operator's re-apply.

        Attributes:
            name (str):
            plan (Plan): API-key plans from the seed.
            scopes (list[str]): Scopes: the API-key permissions of the services (today `members:read`, `members:write`,
                `members:delete`, `points:read`, `points:write`).
            expires_at (datetime.datetime | None | Unset):
            rate_limit_per_hour (int | None | Unset): Required for `enterprise`, refused otherwise.
     """

    name: str
    plan: Plan
    scopes: list[str]
    expires_at: datetime.datetime | None | Unset = UNSET
    rate_limit_per_hour: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        plan = self.plan.value

        scopes = self.scopes



        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        rate_limit_per_hour: int | None | Unset
        if isinstance(self.rate_limit_per_hour, Unset):
            rate_limit_per_hour = UNSET
        else:
            rate_limit_per_hour = self.rate_limit_per_hour


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
            "plan": plan,
            "scopes": scopes,
        })
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at
        if rate_limit_per_hour is not UNSET:
            field_dict["rateLimitPerHour"] = rate_limit_per_hour

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        plan = Plan(d.pop("plan"))




        scopes = cast(list[str], d.pop("scopes"))


        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)



                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expiresAt", UNSET))


        def _parse_rate_limit_per_hour(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rate_limit_per_hour = _parse_rate_limit_per_hour(d.pop("rateLimitPerHour", UNSET))


        create_api_key = cls(
            name=name,
            plan=plan,
            scopes=scopes,
            expires_at=expires_at,
            rate_limit_per_hour=rate_limit_per_hour,
        )

        return create_api_key

