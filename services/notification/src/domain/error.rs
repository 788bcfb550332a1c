//! Typed failures of the notification domain; `api/error.rs` turns each into a status, once.

use sbm_common::ListError;
use sbm_common::error::FieldError;
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum NotificationError {
    /// Unknown, or another member's (never a 403: a member does not learn it exists).
    #[error("Notification not found")]
    NotFound,
    #[error("invalid request: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("stored notification data {id} is unreadable: {cause}")]
    Corrupt { id: String, cause: String },
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbErr),
}
