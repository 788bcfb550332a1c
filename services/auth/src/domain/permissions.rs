//! The permissions auth's routes check. Staff hold each from its `min_role` up; those marked
//! with API keys may be carried as key scopes (integrations act on members, never on staff,
//! API keys or legal documents).

use sbm_common::identity::{Permission, Role};

pub const STAFF_READ: Permission = Permission::staff("staff:read", Role::Viewer);
pub const STAFF_WRITE: Permission = Permission::staff("staff:write", Role::Admin);
pub const MEMBERS_READ: Permission = Permission::staff("members:read", Role::Viewer).with_api_keys();
pub const MEMBERS_WRITE: Permission = Permission::staff("members:write", Role::Support).with_api_keys();
pub const MEMBERS_DELETE: Permission = Permission::staff("members:delete", Role::Manager).with_api_keys();
pub const CONSENT_WRITE: Permission = Permission::staff("consent:write", Role::Manager);
pub const API_KEYS_MANAGE: Permission = Permission::staff("api-keys:manage", Role::Admin);

/// Every auth permission, as the module declares them.
pub const ALL: &[Permission] = &[
    STAFF_READ,
    STAFF_WRITE,
    MEMBERS_READ,
    MEMBERS_WRITE,
    MEMBERS_DELETE,
    CONSENT_WRITE,
    API_KEYS_MANAGE,
];
