//! The permissions reward's routes check.

use sbm_common::identity::{Permission, Role};

/// Reading every catalog (members read the ones visible to them without it).
pub const REWARDS_READ: Permission = Permission::staff("rewards:read", Role::Viewer).with_api_keys();
/// Editing catalogs.
pub const REWARDS_WRITE: Permission = Permission::staff("rewards:write", Role::Manager);

/// Every reward permission, as the module declares them.
pub const ALL: &[Permission] = &[REWARDS_READ, REWARDS_WRITE];
