//! The one place a point domain error becomes an HTTP status and message.

use axum::http::StatusCode;
use sbm_common::ApiError;
use sbm_common::error::FieldError;

use crate::domain::error::{LedgerError, ReceiptError, RuleError, TicketError};

impl From<LedgerError> for ApiError {
    fn from(e: LedgerError) -> Self {
        let message = e.to_string();
        match e {
            LedgerError::TransactionNotFound => ApiError::not_found("Transaction"),
            LedgerError::MemberNotFound => ApiError::not_found("Member"),
            LedgerError::MemberAnonymised | LedgerError::NotReversible(_) | LedgerError::OwnedElsewhere(_) => {
                ApiError::conflict(message)
            }
            LedgerError::NotPositive => ApiError::field("points", "must be positive"),
            LedgerError::Insufficient { balance, requested } => {
                let mut err = ApiError::unprocessable(message);
                err.errors = vec![FieldError::new(
                    "points",
                    format!("exceeds the available balance by {}", requested - balance),
                )];
                err
            }
            LedgerError::ReverseOutOfRange { left } => {
                let mut err = ApiError::unprocessable(message);
                err.errors = vec![FieldError::new("points", format!("must be between 1 and {left}"))];
                err
            }
            LedgerError::DuplicateExternalId => ApiError::field(
                "externalId",
                "was already used for another transaction from this source",
            )
            .with_status(409),
            LedgerError::BalanceLimit => ApiError::unprocessable(message),
            LedgerError::Inconsistent(_) => ApiError::internal(message),
            LedgerError::Rule(e) => e.into(),
            LedgerError::List(e) => e.into(),
            LedgerError::Db(e) => e.into(),
        }
    }
}

impl From<RuleError> for ApiError {
    fn from(e: RuleError) -> Self {
        match e {
            RuleError::NotFound => ApiError::not_found("Point rule"),
            RuleError::Invalid(errors) => ApiError::validation(errors),
            RuleError::CodeTaken => ApiError::field("code", "is already used by another rule").with_status(409),
            RuleError::Managed => ApiError::conflict(e.to_string()),
            RuleError::Corrupt { .. } => ApiError::internal(e),
            RuleError::List(e) => e.into(),
            RuleError::Db(e) => e.into(),
        }
    }
}

impl From<ReceiptError> for ApiError {
    fn from(e: ReceiptError) -> Self {
        match e {
            ReceiptError::NotFound => ApiError::not_found("Receipt"),
            ReceiptError::ImageNotFound => ApiError::not_found("Receipt image"),
            ReceiptError::UnsupportedImage => ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, e.to_string()),
            ReceiptError::DuplicateNumber => {
                ApiError::field("receiptNumber", "this receipt was already submitted for this store").with_status(409)
            }
            ReceiptError::DuplicateImage => {
                ApiError::field("image", "this image was already submitted").with_status(409)
            }
            ReceiptError::NotPending(_) => ApiError::conflict(e.to_string()),
            ReceiptError::Ledger(e) => e.into(),
            ReceiptError::Rule(e) => e.into(),
            ReceiptError::List(e) => e.into(),
            ReceiptError::Db(e) => e.into(),
        }
    }
}

impl From<TicketError> for ApiError {
    fn from(e: TicketError) -> Self {
        match e {
            TicketError::NotFound => ApiError::not_found("Point request ticket"),
            TicketError::PointsRequired => {
                ApiError::field("points", "is required: the ticket names no requested points")
            }
            TicketError::Illegal { .. } => ApiError::conflict(e.to_string()),
            TicketError::Ledger(e) => e.into(),
            TicketError::List(e) => e.into(),
            TicketError::Db(e) => e.into(),
        }
    }
}
