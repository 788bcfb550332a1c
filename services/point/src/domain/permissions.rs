//! The permissions point's routes check. Staff hold each from its `min_role` up; those marked
//! with API keys may be carried as key scopes (a POS earns and spends, it never edits rules).

use sbm_common::identity::{Permission, Role};

pub const POINTS_READ: Permission = Permission::staff("points:read", Role::Viewer).with_api_keys();
pub const POINTS_WRITE: Permission = Permission::staff("points:write", Role::Support).with_api_keys();
pub const RULES_WRITE: Permission = Permission::staff("point-rules:write", Role::Manager);
/// Deciding receipts and point request tickets: a person's judgement, never an integration's,
/// so no API key may carry it.
pub const POINTS_REVIEW: Permission = Permission::staff("points:review", Role::Support);

/// Every point permission, as the module declares them.
pub const ALL: &[Permission] = &[POINTS_READ, POINTS_WRITE, RULES_WRITE, POINTS_REVIEW];
