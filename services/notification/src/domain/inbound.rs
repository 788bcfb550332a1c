//! The events notification reads, as it reads them.
//!
//! Notification depends on `common` only, so it cannot name the emitting services' event
//! types. Each view is the subset of a topic's JSON the inbox needs (serde ignores the rest);
//! the HTTP suite drives the real services and checks what lands in the inbox, so a field an
//! emitter renames fails there.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const POINTS_EARNED: &str = "points.earned";
pub const POINTS_SPENT: &str = "points.spent";
pub const POINTS_EXPIRED: &str = "points.expired";
pub const TIER_CHANGED: &str = "tier.changed";
pub const TIER_DOWNGRADE_WARNING: &str = "tier.downgrade_warning";
pub const BADGE_AWARDED: &str = "badge.awarded";
pub const REDEMPTION_CREATED: &str = "redemption.created";
pub const REDEMPTION_USED: &str = "redemption.used";
pub const REDEMPTION_CANCELLED: &str = "redemption.cancelled";
pub const REDEMPTION_EXPIRED: &str = "redemption.expired";
pub const RECEIPT_APPROVED: &str = "receipt.approved";
pub const RECEIPT_REJECTED: &str = "receipt.rejected";
pub const POINTS_EXPIRING: &str = "points.expiring";
pub const TICKET_APPROVED: &str = "ticket.approved";
pub const TICKET_REJECTED: &str = "ticket.rejected";
pub const RECEIPT_SUBMITTED: &str = "receipt.submitted";
pub const TICKET_CREATED: &str = "ticket.created";
pub const TICKET_CANCELLED: &str = "ticket.cancelled";

pub const MEMBER_REGISTERED: &str = "member.registered";
pub const MEMBER_UPDATED: &str = "member.updated";
pub const MEMBER_ANONYMIZED: &str = "member.anonymized";
pub const MEMBER_INTERESTS_UPDATED: &str = "member.interests_updated";
pub const CONSENT_DOCUMENT_PUBLISHED: &str = "consent.document_published";
pub const STAFF_PASSWORD_RESET_REQUESTED: &str = "staff.password_reset_requested";
pub const STAFF_PASSWORD_RESET_COMPLETED: &str = "staff.password_reset_completed";

/// Every topic notification reads: those only the directory, mail and the real-time stream
/// use, then the inbox's ([`TOPICS`]). A mail action may name any.
pub const CONSUMED: [&str; 25] = [
    MEMBER_REGISTERED,
    MEMBER_UPDATED,
    MEMBER_ANONYMIZED,
    MEMBER_INTERESTS_UPDATED,
    CONSENT_DOCUMENT_PUBLISHED,
    STAFF_PASSWORD_RESET_REQUESTED,
    STAFF_PASSWORD_RESET_COMPLETED,
    RECEIPT_SUBMITTED,
    TICKET_CREATED,
    TICKET_CANCELLED,
    // The inbox's, from here on.
    POINTS_EARNED,
    POINTS_SPENT,
    POINTS_EXPIRED,
    TIER_CHANGED,
    TIER_DOWNGRADE_WARNING,
    BADGE_AWARDED,
    REDEMPTION_CREATED,
    REDEMPTION_USED,
    REDEMPTION_CANCELLED,
    REDEMPTION_EXPIRED,
    RECEIPT_APPROVED,
    RECEIPT_REJECTED,
    POINTS_EXPIRING,
    TICKET_APPROVED,
    TICKET_REJECTED,
];

/// Every topic the inbox is written from (each makes a notification).
pub const TOPICS: &[&str] = CONSUMED.split_at(10).1;

/// The topics a mail action may name.
pub const MAILABLE: &[&str] = &CONSUMED;

/// `points.expiring`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PointsExpiring {
    pub member_id: String,
    pub points: i64,
    pub expires_at: DateTime<Utc>,
}

/// `ticket.approved` and `ticket.rejected`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketDecided {
    pub ticket_id: String,
    pub member_id: String,
    #[serde(default)]
    pub points: Option<i64>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `points.earned`, `points.spent` (negative points) and `points.expired` (its own time field).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PointsMoved {
    pub transaction_id: String,
    pub member_id: String,
    pub points: i64,
    pub balance: i64,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TierChanged {
    pub member_id: String,
    pub from_tier_code: Option<String>,
    pub to_tier_code: String,
    /// `up` or `down`.
    pub direction: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TierDowngradeWarning {
    pub member_id: String,
    pub tier_code: String,
    pub to_tier_code: String,
    pub evaluates_at: DateTime<Utc>,
    pub needed: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BadgeAwarded {
    pub award_id: String,
    pub badge_code: String,
    pub member_id: String,
    #[serde(default)]
    pub reward_points: Option<i64>,
}

/// `redemption.created`, `.used`, `.cancelled`, `.expired`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedemptionChanged {
    pub redemption_id: String,
    pub member_id: String,
    pub reward_code: String,
    #[serde(default)]
    pub points_cost: Option<i64>,
    #[serde(default)]
    pub points_refunded: Option<i64>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptDecided {
    pub receipt_id: String,
    pub member_id: String,
    #[serde(default)]
    pub points: Option<i64>,
    #[serde(default)]
    pub reason: Option<String>,
}
