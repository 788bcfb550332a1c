//! What cluster does when other services' events arrive.

use chrono::{DateTime, Utc};
use sbm_common::clock::Clock;
use sbm_common::outbox::{Consumer, Event};
use sea_orm::DatabaseTransaction;
use serde::de::DeserializeOwned;

use super::inbound::{self, PointsEarned, PointsReversed, PurchaseRecorded, ReceiptApproved};
use super::membership;
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
