//! What cluster does when other services' events arrive.

use chrono::{DateTime, Utc};
use sbm_common::clock::Clock;
use sbm_common::outbox::{Consumer, Event};
use sea_orm::DatabaseTransaction;
use serde::de::DeserializeOwned;

use sbm_auth::domain::events::MemberRegistered;
use sbm_common::events::DomainEvent;

use super::badges::BadgeEvent;
use super::events::TierChanged;
use super::inbound::{self, ActionPerformed, PointsEarned, PointsReversed, PurchaseRecorded, ReceiptApproved};
use super::membership;
use super::progress::{self, Occurrence};
use super::tiers::Metric;

/// The currency of receipts (they carry none).
const RECEIPT_CURRENCY: &str = "THB";

/// Tier qualification: records what each earn, earn reversal, purchase and approved receipt
/// adds (once per event id), and upgrades the member at once when they now qualify higher.
///
/// One consumer for the four topics, so they are applied in outbox order (a reversal after its
/// earn), and one member's events are applied one at a time: a burst of earns crossing a
/// threshold yields exactly one upgrade.
pub struct TierQualification {
    pub clock: Clock,
}

const TOPICS: [&str; 4] = [
    inbound::POINTS_EARNED,
    inbound::POINTS_REVERSED,
    inbound::PURCHASE_RECORDED,
    inbound::RECEIPT_APPROVED,
];

fn parse<T: DeserializeOwned>(event: &Event) -> anyhow::Result<T> {
    serde_json::from_value(event.payload.clone())
        .map_err(|e| anyhow::anyhow!("event {} ({}): payload does not parse: {e}", event.id, event.topic))
}

#[async_trait::async_trait]
impl Consumer for TierQualification {
    fn name(&self) -> &str {
        "cluster.tier-qualification"
    }
    fn topics(&self) -> &[&str] {
        &TOPICS
    }
    async fn handle(&self, txn: &DatabaseTransaction, event: &Event) -> anyhow::Result<()> {
        let (member, fresh) = match event.topic.as_str() {
            inbound::POINTS_EARNED => {
                let e: PointsEarned = parse(event)?;
                let fresh = record(
                    txn,
                    event,
                    &e.member_id,
                    Metric::PointsEarned,
                    e.points,
                    None,
                    Some(&e.transaction_id),
                    e.at,
                )
                .await?;
                (e.member_id, fresh)
            }
            inbound::POINTS_REVERSED => {
                let e: PointsReversed = parse(event)?;
                if e.original_type != "earn" {
                    return Ok(());
                }
                // Dated at the earn, so the two leave a rolling window together.
                let at = membership::earned_at(txn, &e.original_transaction_id)
                    .await?
                    .unwrap_or(e.at);
                record(
                    txn,
                    event,
                    &e.member_id,
                    Metric::PointsEarned,
                    e.points.min(0),
                    None,
                    Some(&e.original_transaction_id),
                    at,
                )
                .await?;
                // A reversal only lowers the value: nothing to upgrade.
                return Ok(());
            }
            inbound::PURCHASE_RECORDED => {
                let e: PurchaseRecorded = parse(event)?;
                let fresh = record(
                    txn,
                    event,
                    &e.member_id,
                    Metric::PurchaseAmount,
                    e.amount,
                    Some(&e.currency),
                    None,
                    e.purchased_at,
                )
                .await?;
                (e.member_id, fresh)
            }
            inbound::RECEIPT_APPROVED => {
                let e: ReceiptApproved = parse(event)?;
                let fresh = record(
                    txn,
                    event,
                    &e.member_id,
                    Metric::PurchaseAmount,
                    e.amount,
                    Some(RECEIPT_CURRENCY),
                    None,
                    event.created_at,
                )
                .await?;
                (e.member_id, fresh)
            }
            _ => return Ok(()),
        };
        if fresh {
            membership::upgrade(txn, &member, self.clock.now()).await?;
        }
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
async fn record(
    txn: &DatabaseTransaction,
    event: &Event,
    member: &str,
    metric: Metric,
    value: i64,
    currency: Option<&str>,
    transaction_id: Option<&str>,
    at: DateTime<Utc>,
) -> anyhow::Result<bool> {
    Ok(membership::record_activity(txn, event.id, member, metric, value, currency, transaction_id, at).await?)
}

/// Badge progress: every event a badge criterion can name, recorded per badge once per event
/// id; reaching a target awards the badge (and emits `badge.awarded`).
pub struct BadgeProgress;

const BADGE_TOPICS: [&str; 6] = [
    inbound::PURCHASE_RECORDED,
    inbound::POINTS_EARNED,
    inbound::RECEIPT_APPROVED,
    inbound::ACTION_PERFORMED,
    MemberRegistered::TOPIC,
    TierChanged::TOPIC,
];

#[async_trait::async_trait]
impl Consumer for BadgeProgress {
    fn name(&self) -> &str {
        "cluster.badge-progress"
    }
    fn topics(&self) -> &[&str] {
        &BADGE_TOPICS
    }
    async fn handle(&self, txn: &DatabaseTransaction, event: &Event) -> anyhow::Result<()> {
        let base = |member: String, kind: BadgeEvent, at: DateTime<Utc>| Occurrence {
            event_id: event.id,
            member,
            kind,
            action: None,
            amount: 0,
            points: 0,
            store_id: None,
            store_category: None,
            tier_reached: None,
            dedup_key: None,
            at,
        };
        let occ = match event.topic.as_str() {
            inbound::PURCHASE_RECORDED => {
                let e: PurchaseRecorded = parse(event)?;
                Occurrence {
                    amount: e.amount,
                    points: e.points,
                    store_id: e.store_id,
                    store_category: e.store_category,
                    ..base(e.member_id, BadgeEvent::Purchase, e.purchased_at)
                }
            }
            inbound::POINTS_EARNED => {
                let e: PointsEarned = parse(event)?;
                if e.source == "badge" {
                    return Ok(());
                }
                Occurrence {
                    points: e.points,
                    ..base(e.member_id, BadgeEvent::PointsEarned, e.at)
                }
            }
            inbound::RECEIPT_APPROVED => {
                let e: ReceiptApproved = parse(event)?;
                Occurrence {
                    amount: e.amount,
                    points: e.points,
                    ..base(e.member_id, BadgeEvent::ReceiptApproved, event.created_at)
                }
            }
            inbound::ACTION_PERFORMED => {
                let e: ActionPerformed = parse(event)?;
                Occurrence {
                    dedup_key: e.external_id.map(|x| format!("action:{}:{x}", e.source)),
                    action: Some(e.action),
                    points: e.points,
                    ..base(e.member_id, BadgeEvent::Action, e.at)
                }
            }
            t if t == MemberRegistered::TOPIC => {
                let e: MemberRegistered = parse(event)?;
                Occurrence {
                    store_id: e.store_id,
                    ..base(e.member_id, BadgeEvent::Registration, e.registered_at)
                }
            }
            t if t == TierChanged::TOPIC => {
                let e: TierChanged = parse(event)?;
                Occurrence {
                    tier_reached: Some(e.to_tier_code),
                    ..base(e.member_id, BadgeEvent::TierChanged, e.at)
                }
            }
            _ => return Ok(()),
        };
        progress::record(txn, &occ).await?;
        Ok(())
    }
}

/// Forgets an anonymised member's interests (personal preferences, GDPR). Tiers, history and
/// badges stay: they hold the member id only, and the ledger they mirror stays too.
pub struct ForgetInterests;

#[async_trait::async_trait]
impl sbm_common::events::Handler for ForgetInterests {
    type Event = sbm_auth::domain::events::MemberAnonymized;
    const NAME: &'static str = "cluster.forget-interests";

    async fn handle(
        &self,
        txn: &DatabaseTransaction,
        _meta: &sbm_common::events::EventMeta,
        event: Self::Event,
    ) -> anyhow::Result<()> {
        super::interests::forget(txn, &event.member_id).await?;
        Ok(())
    }
}
