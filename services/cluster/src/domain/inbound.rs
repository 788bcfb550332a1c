//! The events cluster consumes, as cluster reads them.
//!
//! Cluster sits below point in the dependency direction, so it cannot name point's event
//! types. Each view here is the subset of a topic's JSON that cluster needs (serde ignores
//! the rest); point's tests parse its own events through these views, so a field point
//! renames breaks point's build, not cluster's consumer at run time.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `points.earned`, as tier qualification reads it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PointsEarned {
    pub transaction_id: String,
    pub member_id: String,
    pub points: i64,
    /// `badge` for a badge's own reward (badges do not count it: no award feeds another).
    pub source: String,
    pub at: DateTime<Utc>,
}

/// `points.reversed`: an earn's reversal lowers the points earned.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PointsReversed {
    pub transaction_id: String,
    pub original_transaction_id: String,
    /// `earn` or `spend`.
    pub original_type: String,
    pub member_id: String,
    /// The signed change to the balance (negative for an earn's reversal).
    pub points: i64,
    pub at: DateTime<Utc>,
}

/// `purchase.recorded`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseRecorded {
    pub purchase_id: String,
    pub member_id: String,
    pub amount: i64,
    pub currency: String,
    pub store_id: Option<String>,
    pub store_category: Option<String>,
    pub purchased_at: DateTime<Utc>,
    /// What the purchase earned (0 when nothing).
    pub points: i64,
}

/// `receipt.approved` (receipts carry no currency: the platform's default, `THB`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptApproved {
    pub receipt_id: String,
    pub member_id: String,
    pub amount: i64,
    pub points: i64,
}

/// `action.performed`: an earn by a named action.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionPerformed {
    pub member_id: String,
    pub action: String,
    pub source: String,
    /// A retried earn repeats it (an action worth nothing is not deduplicated by the ledger).
    pub external_id: Option<String>,
    pub points: i64,
    pub at: DateTime<Utc>,
}

/// The topics tier evaluation and badges consume.
pub const POINTS_EARNED: &str = "points.earned";
pub const POINTS_REVERSED: &str = "points.reversed";
pub const PURCHASE_RECORDED: &str = "purchase.recorded";
pub const RECEIPT_APPROVED: &str = "receipt.approved";
pub const ACTION_PERFORMED: &str = "action.performed";
