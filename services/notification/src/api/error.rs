//! The one place a notification domain error becomes an HTTP status and message.

use sbm_common::ApiError;

use crate::domain::NotificationError;

impl From<NotificationError> for ApiError {
    fn from(e: NotificationError) -> Self {
        let message = e.to_string();
        match e {
            NotificationError::NotFound => ApiError::not_found("Notification"),
            NotificationError::Invalid(errors) => ApiError::validation(errors),
            NotificationError::Corrupt { .. } => ApiError::internal(message),
            NotificationError::List(e) => e.into(),
            NotificationError::Db(e) => e.into(),
        }
    }
}
