//! The one place a reward domain error becomes an HTTP status and message.

use sbm_common::ApiError;

use crate::domain::error::CatalogError;

impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> Self {
        let message = e.to_string();
        match e {
            CatalogError::NotFound => ApiError::not_found("Reward catalog"),
            CatalogError::Invalid(errors) => ApiError::validation(errors),
            CatalogError::CodeTaken => ApiError::field("code", "is already used by another catalog").with_status(409),
            CatalogError::CodeImmutable => ApiError::field("code", message),
            CatalogError::Managed => ApiError::conflict(message),
            CatalogError::Corrupt { .. } => ApiError::internal(message),
            CatalogError::List(e) => e.into(),
            CatalogError::Db(e) => e.into(),
        }
    }
}

use sbm_common::error::FieldError;
use sbm_point::domain::LedgerError;

use crate::domain::error::{CodeError, RedemptionError, RewardError};

/// The ledger failures a redemption can meet, in the point service's shape (a 422 for
/// insufficient points names `points` and the shortfall).
fn ledger(e: LedgerError) -> ApiError {
    let message = e.to_string();
    match e {
        LedgerError::MemberNotFound => ApiError::not_found("Member"),
        LedgerError::MemberAnonymised => ApiError::conflict(message),
        LedgerError::Insufficient { balance, requested } => {
            let mut err = ApiError::unprocessable(message);
            err.errors = vec![FieldError::new(
                "points",
                format!("exceeds the available balance by {}", requested - balance),
            )];
            err
        }
        LedgerError::BalanceLimit => ApiError::unprocessable(message),
        // The spend was reversed outside the reward service (the point API refuses that, but a
        // database edit could): nothing is left to refund.
        LedgerError::ReverseOutOfRange { .. } => ApiError::conflict(message),
        LedgerError::List(e) => e.into(),
        LedgerError::Db(e) => e.into(),
        _ => ApiError::internal(message),
    }
}

fn cause(message: String, field: &str, code: &str) -> ApiError {
    let mut err = ApiError::conflict(message);
    err.errors = vec![FieldError::new(field, code)];
    err
}

impl From<RewardError> for ApiError {
    fn from(e: RewardError) -> Self {
        let message = e.to_string();
        match e {
            RewardError::NotFound => ApiError::not_found("Reward"),
            RewardError::CatalogNotFound => ApiError::field("catalogId", "names no live catalog"),
            RewardError::Invalid(errors) => ApiError::validation(errors),
            RewardError::CodeTaken => ApiError::field("code", "is already used by another reward").with_status(409),
            RewardError::CodeImmutable => ApiError::field("code", message),
            RewardError::Managed => ApiError::conflict(message),
            RewardError::CatalogManaged => ApiError::field("catalogId", message).with_status(409),
            RewardError::StockBelowClaimed { claimed } => {
                ApiError::field("stockTotal", format!("cannot be below the {claimed} already claimed")).with_status(409)
            }
            RewardError::Corrupt { .. } => ApiError::internal(message),
            RewardError::Catalog(e) => e.into(),
            RewardError::Ledger(e) => ledger(*e),
            RewardError::List(e) => e.into(),
            RewardError::Db(e) => e.into(),
        }
    }
}

impl From<CodeError> for ApiError {
    fn from(e: CodeError) -> Self {
        let message = e.to_string();
        match e {
            CodeError::RewardNotFound => ApiError::not_found("Reward"),
            CodeError::NotPool => ApiError::conflict(message),
            CodeError::Invalid(errors) => ApiError::validation(errors),
            CodeError::NotFound => ApiError::not_found("Reward code"),
            CodeError::NotVoidable(_) => ApiError::conflict(message),
            CodeError::PatternExhausted(_) => ApiError::field("pattern", message).with_status(409),
            CodeError::Reward(e) => e.into(),
            CodeError::List(e) => e.into(),
            CodeError::Db(e) => e.into(),
        }
    }
}

impl From<RedemptionError> for ApiError {
    fn from(e: RedemptionError) -> Self {
        let message = e.to_string();
        match e {
            RedemptionError::RewardNotFound => ApiError::not_found("Reward"),
            RedemptionError::WrongTier => ApiError::forbidden(message),
            // A 409 names its cause twice: in words, and as a code under `errors[].message`.
            RedemptionError::OutsideWindow => cause(message, "rewardId", "outside_window"),
            RedemptionError::LimitReached(_) => cause(message, "rewardId", "limit_reached"),
            RedemptionError::OutOfStock => cause(message, "rewardId", "out_of_stock"),
            RedemptionError::NoCodes => cause(message, "rewardId", "no_codes"),
            RedemptionError::Status { .. } => cause(message, "status", "wrong_status"),
            RedemptionError::Expired(_) => cause(message, "status", "expired"),
            RedemptionError::NotFound => ApiError::not_found("Redemption"),
            RedemptionError::QrMismatch => ApiError::field("qr", message),
            RedemptionError::CodeVoided => cause(message, "code", "code_voided"),
            RedemptionError::Sign(_) => ApiError::internal(message),
            RedemptionError::Ledger(e) => ledger(e),
            RedemptionError::Reward(e) => e.into(),
            RedemptionError::List(e) => e.into(),
            RedemptionError::Invalid(errors) => ApiError::validation(errors),
            RedemptionError::Db(e) => e.into(),
        }
    }
}
