//! The events the reward service emits, one type per topic, written to the outbox in the
//! transaction of the change they announce. Field names and topics must not change.
//!
//! | topic | type | emitted by |
//! |---|---|---|
//! | `redemption.created` | [`RedemptionCreated`] | a redemption (points spent, stock or code taken) |
//! | `redemption.used` | [`RedemptionUsed`] | the till marked it used |
//! | `redemption.cancelled` | [`RedemptionCancelled`] | the member or staff cancelled it (points refunded) |
//! | `redemption.expired` | [`RedemptionExpired`] | the sweep: a claimed voucher passed its life |

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use sbm_common::events::{DomainEvent, emit, insert_statement};

/// `redemption.created`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedemptionCreated {
    pub redemption_id: String,
    pub member_id: String,
    pub reward_id: String,
    pub reward_code: String,
    pub points_cost: i64,
    /// The spend entry in the point ledger (none for a free reward).
    pub spend_transaction_id: Option<String>,
    pub code: Option<String>,
    pub store_id: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub at: DateTime<Utc>,
}

impl DomainEvent for RedemptionCreated {
    const TOPIC: &'static str = "redemption.created";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}

/// `redemption.used`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedemptionUsed {
    pub redemption_id: String,
    pub member_id: String,
    pub reward_id: String,
    pub reward_code: String,
    pub code: Option<String>,
    pub store_id: Option<String>,
    pub used_by: Option<String>,
    pub at: DateTime<Utc>,
}

impl DomainEvent for RedemptionUsed {
    const TOPIC: &'static str = "redemption.used";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}

/// `redemption.cancelled`: the points went back (a reversal of the spend) and the stock too.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedemptionCancelled {
    pub redemption_id: String,
    pub member_id: String,
    pub reward_id: String,
    pub reward_code: String,
    pub points_refunded: i64,
    pub refund_transaction_id: Option<String>,
    /// The status it was cancelled from (`claimed`, or `used` by staff).
    pub from_status: String,
    pub cancelled_by: Option<String>,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

impl DomainEvent for RedemptionCancelled {
    const TOPIC: &'static str = "redemption.cancelled";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}

/// `redemption.expired`: a claimed voucher passed its life unused (no refund).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedemptionExpired {
    pub redemption_id: String,
    pub member_id: String,
    pub reward_id: String,
    pub reward_code: String,
    pub expires_at: DateTime<Utc>,
    pub at: DateTime<Utc>,
}

impl DomainEvent for RedemptionExpired {
    const TOPIC: &'static str = "redemption.expired";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}
