"""The loyalty journey of sdks/README.md, through the synchronous client."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest

import sbmcrm
from sbmcrm.auth import EnrolMember
from sbmcrm.point import EarnRequest, Transaction

from conftest import unique_phone

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def test_login_stores_tokens_and_rate_limit(server: dict) -> None:
    heard: list[sbmcrm.Tokens] = []
    with sbmcrm.Client(server["baseUrl"], on_tokens=heard.append) as client:
        tokens = client.login(server["adminEmail"], server["adminPassword"])
        assert tokens.token_type.lower() == "bearer"
        assert client.access_token == tokens.access_token
        assert client.refresh_token == tokens.refresh_token
        assert heard == [sbmcrm.Tokens(tokens.access_token, tokens.refresh_token)]
        me = client.auth.staff_me()
        assert me.email == server["adminEmail"]
        rl = client.rate_limit
        assert isinstance(rl, sbmcrm.RateLimit)
        assert isinstance(rl.limit, int) and rl.limit > 0
        assert isinstance(rl.remaining, int) and 0 <= rl.remaining < rl.limit
        assert isinstance(rl.reset, int)


def test_enrol_earn_spend_balance(pos: sbmcrm.Client) -> None:
    member = pos.auth.members_enrol(
        body=EnrolMember(first_name="Ann", last_name="Lee", phone=unique_phone())
    )
    assert member.first_name == "Ann"
    earned = pos.point.transactions_earn(
        body={"memberId": member.id, "points": 50, "source": "pos", "externalId": "o-1", "reason": "test"}
    )
    assert isinstance(earned.transaction, Transaction)
    assert earned.transaction.balance_after == 50
    assert earned.transaction.type_ == "earn"
    assert earned.transaction.external_id == "o-1"
    assert isinstance(earned.transaction.created_at, dt.datetime)
    spent = pos.point.transactions_spend(body={"memberId": member.id, "points": 15, "reason": "Coffee"})
    assert spent.transaction.balance_after == 35
    balance = pos.point.balance_get(member.id)
    assert balance.member_id == member.id
    assert (balance.balance, balance.lifetime_earned, balance.lifetime_spent) == (35, 50, 15)


def test_ledger_across_pages(pos: sbmcrm.Client, member) -> None:
    for points in (1, 2, 3, 4, 5):
        pos.point.transactions_earn(body=EarnRequest(member_id=member.id, points=points, reason="page"))
    first = pos.point.transactions_list(member_id=member.id, limit=2)
    assert (first.meta.total, first.meta.total_pages, len(first.data)) == (5, 3, 2)
    items = list(pos.paginate(pos.point.transactions_list, member_id=member.id, limit=2))
    assert len(items) == 5
    assert len({t.id for t in items}) == 5
    assert sorted(t.points for t in items) == [1, 2, 3, 4, 5]
    assert all(isinstance(t.created_at, dt.datetime) and t.created_at.tzinfo for t in items)
    # the same order as one big page
    assert [t.id for t in items] == [t.id for t in pos.point.transactions_list(member_id=member.id, limit=100).data]
    # default limit 100
    assert [t.id for t in pos.paginate(pos.point.transactions_list, member_id=member.id)] == [t.id for t in items]


def _current_tier_code(staff: sbmcrm.Client, member_id: str) -> str | None:
    """The projection's currentTier.code (None while the member has none)."""
    try:
        projection = staff.cluster.tier_projections_get(member_id)
    except sbmcrm.NotFound:
        return None
    return projection.current_tier.code if projection.current_tier else None


@pytest.fixture(scope="module")
def tiers(staff: sbmcrm.Client) -> str:
    suffix = uuid.uuid4().hex[:6]
    for body in (
        {"code": f"base-{suffix}", "name_en": "Base", "rank": 0, "isDefault": True,
         "qualification": {"metric": "points_earned", "threshold": 0, "window": "lifetime"}},
        {"code": f"silver-{suffix}", "name_en": "Silver", "rank": 1,
         "qualification": {"metric": "points_earned", "threshold": 100, "window": "lifetime"}},
    ):
        tier = staff.cluster.tiers_create(body=body)
        assert tier.code == body["code"] and tier.rank == body["rank"]
    return suffix


def _wait_for_tier(staff: sbmcrm.Client, member_id: str, code: str) -> str | None:
    deadline = time.monotonic() + 10
    seen = None
    while time.monotonic() < deadline:
        seen = _current_tier_code(staff, member_id)
        if seen == code:
            break
        time.sleep(0.2)
    return seen


def test_tier_projection(staff: sbmcrm.Client, pos: sbmcrm.Client, member, tiers: str) -> None:
    pos.point.transactions_earn(body={"memberId": member.id, "points": 120, "reason": "tier"})
    assert _wait_for_tier(staff, member.id, f"silver-{tiers}") == f"silver-{tiers}"
    projection = staff.cluster.tier_projections_get(member.id)
    # Typed all the way down: the qualifying measure is an object with a parsed date.
    assert projection.qualifying.metric == "points_earned"
    assert projection.qualifying.value >= 120
    assert isinstance(projection.qualifying.to, dt.datetime)


def test_reward_redeemed_then_cancelled(staff: sbmcrm.Client, pos: sbmcrm.Client, member) -> None:
    suffix = uuid.uuid4().hex[:8]
    pos.point.transactions_earn(body={"memberId": member.id, "points": 40, "reason": "reward"})
    catalog = staff.reward.reward_catalogs_create(body={"code": f"everyday-{suffix}", "name_en": "Everyday"})
    latte = staff.reward.rewards_create(body={"code": f"latte-{suffix}", "catalogId": catalog.id, "type": "voucher",
                                              "name_en": "A latte", "pointsCost": 10, "stockTotal": 100})
    assert latte.catalog_id == catalog.id and latte.points_cost == 10
    redemption = staff.reward.redemptions_create(body={"rewardId": latte.id, "memberId": member.id})
    assert (redemption.status, redemption.member_id, redemption.points_cost) == ("claimed", member.id, 10)
    assert pos.point.balance_get(member.id).balance == 30
    cancelled = staff.reward.redemptions_cancel(redemption.id, body={"reason": "changed my mind"})
    assert cancelled.id == redemption.id and cancelled.status == "cancelled"
    assert cancelled.cancel_reason == "changed my mind" and cancelled.refund_transaction_id
    assert pos.point.balance_get(member.id).balance == 40
    again = staff.reward.redemptions_cancel(redemption.id)  # refunds nothing twice
    assert again.status == "cancelled" and pos.point.balance_get(member.id).balance == 40


def test_receipt_upload_as_wechat_member(base_url: str, tmp_path) -> None:
    path = tmp_path / "till-slip.jpg"
    path.write_bytes(JPEG)
    with sbmcrm.Client(base_url) as member_client:
        session = member_client.wechat_login(f"wx-{uuid.uuid4().hex}")
        assert member_client.access_token == session.access_token
        receipt = member_client.point.submit_receipt(
            path, receipt_number=f"R-{uuid.uuid4().hex[:8]}", store_id="store-1", amount=12_345,
            purchased_at=dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1),
        )
        assert receipt.member_id == session.member.id and receipt.status == "pending"
        assert receipt.amount == 12_345 and receipt.store_id == "store-1"
        assert receipt.image_content_type == "image/jpeg"  # sniffed from the bytes
