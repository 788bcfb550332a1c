//! The auth domain: business operations on staff, members, sessions, consent and API keys.
//! No HTTP here: functions take a connection (so they run inside a caller's transaction) and
//! `now`, and fail with the typed errors of [`error`].

pub mod api_keys;
pub mod consent;
pub mod error;
pub mod events;
pub mod members;
pub mod password;
pub mod password_reset;
pub mod permissions;
pub mod qr;
pub mod sessions;
pub mod staff;
pub mod wechat;

pub use members::{active_member_exists, member_status, require_active_member};
