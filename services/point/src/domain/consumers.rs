//! What point does when other services' events arrive (outbox consumers, typed).

use sbm_auth::domain::events::MemberRegistered;
use sbm_cluster::domain::events::{BadgeAwarded, BadgeRevoked};
use sbm_common::clock::Clock;
use sbm_common::events::{EventMeta, Handler};
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

/// Credits a badge's reward points when `badge.awarded` arrives (source `badge`, the award id
/// as external id: exactly once). A member deleted meanwhile gets nothing.
pub struct BadgeReward {
    pub clock: Clock,
}

#[async_trait::async_trait]
impl Handler for BadgeReward {
    type Event = BadgeAwarded;
    const NAME: &'static str = "point.badge-reward";

    async fn handle(&self, txn: &DatabaseTransaction, meta: &EventMeta, e: BadgeAwarded) -> anyhow::Result<()> {
        let Some(points) = e.reward_points.filter(|p| *p > 0) else {
            return Ok(());
        };
        let m = Meta {
            reason: format!("Badge `{}`", e.badge_code),
            source: BADGE_SOURCE.into(),
            external_id: Some(e.award_id.clone()),
            metadata: serde_json::json!({"badgeId": e.badge_id, "seq": e.seq, "eventId": meta.id}),
            created_by: Some("system".into()),
        };
        let what = EarnSource::Points {
            points,
            expires_at: None,
        };
        match ledger::book_earn(txn, &e.member_id, what, &m, self.clock.now()).await {
            Ok(_) => Ok(()),
            Err(LedgerError::MemberNotFound | LedgerError::MemberAnonymised) => {
                tracing::info!(member = %e.member_id, award = %e.award_id, "badge reward skipped: member gone");
                Ok(())
            }
            Err(err) => Err(err.into()),
        }
    }
}

/// Reverses what a revoked award credited (what is left of it: points already spent stay
/// spent), once.
pub struct BadgeRewardRevoked {
    pub clock: Clock,
}

#[async_trait::async_trait]
impl Handler for BadgeRewardRevoked {
    type Event = BadgeRevoked;
    const NAME: &'static str = "point.badge-reward-revoked";

    async fn handle(&self, txn: &DatabaseTransaction, _meta: &EventMeta, e: BadgeRevoked) -> anyhow::Result<()> {
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
        match ledger::book_reverse(txn, &earned.id, None, &m, self.clock.now()).await {
            Ok(_) => Ok(()),
            // Nothing left to take back (spent or expired), or the member is gone.
            Err(
                LedgerError::ReverseOutOfRange { .. }
                | LedgerError::Insufficient { .. }
                | LedgerError::MemberNotFound
                | LedgerError::MemberAnonymised,
            ) => {
                tracing::info!(award = %e.award_id, "badge revoked; its points could not be taken back");
                Ok(())
            }
            Err(err) => Err(err.into()),
        }
    }
}
