//! The events the point service emits, one type per topic, written to the outbox in the
//! transaction of the change they announce. The JSON of each is what consumers and clients
//! read: field names and topics must not change.
//!
//! | topic | type | emitted by |
//! |---|---|---|
//! | `points.earned` | [`PointsEarned`] | earn (explicit, rules, receipt, ticket, registration bonus) |
//! | `points.spent` | [`PointsSpent`] | spend |
//! | `points.adjusted` | [`PointsAdjusted`] | staff adjustment, either way |
//! | `points.expired` | [`PointsExpired`] | expiry of due lots |
//! | `points.reversed` | [`PointsReversed`] | reversal of an earn or a spend |
//! | `receipt.submitted` | [`ReceiptSubmitted`] | receipt upload |
//! | `receipt.approved` | [`ReceiptApproved`] | receipt approval |
//! | `receipt.rejected` | [`ReceiptRejected`] | receipt rejection |
//! | `purchase.recorded` | [`PurchaseRecorded`] | an earn by a purchase, worth points or not |
//! | `action.performed` | [`ActionPerformed`] | an earn by a named action, worth points or not |
//! | `points.expiring` | [`PointsExpiring`] | the expiry-warning job, once per lot, N days before it expires |
//! | `ticket.created` | [`TicketCreated`] | a member filed a point request ticket |
//! | `ticket.approved` | [`TicketApproved`] | staff approved it (the earn is its own `points.earned`) |
//! | `ticket.rejected` | [`TicketRejected`] | staff rejected it |
//! | `ticket.cancelled` | [`TicketCancelled`] | the member withdrew it |

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use sbm_common::events::DomainEvent;

/// Writes an event in the caller's transaction.
pub(crate) async fn emit<E: DomainEvent>(
    db: &impl ConnectionTrait,
    event: &E,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    sbm_common::events::emit(db, event, now).await
}

/// Points a movement put into or took from one lot. `expiresAt` is present (possibly null)
/// where the lot's expiry matters to the reader: on earns and expiries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LotMove {
    pub lot_id: String,
    pub points: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Option<DateTime<Utc>>>,
}

macro_rules! member_event {
    ($ty:ty, $topic:literal) => {
        impl DomainEvent for $ty {
            const TOPIC: &'static str = $topic;
            fn aggregate_id(&self) -> String {
                self.member_id.clone()
            }
        }
    };
}

/// `points.earned`: an earn was booked.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PointsEarned {
    pub transaction_id: String,
    pub member_id: String,
    pub points: i64,
    pub balance: i64,
    pub source: String,
    pub external_id: Option<String>,
    pub reason: String,
    pub lots: Vec<LotMove>,
    /// The per-rule breakdown, when rules computed the points.
    pub breakdown: Option<Value>,
    pub at: DateTime<Utc>,
}
member_event!(PointsEarned, "points.earned");

/// `points.spent`: a spend was booked (`points` is negative).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PointsSpent {
    pub transaction_id: String,
    pub member_id: String,
    pub points: i64,
    pub balance: i64,
    pub source: String,
    pub external_id: Option<String>,
    pub reason: String,
    pub lots: Vec<LotMove>,
    pub at: DateTime<Utc>,
}
member_event!(PointsSpent, "points.spent");

/// `points.adjusted`: staff corrected a balance, either way (`points` is signed).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PointsAdjusted {
    pub transaction_id: String,
    pub member_id: String,
    pub points: i64,
    pub balance: i64,
    pub source: String,
    pub external_id: Option<String>,
    pub reason: String,
    pub lots: Vec<LotMove>,
    /// Present (null) on credits, absent on debits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<Option<Value>>,
    pub at: DateTime<Utc>,
}
member_event!(PointsAdjusted, "points.adjusted");

/// `points.expired`: due lots expired (`points` is the positive amount that expired).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PointsExpired {
    pub transaction_id: String,
    pub member_id: String,
    pub points: i64,
    pub balance: i64,
    pub lots: Vec<LotMove>,
    pub expired_at: DateTime<Utc>,
}
member_event!(PointsExpired, "points.expired");

/// `points.reversed`: an earn or a spend was reversed, fully or in part (`points` is the
/// signed change to the balance).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PointsReversed {
    pub transaction_id: String,
    pub original_transaction_id: String,
    pub original_type: String,
    pub member_id: String,
    pub points: i64,
    pub balance: i64,
    pub reason: String,
    pub lots: Vec<LotMove>,
    pub at: DateTime<Utc>,
}
member_event!(PointsReversed, "points.reversed");

/// `receipt.submitted`: a member uploaded a receipt.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptSubmitted {
    pub receipt_id: String,
    pub member_id: String,
    pub estimated_points: i64,
}
member_event!(ReceiptSubmitted, "receipt.submitted");

/// `receipt.approved`: staff approved a receipt (`points` may be 0 when no rule applied).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptApproved {
    pub receipt_id: String,
    pub member_id: String,
    pub amount: i64,
    pub points: i64,
}
member_event!(ReceiptApproved, "receipt.approved");

/// `receipt.rejected`: staff rejected a receipt.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptRejected {
    pub receipt_id: String,
    pub member_id: String,
    pub reason: String,
}
member_event!(ReceiptRejected, "receipt.rejected");

/// `purchase.recorded`: a purchase was recorded (with the earn it gave, if any).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseRecorded {
    pub purchase_id: String,
    pub member_id: String,
    /// Minor units of `currency`.
    pub amount: i64,
    pub currency: String,
    pub store_id: Option<String>,
    pub store_category: Option<String>,
    pub purchased_at: DateTime<Utc>,
    pub source: String,
    pub external_id: Option<String>,
    pub transaction_id: Option<String>,
    pub points: i64,
}
member_event!(PurchaseRecorded, "purchase.recorded");

/// `action.performed`: a member performed a named action (an earn with `action`), with the
/// earn it gave, if any.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionPerformed {
    pub member_id: String,
    pub action: String,
    pub source: String,
    pub external_id: Option<String>,
    pub transaction_id: Option<String>,
    pub points: i64,
    pub at: DateTime<Utc>,
}
member_event!(ActionPerformed, "action.performed");

/// `points.expiring`: some of the member's points expire soon (each lot is told once).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PointsExpiring {
    pub member_id: String,
    /// The points of the lots told about now.
    pub points: i64,
    /// When the first of them expires.
    pub expires_at: DateTime<Utc>,
    pub lots: Vec<LotMove>,
    pub at: DateTime<Utc>,
}
member_event!(PointsExpiring, "points.expiring");

/// `ticket.created`: a member filed a point request ticket.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketCreated {
    pub ticket_id: String,
    pub member_id: String,
    pub requested_points: Option<i64>,
    pub at: DateTime<Utc>,
}
member_event!(TicketCreated, "ticket.created");

/// `ticket.approved`: staff approved a ticket and credited `points`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketApproved {
    pub ticket_id: String,
    pub member_id: String,
    pub points: i64,
    pub transaction_id: String,
    pub at: DateTime<Utc>,
}
member_event!(TicketApproved, "ticket.approved");

/// `ticket.rejected`: staff rejected a ticket.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketRejected {
    pub ticket_id: String,
    pub member_id: String,
    pub reason: String,
    pub at: DateTime<Utc>,
}
member_event!(TicketRejected, "ticket.rejected");

/// `ticket.cancelled`: the member withdrew its ticket.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketCancelled {
    pub ticket_id: String,
    pub member_id: String,
    pub at: DateTime<Utc>,
}
member_event!(TicketCancelled, "ticket.cancelled");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lot_moves_keep_their_shapes() {
        let spent = LotMove {
            lot_id: "l".into(),
            points: 3,
            expires_at: None,
        };
        assert_eq!(
            serde_json::to_value(&spent).unwrap(),
            serde_json::json!({"lotId": "l", "points": 3})
        );
        let earned = LotMove {
            expires_at: Some(None),
            ..spent
        };
        assert_eq!(
            serde_json::to_value(&earned).unwrap(),
            serde_json::json!({"lotId": "l", "points": 3, "expiresAt": null})
        );
    }
}

/// Cluster reads point's events through its own views (it sits below point and cannot name
/// these types): each event must parse as cluster's view of it, so renaming a field here
/// fails this build instead of cluster's consumer in production.
#[cfg(test)]
mod contract {
    use super::*;
    use sbm_cluster::domain::inbound;

    fn round<T: Serialize, V: serde::de::DeserializeOwned>(event: &T) -> V {
        serde_json::from_value(serde_json::to_value(event).unwrap()).expect("cluster's view parses point's event")
    }

    #[test]
    fn clusters_views_parse_points_events() {
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let earned = PointsEarned {
            transaction_id: "t1".into(),
            member_id: "m".into(),
            points: 5,
            balance: 5,
            source: "api".into(),
            external_id: None,
            reason: "r".into(),
            lots: vec![],
            breakdown: None,
            at,
        };
        let v: inbound::PointsEarned = round(&earned);
        assert_eq!((v.transaction_id.as_str(), v.points, v.at), ("t1", 5, at));
        let reversed = PointsReversed {
            transaction_id: "t2".into(),
            original_transaction_id: "t1".into(),
            original_type: "earn".into(),
            member_id: "m".into(),
            points: -5,
            balance: 0,
            reason: "r".into(),
            lots: vec![],
            at,
        };
        let v: inbound::PointsReversed = round(&reversed);
        assert_eq!(
            (v.original_transaction_id.as_str(), v.original_type.as_str(), v.points),
            ("t1", "earn", -5)
        );
        let purchase = PurchaseRecorded {
            purchase_id: "p".into(),
            member_id: "m".into(),
            amount: 100,
            currency: "THB".into(),
            store_id: Some("s".into()),
            store_category: None,
            purchased_at: at,
            source: "pos".into(),
            external_id: None,
            transaction_id: None,
            points: 0,
        };
        let v: inbound::PurchaseRecorded = round(&purchase);
        assert_eq!((v.amount, v.currency.as_str(), v.purchased_at), (100, "THB", at));
        let receipt = ReceiptApproved {
            receipt_id: "r".into(),
            member_id: "m".into(),
            amount: 700,
            points: 7,
        };
        let action = ActionPerformed {
            member_id: "m".into(),
            action: "checkin".into(),
            source: "app".into(),
            external_id: None,
            transaction_id: None,
            points: 0,
            at,
        };
        let v: inbound::ActionPerformed = round(&action);
        assert_eq!((v.action.as_str(), v.at), ("checkin", at));
        assert_eq!(ActionPerformed::TOPIC, inbound::ACTION_PERFORMED);
        let v: inbound::ReceiptApproved = round(&receipt);
        assert_eq!((v.amount, v.member_id.as_str()), (700, "m"));
        assert_eq!(
            [
                PointsEarned::TOPIC,
                PointsReversed::TOPIC,
                PurchaseRecorded::TOPIC,
                ReceiptApproved::TOPIC
            ],
            [
                inbound::POINTS_EARNED,
                inbound::POINTS_REVERSED,
                inbound::PURCHASE_RECORDED,
                inbound::RECEIPT_APPROVED
            ]
        );
    }
}
