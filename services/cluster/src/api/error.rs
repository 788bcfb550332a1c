//! The one place a cluster domain error becomes an HTTP status and message.

use sbm_common::ApiError;

use crate::domain::error::{BadgeError, InterestError, TierError};

impl From<TierError> for ApiError {
    fn from(e: TierError) -> Self {
        let message = e.to_string();
        match e {
            TierError::NotFound => ApiError::not_found("Tier"),
            TierError::MemberNotFound => ApiError::not_found("Member"),
            TierError::NoLadder => ApiError::new(axum::http::StatusCode::NOT_FOUND, message),
            TierError::Invalid(errors) => ApiError::validation(errors),
            TierError::Ladder(v) => ApiError::field(v.field, v.to_string()),
            TierError::CodeTaken | TierError::CodeTakenByDeleted => ApiError::field("code", message).with_status(409),
            TierError::CodeImmutable => ApiError::field("code", message),
            TierError::Managed => ApiError::conflict(message),
            TierError::Held { .. } => ApiError::field("reassignTo", message).with_status(409),
            TierError::HeldDeactivate { .. } => ApiError::field("active", message).with_status(409),
            TierError::BadReassign => ApiError::field("reassignTo", message),
            TierError::Inactive(_) => ApiError::field("tierId", message),
            TierError::Corrupt { .. } => ApiError::internal(message),
            TierError::List(e) => e.into(),
            TierError::Db(e) => e.into(),
        }
    }
}

impl From<InterestError> for ApiError {
    fn from(e: InterestError) -> Self {
        match e {
            InterestError::NotFound => ApiError::not_found("Interest"),
            InterestError::MemberNotFound => ApiError::not_found("Member"),
            InterestError::Invalid(errors) => ApiError::validation(errors),
            InterestError::CodeTaken => ApiError::field("code", "is already used by another interest").with_status(409),
            InterestError::List(e) => e.into(),
            InterestError::Db(e) => e.into(),
        }
    }
}

impl From<BadgeError> for ApiError {
    fn from(e: BadgeError) -> Self {
        let message = e.to_string();
        match e {
            BadgeError::NotFound => ApiError::not_found("Badge"),
            BadgeError::AwardNotFound => ApiError::not_found("Badge award"),
            BadgeError::MemberNotFound => ApiError::not_found("Member"),
            BadgeError::Invalid(errors) => ApiError::validation(errors),
            BadgeError::CodeTaken => ApiError::field("code", "is already used by another badge").with_status(409),
            BadgeError::CodeImmutable => ApiError::field("code", message),
            BadgeError::CapReached { .. } | BadgeError::AlreadyRevoked => ApiError::conflict(message),
            BadgeError::Corrupt { .. } => ApiError::internal(message),
            BadgeError::List(e) => e.into(),
            BadgeError::Db(e) => e.into(),
        }
    }
}
