//! Events the auth service emits, one type per topic. Topic names and JSON fields are a
//! contract with consumers (point's registration bonus, future notification projections).

use chrono::{DateTime, Utc};
use sbm_common::events::DomainEvent;
use serde::{Deserialize, Serialize};

/// `member.registered`: a member was created (WeChat login, POS or staff enrolment).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberRegistered {
    pub member_id: String,
    pub member_code: String,
    /// `wechat`, `pos` or `staff`.
    pub source: String,
    pub store_id: Option<String>,
    pub registered_at: DateTime<Utc>,
    /// Contact facts the notification service addresses the member with.
    pub email: Option<String>,
    pub locale: String,
    pub first_name: String,
}

impl DomainEvent for MemberRegistered {
    const TOPIC: &'static str = "member.registered";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}

/// `member.updated`: profile fields changed (named in `changed`, API spelling), with the
/// contact facts as they now are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberUpdated {
    pub member_id: String,
    pub changed: Vec<String>,
    pub email: Option<String>,
    pub locale: String,
    pub first_name: String,
}

impl DomainEvent for MemberUpdated {
    const TOPIC: &'static str = "member.updated";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}

/// `member.anonymized`: personal data erased (GDPR delete).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberAnonymized {
    pub member_id: String,
    pub anonymized_at: DateTime<Utc>,
}

impl DomainEvent for MemberAnonymized {
    const TOPIC: &'static str = "member.anonymized";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}

/// `member.consent_recorded`: a member accepted or refused a document version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberConsentRecorded {
    pub member_id: String,
    pub document_id: String,
    pub kind: String,
    pub version: i32,
    pub accepted: bool,
}

impl DomainEvent for MemberConsentRecorded {
    const TOPIC: &'static str = "member.consent_recorded";
    fn aggregate_id(&self) -> String {
        self.member_id.clone()
    }
}

/// `consent.document_published`: a new version of a legal document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentDocumentPublished {
    pub document_id: String,
    pub kind: String,
    pub version: i32,
}

impl DomainEvent for ConsentDocumentPublished {
    const TOPIC: &'static str = "consent.document_published";
    fn aggregate_id(&self) -> String {
        self.document_id.clone()
    }
}

/// `staff.password_reset_requested`: a staff member asked for a reset link. It carries the
/// link (single use, expiring) for the mail action that sends it, sealed
/// (`sbm_common::events::seal_field`): the outbox holds no working link, and auth's tables
/// only its token's hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StaffPasswordResetRequested {
    pub staff_id: String,
    pub email: String,
    pub name: String,
    /// Sealed.
    pub reset_url: String,
    pub expires_at: DateTime<Utc>,
}

impl DomainEvent for StaffPasswordResetRequested {
    const TOPIC: &'static str = "staff.password_reset_requested";
    fn aggregate_id(&self) -> String {
        self.staff_id.clone()
    }
}

/// `staff.password_reset_completed`: the password was set through a reset link; the
/// account's sessions ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StaffPasswordResetCompleted {
    pub staff_id: String,
    pub email: String,
    pub at: DateTime<Utc>,
}

impl DomainEvent for StaffPasswordResetCompleted {
    const TOPIC: &'static str = "staff.password_reset_completed";
    fn aggregate_id(&self) -> String {
        self.staff_id.clone()
    }
}
