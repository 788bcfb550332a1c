//! Typed failures of the point domain, one enum per area. None of them knows about HTTP:
//! `api/error.rs` turns each into a status and a message, once.

use sbm_common::ListError;
use sbm_common::error::FieldError;
use sea_orm::DbErr;

/// Failures of the rule store.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("Point rule not found")]
    NotFound,
    /// The spec breaks the rules of [`RuleSpec::validate`](super::rules::RuleSpec::validate).
    #[error("invalid rule: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("the rule code is already used by another rule")]
    CodeTaken,
    /// The rule belongs to a `PointRule` resource of the Kubernetes operator.
    #[error("This rule is managed by the Kubernetes operator (a PointRule resource); change the resource instead")]
    Managed,
    /// A stored spec that does not parse: the row was written by something else.
    #[error("stored rule {id} is unreadable: {cause}")]
    Corrupt { id: String, cause: String },
    /// A list query the list does not accept.
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Failures of ledger operations (earn, spend, reverse, adjust, expiry, balance).
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("Transaction not found")]
    TransactionNotFound,
    #[error("Member not found")]
    MemberNotFound,
    #[error("This member was deleted (anonymised)")]
    MemberAnonymised,
    #[error("points must be positive")]
    NotPositive,
    #[error("Insufficient points: balance {balance}, requested {requested}, short by {}", requested - balance)]
    Insufficient { balance: i64, requested: i64 },
    #[error("A `{0}` entry cannot be reversed")]
    NotReversible(String),
    #[error("This transaction has {left} points left to reverse")]
    ReverseOutOfRange { left: i64 },
    /// The entry belongs to another service's flow (a redemption's spend): undo it there.
    #[error("Entries from source `{0}` are reversed by their owner (cancel the redemption instead)")]
    OwnedElsewhere(String),
    /// The `(source, externalId)` pair names another member's or another kind of movement.
    #[error("externalId was already used for another transaction from this source")]
    DuplicateExternalId,
    /// The credit would take the balance (or the lifetime total) past [`MAX_BALANCE`].
    ///
    /// [`MAX_BALANCE`]: super::ledger::MAX_BALANCE
    #[error(
        "This credit would take the member's balance past the platform maximum of {} points",
        super::ledger::MAX_BALANCE
    )]
    BalanceLimit,
    /// Balance and lots disagree: a bug, never the caller's fault.
    #[error("ledger inconsistent: {0}")]
    Inconsistent(String),
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// A list query the list does not accept.
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Failures of receipt submission and review.
#[derive(Debug, thiserror::Error)]
pub enum ReceiptError {
    #[error("Receipt not found")]
    NotFound,
    #[error("Receipt image not found")]
    ImageNotFound,
    #[error("The image must be a JPEG, PNG or PDF file")]
    UnsupportedImage,
    #[error("this receipt was already submitted for this store")]
    DuplicateNumber,
    #[error("this image was already submitted")]
    DuplicateImage,
    /// Review of a receipt that is not pending any more.
    #[error("The receipt is {0} already")]
    NotPending(String),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// A list query the list does not accept.
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Failures of point request tickets.
#[derive(Debug, thiserror::Error)]
pub enum TicketError {
    #[error("Point request ticket not found")]
    NotFound,
    /// Approval without points, of a ticket that names none.
    #[error("points are required: the ticket names no requested points")]
    PointsRequired,
    /// A transition from a state other than `open`.
    #[error("A ticket that is {status} cannot be {action}")]
    Illegal { status: String, action: &'static str },
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// A list query the list does not accept.
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The unique constraints of the point tables, under both backends' spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    /// `point_transactions (source, external_id)`.
    ExternalId,
    /// `receipts (store_id, receipt_number)`.
    ReceiptNumber,
    /// `receipts (image_sha256)`.
    ReceiptImage,
    /// `point_rules (code)`.
    RuleCode,
    /// `purchases (source, external_id)`.
    PurchaseExternalId,
}

const UNIQUES: &[(&str, &str, Unique)] = &[
    (
        "point_transactions_source_external_id_key",
        "point_transactions.source, point_transactions.external_id",
        Unique::ExternalId,
    ),
    (
        "receipts_store_id_receipt_number_key",
        "receipts.store_id, receipts.receipt_number",
        Unique::ReceiptNumber,
    ),
    (
        "receipts_image_sha256_key",
        "receipts.image_sha256",
        Unique::ReceiptImage,
    ),
    ("point_rules_code_key", "point_rules.code", Unique::RuleCode),
    (
        "purchases_source_external_id_key",
        "purchases.source, purchases.external_id",
        Unique::PurchaseExternalId,
    ),
];

/// Which of the point tables' unique constraints `err` violates, if any.
pub fn violated(err: &DbErr) -> Option<Unique> {
    let name = sbm_common::db::unique_violation(err)?;
    UNIQUES
        .iter()
        .find(|(pg, lite, _)| name == *pg || name == *lite)
        .map(|(_, _, u)| *u)
}
