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
  from ..models.purchase import Purchase





T = TypeVar("T", bound="EarnRequest")



@_attrs_define
class EarnRequest:
    """ Points for a member: explicit `points`, a `purchase` that the rules turn into points, or a
    named `action` (exactly one of the three).

        Attributes:
            member_id (str):
            action (None | str | Unset):
            expires_at (datetime.datetime | None | Unset): Expiry of explicit points (none: they do not expire).
            external_id (None | str | Unset): The caller's id for this movement (a receipt or order number): a second earn
                with the
                same source and externalId returns the first instead of earning twice.
            metadata (Any | Unset):
            points (int | None | Unset):
            purchase (None | Purchase | Unset):
            reason (None | str | Unset):
            source (None | str | Unset): Where it comes from (`pos`, `shop-online`, ...); `externalId` is unique per source.
     """

    member_id: str
    action: None | str | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    external_id: None | str | Unset = UNSET
    metadata: Any | Unset = UNSET
    points: int | None | Unset = UNSET
    purchase: None | Purchase | Unset = UNSET
    reason: None | str | Unset = UNSET
    source: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.purchase import Purchase # noqa: PLC0415
        member_id = self.member_id

        action: None | str | Unset
        if isinstance(self.action, Unset):
            action = UNSET
        else:
            action = self.action

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        metadata = self.metadata

        points: int | None | Unset
        if isinstance(self.points, Unset):
            points = UNSET
        else:
            points = self.points

        purchase: dict[str, Any] | None | Unset
        if isinstance(self.purchase, Unset):
            purchase = UNSET
        elif isinstance(self.purchase, Purchase):
            purchase = self.purchase.to_dict()
        else:
            purchase = self.purchase

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "memberId": member_id,
        })
        if action is not UNSET:
            field_dict["action"] = action
        if expires_at is not UNSET:
            field_dict["expiresAt"] = expires_at
        if external_id is not UNSET:
            field_dict["externalId"] = external_id
        if metadata is not UNSET:
            field_dict["metadata"] = metadata
        if points is not UNSET:
            field_dict["points"] = points
        if purchase is not UNSET:
            field_dict["purchase"] = purchase
        if reason is not UNSET:
            field_dict["reason"] = reason
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.purchase import Purchase # noqa: PLC0415
        d = dict(src_dict)
        member_id = d.pop("memberId")

        def _parse_action(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        action = _parse_action(d.pop("action", UNSET))


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


        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("externalId", UNSET))


        metadata = d.pop("metadata", UNSET)

        def _parse_points(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        points = _parse_points(d.pop("points", UNSET))


        def _parse_purchase(data: object) -> None | Purchase | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                purchase_type_1 = Purchase.from_dict(data)



                return purchase_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Purchase | Unset, data)

        purchase = _parse_purchase(d.pop("purchase", UNSET))


        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))


        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))


        earn_request = cls(
            member_id=member_id,
            action=action,
            expires_at=expires_at,
            external_id=external_id,
            metadata=metadata,
            points=points,
            purchase=purchase,
            reason=reason,
            source=source,
        )

        return earn_request

