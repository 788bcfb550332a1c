//! The permissions notification's routes check. The inbox, preferences and a member's own
//! stream need none (they are the member's own).

use sbm_common::identity::{Permission, Role};

/// Following everyone's real-time stream; reading broadcasts.
pub const NOTIFICATIONS_READ: Permission = Permission::staff("notifications:read", Role::Viewer).with_api_keys();

/// Every notification permission, as the module declares them.
pub const ALL: &[Permission] = &[NOTIFICATIONS_READ];
