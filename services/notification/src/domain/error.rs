//! Typed failures of the notification domain; `api/error.rs` turns each into a status, once.

use sbm_common::ListError;
use sbm_common::error::FieldError;
use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum NotificationError {
    /// Unknown, or another member's (never a 403: a member does not learn it exists).
    #[error("Notification not found")]
    NotFound,
    /// A mail template, sender, action, delivery or broadcast that does not exist.
    #[error("{0} not found")]
    Missing(&'static str),
    #[error("invalid request: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Well-formed, but cannot be done with what was given (a required template variable
    /// missing).
    #[error("cannot be processed: {0:?}")]
    Unprocessable(Vec<FieldError>),
    #[error("{0}")]
    Conflict(String),
    /// The SMTP server refused or could not be reached.
    #[error("mail could not be sent: {0}")]
    Smtp(String),
    #[error("stored notification data {id} is unreadable: {cause}")]
    Corrupt { id: String, cause: String },
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbErr),
}
