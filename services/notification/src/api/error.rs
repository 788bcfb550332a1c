//! The one place a notification domain error becomes an HTTP status and message.

use sbm_common::ApiError;

use crate::domain::NotificationError;

impl From<NotificationError> for ApiError {
    fn from(e: NotificationError) -> Self {
        let message = e.to_string();
        match e {
            NotificationError::NotFound => ApiError::not_found("Notification"),
            NotificationError::Missing(what) => ApiError::not_found(what),
            NotificationError::Invalid(errors) => ApiError::validation(errors),
            NotificationError::Unprocessable(errors) => ApiError::validation(errors).with_status(422),
            NotificationError::Conflict(m) => ApiError::conflict(m),
            NotificationError::Smtp(_) => ApiError::new(axum::http::StatusCode::BAD_GATEWAY, message),
            NotificationError::Corrupt { .. } => ApiError::internal(message),
            NotificationError::List(e) => e.into(),
            NotificationError::Db(e) => e.into(),
        }
    }
}
