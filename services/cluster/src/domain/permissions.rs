//! The permissions cluster's routes check. Staff hold each from its `min_role` up; those marked
//! with API keys may be carried as key scopes.

use sbm_common::identity::{Permission, Role};

/// Reading members' tiers, projections and interests.
pub const CLUSTER_READ: Permission = Permission::staff("cluster:read", Role::Viewer).with_api_keys();
/// Editing the tier ladder.
pub const TIERS_WRITE: Permission = Permission::staff("tiers:write", Role::Manager);
/// Assigning a member's tier by hand (overrides).
pub const TIERS_ASSIGN: Permission = Permission::staff("tiers:assign", Role::Manager);
/// Editing badges.
pub const BADGES_WRITE: Permission = Permission::staff("badges:write", Role::Manager);
/// Awarding and revoking badges by hand.
pub const BADGES_AWARD: Permission = Permission::staff("badges:award", Role::Support);
/// Editing interest categories.
pub const INTERESTS_WRITE: Permission = Permission::staff("interests:write", Role::Manager);

/// Every cluster permission, as the module declares them.
pub const ALL: &[Permission] = &[
    CLUSTER_READ,
    TIERS_WRITE,
    TIERS_ASSIGN,
    BADGES_WRITE,
    BADGES_AWARD,
    INTERESTS_WRITE,
];
