//! The events the cluster service emits, one type per topic, written to the outbox in the
//! transaction of the change they announce. Field names and topics must not change.
//!
//! | topic | type | emitted by |
//! |---|---|---|
//! | `tier.changed` | [`TierChanged`] | an upgrade, a downgrade, an override set or ended, a reassignment |
//! | `tier.downgrade_warning` | [`TierDowngradeWarning`] | the evaluation job, N days before an evaluation that would demote |
//! | `member.interests_updated` | [`MemberInterestsUpdated`] | a member's interests replaced |
//! | `badge.awarded` | [`BadgeAwarded`] | a badge earned by progress, or awarded by staff |
//! | `badge.revoked` | [`BadgeRevoked`] | staff revoked an award |

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use sbm_common::events::{DomainEvent, emit};

/// `tier.changed`: a member's tier changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TierChanged {
    pub member_id: String,
    pub from_tier_id: Option<String>,
    pub from_tier_code: Option<String>,
    pub to_tier_id: String,
    pub to_tier_code: String,
    /// `up` or `down` the ladder (`same` never: no event when the tier stays).
    pub direction: String,
    /// `qualified`, `downgrade`, `override`, `override_expired`, `override_removed` or
    /// `reassigned`.
    pub reason: String,
    /// `auto` or `manual`.
    pub source: String,
    /// The qualifying value that decided it, for automatic changes.
    pub qualifying_value: Option<i64>,
    pub valid_until: Option<DateTime<Utc>>,
    pub at: DateTime<Utc>,
}

impl DomainEvent for TierChanged {
    const TOPIC: &'static str = "tier.changed";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}

/// `tier.downgrade_warning`: the member will be demoted at `evaluatesAt` unless the window
/// reaches `threshold` (it would hold `projectedValue` then, counting what rolls out of it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TierDowngradeWarning {
    pub member_id: String,
    pub tier_id: String,
    pub tier_code: String,
    pub to_tier_code: String,
    pub evaluates_at: DateTime<Utc>,
    pub metric: String,
    pub threshold: i64,
    pub projected_value: i64,
    pub needed: i64,
    pub at: DateTime<Utc>,
}

impl DomainEvent for TierDowngradeWarning {
    const TOPIC: &'static str = "tier.downgrade_warning";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}

/// `member.interests_updated`: a member replaced their interests.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberInterestsUpdated {
    pub member_id: String,
    pub interest_codes: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub at: DateTime<Utc>,
}

impl DomainEvent for MemberInterestsUpdated {
    const TOPIC: &'static str = "member.interests_updated";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}

/// `badge.awarded`: a member earned a badge (automatically or by hand). The point service
/// credits `rewardPoints` from it, with source `badge` and the award id as external id, once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgeAwarded {
    pub award_id: String,
    pub badge_id: String,
    pub badge_code: String,
    pub member_id: String,
    /// 1 for the first award, 2 for a repeatable badge's second, …
    pub seq: i32,
    /// `auto` or `manual`.
    pub source: String,
    pub reward_points: Option<i64>,
    pub at: DateTime<Utc>,
}

impl DomainEvent for BadgeAwarded {
    const TOPIC: &'static str = "badge.awarded";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}

/// `badge.revoked`: staff revoked an award. The point service reverses what the award credited.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgeRevoked {
    pub award_id: String,
    pub badge_id: String,
    pub badge_code: String,
    pub member_id: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}

impl DomainEvent for BadgeRevoked {
    const TOPIC: &'static str = "badge.revoked";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}
