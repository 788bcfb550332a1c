from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.code_mode import CodeMode
from ..models.limit_period import LimitPeriod
from ..models.reward_type import RewardType
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.reward_value_type_0 import RewardValueType0
  from ..models.reward_value_type_1 import RewardValueType1
  from ..models.reward_value_type_2 import RewardValueType2





T = TypeVar("T", bound="EnvelopeRewardData")



@_attrs_define
class EnvelopeRewardData:
    """ A reward as the API shows it.

        Attributes:
            catalog_id (str): The catalog it belongs to.
            code (str): Stable identifier (the key in a `RewardCatalog` resource); cannot change.
            name_en (str):
            points_cost (int): Points one redemption costs (0: free).
            type_ (RewardType):
            created_at (datetime.datetime):
            id (str):
            managed (bool): Owned by the Kubernetes operator (a `RewardCatalog` resource): read-only through the API.
            stock_claimed (int): Redemptions holding stock (claimed, used or expired).
            updated_at (datetime.datetime):
            active (bool | Unset):
            category (None | str | Unset):
            code_mode (CodeMode | Unset): Where a redeemed reward's code comes from.
            description_cn (str | Unset):
            description_en (str | Unset):
            description_th (str | Unset):
            ends_at (datetime.datetime | None | Unset): Redeemable until then (none: for good).
            image_url (None | str | Unset):
            limit_lifetime (int | None | Unset): Redemptions one member may hold over all time (cancelled ones do not
                count).
            limit_per_period (int | None | Unset): Redemptions one member may make per `limitPeriod`.
            limit_period (LimitPeriod | None | Unset):
            name_cn (str | Unset):
            name_th (str | Unset):
            position (int | Unset): Its place in the catalog (lower first).
            starts_at (datetime.datetime | None | Unset): Redeemable from then (none: at once).
            static_code (None | str | Unset): The code every redemption shows (`codeMode: static`).
            stock_total (int | None | Unset): How many can ever be claimed (none: unlimited). Never below what is claimed.
            terms_cn (str | Unset):
            terms_en (str | Unset):
            terms_th (str | Unset):
            tier_codes (list[str] | Unset): Tiers whose holders may redeem it (empty: every tier). Others see it, not
                eligible.
            value (None | RewardValueType0 | RewardValueType1 | RewardValueType2 | Unset):
            voucher_valid_days (int | None | Unset): Days a claimed voucher stays usable (none: until used or cancelled).
            deleted_at (datetime.datetime | None | Unset):
            description (None | str | Unset):
            name (None | str | Unset): With `?locale=`.
            stock_remaining (int | None | Unset): What is left (none: unlimited).
            terms (None | str | Unset):
     """

    catalog_id: str
    code: str
    name_en: str
    points_cost: int
    type_: RewardType
    created_at: datetime.datetime
    id: str
    managed: bool
    stock_claimed: int
    updated_at: datetime.datetime
    active: bool | Unset = UNSET
    category: None | str | Unset = UNSET
    code_mode: CodeMode | Unset = UNSET
    description_cn: str | Unset = UNSET
    description_en: str | Unset = UNSET
    description_th: str | Unset = UNSET
    ends_at: datetime.datetime | None | Unset = UNSET
    image_url: None | str | Unset = UNSET
    limit_lifetime: int | None | Unset = UNSET
    limit_per_period: int | None | Unset = UNSET
    limit_period: LimitPeriod | None | Unset = UNSET
    name_cn: str | Unset = UNSET
    name_th: str | Unset = UNSET
    position: int | Unset = UNSET
    starts_at: datetime.datetime | None | Unset = UNSET
    static_code: None | str | Unset = UNSET
    stock_total: int | None | Unset = UNSET
    terms_cn: str | Unset = UNSET
    terms_en: str | Unset = UNSET
    terms_th: str | Unset = UNSET
    tier_codes: list[str] | Unset = UNSET
    value: None | RewardValueType0 | RewardValueType1 | RewardValueType2 | Unset = UNSET
    voucher_valid_days: int | None | Unset = UNSET
    deleted_at: datetime.datetime | None | Unset = UNSET
    description: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    stock_remaining: int | None | Unset = UNSET
    terms: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.reward_value_type_0 import RewardValueType0 # noqa: PLC0415
        from ..models.reward_value_type_1 import RewardValueType1 # noqa: PLC0415
        from ..models.reward_value_type_2 import RewardValueType2 # noqa: PLC0415
        catalog_id = self.catalog_id

        code = self.code

        name_en = self.name_en

        points_cost = self.points_cost

        type_ = self.type_.value

        created_at = self.created_at.isoformat()

        id = self.id

        managed = self.managed

        stock_claimed = self.stock_claimed

        updated_at = self.updated_at.isoformat()

        active = self.active

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        code_mode: str | Unset = UNSET
        if not isinstance(self.code_mode, Unset):
            code_mode = self.code_mode.value


        description_cn = self.description_cn

        description_en = self.description_en

        description_th = self.description_th

        ends_at: None | str | Unset
        if isinstance(self.ends_at, Unset):
            ends_at = UNSET
        elif isinstance(self.ends_at, datetime.datetime):
            ends_at = self.ends_at.isoformat()
        else:
            ends_at = self.ends_at

        image_url: None | str | Unset
        if isinstance(self.image_url, Unset):
            image_url = UNSET
        else:
            image_url = self.image_url

        limit_lifetime: int | None | Unset
        if isinstance(self.limit_lifetime, Unset):
            limit_lifetime = UNSET
        else:
            limit_lifetime = self.limit_lifetime

        limit_per_period: int | None | Unset
        if isinstance(self.limit_per_period, Unset):
            limit_per_period = UNSET
        else:
            limit_per_period = self.limit_per_period

        limit_period: None | str | Unset
        if isinstance(self.limit_period, Unset):
            limit_period = UNSET
        elif isinstance(self.limit_period, LimitPeriod):
            limit_period = self.limit_period.value
        else:
            limit_period = self.limit_period

        name_cn = self.name_cn

        name_th = self.name_th

        position = self.position

        starts_at: None | str | Unset
        if isinstance(self.starts_at, Unset):
            starts_at = UNSET
        elif isinstance(self.starts_at, datetime.datetime):
            starts_at = self.starts_at.isoformat()
        else:
            starts_at = self.starts_at

        static_code: None | str | Unset
        if isinstance(self.static_code, Unset):
            static_code = UNSET
        else:
            static_code = self.static_code

        stock_total: int | None | Unset
        if isinstance(self.stock_total, Unset):
            stock_total = UNSET
        else:
            stock_total = self.stock_total

        terms_cn = self.terms_cn

        terms_en = self.terms_en

        terms_th = self.terms_th

        tier_codes: list[str] | Unset = UNSET
        if not isinstance(self.tier_codes, Unset):
            tier_codes = self.tier_codes



        value: dict[str, Any] | None | Unset
        if isinstance(self.value, Unset):
            value = UNSET
        elif isinstance(self.value, RewardValueType0):
            value = self.value.to_dict()
        elif isinstance(self.value, RewardValueType1):
            value = self.value.to_dict()
        elif isinstance(self.value, RewardValueType2):
            value = self.value.to_dict()
        else:
            value = self.value

        voucher_valid_days: int | None | Unset
        if isinstance(self.voucher_valid_days, Unset):
            voucher_valid_days = UNSET
        else:
            voucher_valid_days = self.voucher_valid_days

        deleted_at: None | str | Unset
        if isinstance(self.deleted_at, Unset):
            deleted_at = UNSET
        elif isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        stock_remaining: int | None | Unset
        if isinstance(self.stock_remaining, Unset):
            stock_remaining = UNSET
        else:
            stock_remaining = self.stock_remaining

        terms: None | str | Unset
        if isinstance(self.terms, Unset):
            terms = UNSET
        else:
            terms = self.terms


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "catalogId": catalog_id,
            "code": code,
            "name_en": name_en,
            "pointsCost": points_cost,
            "type": type_,
            "createdAt": created_at,
            "id": id,
            "managed": managed,
            "stockClaimed": stock_claimed,
            "updatedAt": updated_at,
        })
        if active is not UNSET:
            field_dict["active"] = active
        if category is not UNSET:
            field_dict["category"] = category
        if code_mode is not UNSET:
            field_dict["codeMode"] = code_mode
        if description_cn is not UNSET:
            field_dict["description_cn"] = description_cn
        if description_en is not UNSET:
            field_dict["description_en"] = description_en
        if description_th is not UNSET:
            field_dict["description_th"] = description_th
        if ends_at is not UNSET:
            field_dict["endsAt"] = ends_at
        if image_url is not UNSET:
            field_dict["imageUrl"] = image_url
        if limit_lifetime is not UNSET:
            field_dict["limitLifetime"] = limit_lifetime
        if limit_per_period is not UNSET:
            field_dict["limitPerPeriod"] = limit_per_period
        if limit_period is not UNSET:
            field_dict["limitPeriod"] = limit_period
        if name_cn is not UNSET:
            field_dict["name_cn"] = name_cn
        if name_th is not UNSET:
            field_dict["name_th"] = name_th
        if position is not UNSET:
            field_dict["position"] = position
        if starts_at is not UNSET:
            field_dict["startsAt"] = starts_at
        if static_code is not UNSET:
            field_dict["staticCode"] = static_code
        if stock_total is not UNSET:
            field_dict["stockTotal"] = stock_total
        if terms_cn is not UNSET:
            field_dict["terms_cn"] = terms_cn
        if terms_en is not UNSET:
            field_dict["terms_en"] = terms_en
        if terms_th is not UNSET:
            field_dict["terms_th"] = terms_th
        if tier_codes is not UNSET:
            field_dict["tierCodes"] = tier_codes
        if value is not UNSET:
            field_dict["value"] = value
        if voucher_valid_days is not UNSET:
            field_dict["voucherValidDays"] = voucher_valid_days
        if deleted_at is not UNSET:
            field_dict["deletedAt"] = deleted_at
        if description is not UNSET:
            field_dict["description"] = description
        if name is not UNSET:
            field_dict["name"] = name
        if stock_remaining is not UNSET:
            field_dict["stockRemaining"] = stock_remaining
        if terms is not UNSET:
            field_dict["terms"] = terms

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.reward_value_type_0 import RewardValueType0 # noqa: PLC0415
        from ..models.reward_value_type_1 import RewardValueType1 # noqa: PLC0415
        from ..models.reward_value_type_2 import RewardValueType2 # noqa: PLC0415
        d = dict(src_dict)
        catalog_id = d.pop("catalogId")

        code = d.pop("code")

        name_en = d.pop("name_en")

        points_cost = d.pop("pointsCost")

        type_ = RewardType(d.pop("type"))




        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))




        id = d.pop("id")

        managed = d.pop("managed")

        stock_claimed = d.pop("stockClaimed")

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))




        active = d.pop("active", UNSET)

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))


        _code_mode = d.pop("codeMode", UNSET)
        code_mode: CodeMode | Unset
        if isinstance(_code_mode,  Unset):
            code_mode = UNSET
        else:
            code_mode = CodeMode(_code_mode)




        description_cn = d.pop("description_cn", UNSET)

        description_en = d.pop("description_en", UNSET)

        description_th = d.pop("description_th", UNSET)

        def _parse_ends_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ends_at_type_0 = datetime.datetime.fromisoformat(data)



                return ends_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        ends_at = _parse_ends_at(d.pop("endsAt", UNSET))


        def _parse_image_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image_url = _parse_image_url(d.pop("imageUrl", UNSET))


        def _parse_limit_lifetime(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        limit_lifetime = _parse_limit_lifetime(d.pop("limitLifetime", UNSET))


        def _parse_limit_per_period(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        limit_per_period = _parse_limit_per_period(d.pop("limitPerPeriod", UNSET))


        def _parse_limit_period(data: object) -> LimitPeriod | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                limit_period_type_1 = LimitPeriod(data)



                return limit_period_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LimitPeriod | None | Unset, data)

        limit_period = _parse_limit_period(d.pop("limitPeriod", UNSET))


        name_cn = d.pop("name_cn", UNSET)

        name_th = d.pop("name_th", UNSET)

        position = d.pop("position", UNSET)

        def _parse_starts_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                starts_at_type_0 = datetime.datetime.fromisoformat(data)



                return starts_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        starts_at = _parse_starts_at(d.pop("startsAt", UNSET))


        def _parse_static_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        static_code = _parse_static_code(d.pop("staticCode", UNSET))


        def _parse_stock_total(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        stock_total = _parse_stock_total(d.pop("stockTotal", UNSET))


        terms_cn = d.pop("terms_cn", UNSET)

        terms_en = d.pop("terms_en", UNSET)

        terms_th = d.pop("terms_th", UNSET)

        tier_codes = cast(list[str], d.pop("tierCodes", UNSET))


        def _parse_value(data: object) -> None | RewardValueType0 | RewardValueType1 | RewardValueType2 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_reward_value_type_0 = RewardValueType0.from_dict(data)



                return componentsschemas_reward_value_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_reward_value_type_1 = RewardValueType1.from_dict(data)



                return componentsschemas_reward_value_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_reward_value_type_2 = RewardValueType2.from_dict(data)



                return componentsschemas_reward_value_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RewardValueType0 | RewardValueType1 | RewardValueType2 | Unset, data)

        value = _parse_value(d.pop("value", UNSET))


        def _parse_voucher_valid_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        voucher_valid_days = _parse_voucher_valid_days(d.pop("voucherValidDays", UNSET))


        def _parse_deleted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)



                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deleted_at = _parse_deleted_at(d.pop("deletedAt", UNSET))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_stock_remaining(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        stock_remaining = _parse_stock_remaining(d.pop("stockRemaining", UNSET))


        def _parse_terms(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        terms = _parse_terms(d.pop("terms", UNSET))


        envelope_reward_data = cls(
            catalog_id=catalog_id,
            code=code,
            name_en=name_en,
            points_cost=points_cost,
            type_=type_,
            created_at=created_at,
            id=id,
            managed=managed,
            stock_claimed=stock_claimed,
            updated_at=updated_at,
            active=active,
            category=category,
            code_mode=code_mode,
            description_cn=description_cn,
            description_en=description_en,
            description_th=description_th,
            ends_at=ends_at,
            image_url=image_url,
            limit_lifetime=limit_lifetime,
            limit_per_period=limit_per_period,
            limit_period=limit_period,
            name_cn=name_cn,
            name_th=name_th,
            position=position,
            starts_at=starts_at,
            static_code=static_code,
            stock_total=stock_total,
            terms_cn=terms_cn,
            terms_en=terms_en,
            terms_th=terms_th,
            tier_codes=tier_codes,
            value=value,
            voucher_valid_days=voucher_valid_days,
            deleted_at=deleted_at,
            description=description,
            name=name,
            stock_remaining=stock_remaining,
            terms=terms,
        )


        envelope_reward_data.additional_properties = d
        return envelope_reward_data

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
