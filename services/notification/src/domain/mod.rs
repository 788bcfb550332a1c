//! Business operations of the notification service. No HTTP here: functions take a
//! connection or a transaction and `now`, and fail with the typed errors of [`error`].

pub mod broadcasts;
pub mod consumers;
pub mod error;
pub mod inbound;
pub mod inbox;
pub mod mail;
pub mod members;
pub mod permissions;
pub mod preferences;
pub mod stream;
pub mod texts;

pub use error::NotificationError;
