//! The permissions reward's routes check.

use sbm_common::identity::{Permission, Role};

/// Reading every catalog, reward and code (members read what is visible to them without it).
pub const REWARDS_READ: Permission = Permission::staff("rewards:read", Role::Viewer).with_api_keys();
/// Editing catalogs and rewards; importing, generating, listing and voiding codes (a pool's
/// codes are bearer vouchers: reading them all is a manager's right, not a viewer's).
pub const REWARDS_WRITE: Permission = Permission::staff("rewards:write", Role::Manager);
/// Reading every redemption (members read their own without it).
pub const REDEMPTIONS_READ: Permission = Permission::staff("redemptions:read", Role::Viewer).with_api_keys();
/// Redeeming for a member, marking used at the till, looking a code up there, cancelling any
/// redemption.
pub const REDEMPTIONS_WRITE: Permission = Permission::staff("redemptions:write", Role::Support).with_api_keys();

/// Every reward permission, as the module declares them.
pub const ALL: &[Permission] = &[REWARDS_READ, REWARDS_WRITE, REDEMPTIONS_READ, REDEMPTIONS_WRITE];
