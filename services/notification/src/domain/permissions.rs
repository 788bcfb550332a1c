//! The permissions notification's routes check. The inbox, preferences and a member's own
//! stream need none (they are the member's own).

use sbm_common::identity::{Permission, Role};

/// Following everyone's real-time stream; reading broadcasts.
pub const NOTIFICATIONS_READ: Permission = Permission::staff("notifications:read", Role::Viewer).with_api_keys();
/// Composing and cancelling broadcasts.
pub const NOTIFICATIONS_WRITE: Permission = Permission::staff("notifications:write", Role::Manager).with_api_keys();
/// Mail templates, senders (their SMTP credentials), actions and the delivery log (which
/// shows addresses).
pub const MAIL_MANAGE: Permission = Permission::staff("mail:manage", Role::Manager);

/// Every notification permission, as the module declares them.
pub const ALL: &[Permission] = &[NOTIFICATIONS_READ, NOTIFICATIONS_WRITE, MAIL_MANAGE];
