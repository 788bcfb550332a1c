//! What point does when other services' events arrive (outbox consumers, typed).

use chrono::{DateTime, Utc};
use sbm_auth::domain::events::MemberRegistered;
use sbm_cluster::domain::events::{BadgeAwarded, BadgeRevoked};
use sbm_common::clock::Clock;
use sbm_common::events::{DomainEvent, EventMeta, Handler};
use sbm_common::outbox::{Consumer, Event};
use sea_orm::DatabaseTransaction;

use super::error::LedgerError;
use super::ledger::{self, EarnSource, Meta};

/// The ledger source of badge rewards; the award id is the external id, so an award is
/// credited once however often its event arrives.
pub const BADGE_SOURCE: &str = "badge";

/// Gives the registration bonus: applies the active `registration` action rules once per
/// member when `member.registered` arrives.
pub struct RegistrationBonus {
    pub clock: Clock,
}

#[async_trait::async_trait]
impl Handler for RegistrationBonus {
    type Event = MemberRegistered;
    const NAME: &'static str = "point.registration-bonus";

    async fn handle(&self, txn: &DatabaseTransaction, meta: &EventMeta, event: MemberRegistered) -> anyhow::Result<()> {
        ledger::registration_bonus(txn, &event.member_id, meta.id, self.clock.now()).await?;
        Ok(())
    }
}

/// Badge rewards: credits `rewardPoints` when `badge.awarded` arrives (source `badge`, the
/// award id as external id: exactly once) and takes back what is left of it when
/// `badge.revoked` arrives. One consumer for both topics, so a revoke is always applied after
/// its award. A member deleted meanwhile gets nothing.
pub struct BadgeRewards {
    pub clock: Clock,
}

const BADGE_TOPICS: [&str; 2] = [BadgeAwarded::TOPIC, BadgeRevoked::TOPIC];

fn parse<T: serde::de::DeserializeOwned>(event: &Event) -> anyhow::Result<T> {
    serde_json::from_value(event.payload.clone())
        .map_err(|e| anyhow::anyhow!("event {} ({}): payload does not parse: {e}", event.id, event.topic))
}

#[async_trait::async_trait]
impl Consumer for BadgeRewards {
    fn name(&self) -> &str {
        "point.badge-rewards"
    }
    fn topics(&self) -> &[&str] {
        &BADGE_TOPICS
    }
    async fn handle(&self, txn: &DatabaseTransaction, event: &Event) -> anyhow::Result<()> {
        let now = self.clock.now();
        if event.topic == BadgeAwarded::TOPIC {
            let e: BadgeAwarded = parse(event)?;
            credit(txn, &e, event.id, now).await
        } else {
            let e: BadgeRevoked = parse(event)?;
            take_back(txn, &e, now).await
        }
    }
}

async fn credit(txn: &DatabaseTransaction, e: &BadgeAwarded, event_id: i64, now: DateTime<Utc>) -> anyhow::Result<()> {
    let Some(points) = e.reward_points.filter(|p| *p > 0) else {
        return Ok(());
    };
    let m = Meta {
        reason: format!("Badge `{}`", e.badge_code),
        source: BADGE_SOURCE.into(),
        external_id: Some(e.award_id.clone()),
        metadata: serde_json::json!({"badgeId": e.badge_id, "seq": e.seq, "eventId": event_id}),
        created_by: Some("system".into()),
    };
    let what = EarnSource::Points {
        points,
        expires_at: None,
    };
    match ledger::book_earn(txn, &e.member_id, what, &m, now).await {
        Ok(_) => Ok(()),
        Err(LedgerError::MemberNotFound | LedgerError::MemberAnonymised) => {
            tracing::info!(member = %e.member_id, award = %e.award_id, "badge reward skipped: member gone");
            Ok(())
        }
        Err(err) => Err(err.into()),
    }
}

async fn take_back(txn: &DatabaseTransaction, e: &BadgeRevoked, now: DateTime<Utc>) -> anyhow::Result<()> {
    let Some(earned) = ledger::find_external(txn, BADGE_SOURCE, &e.award_id).await? else {
        return Ok(());
    };
    let m = Meta {
        reason: format!("Badge `{}` revoked: {}", e.badge_code, e.reason),
        source: "badge-revoke".into(),
        external_id: Some(e.award_id.clone()),
        metadata: serde_json::json!({"badgeId": e.badge_id}),
        created_by: Some("system".into()),
    };
    let mut points = None;
    // What is left of the credit: all of it, or as much as the balance still holds.
    for _ in 0..2 {
        match ledger::book_reverse(txn, &earned.id, points, &m, now).await {
            Ok(_) => return Ok(()),
            Err(LedgerError::Insufficient { balance, .. }) if balance > 0 && points.is_none() => {
                points = Some(balance);
            }
            Err(
                LedgerError::Insufficient { .. }
                | LedgerError::ReverseOutOfRange { .. }
                | LedgerError::MemberNotFound
                | LedgerError::MemberAnonymised,
            ) => break,
            Err(err) => return Err(err.into()),
        }
    }
    tracing::info!(award = %e.award_id, "badge revoked; its points could not all be taken back");
    Ok(())
}
