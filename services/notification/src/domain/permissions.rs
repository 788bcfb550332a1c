//! The permissions notification's routes check. The inbox and preferences are the member's
//! own; staff routes (broadcasts, mail) come with their issue.

use sbm_common::identity::Permission;

/// Every notification permission, as the module declares them.
pub const ALL: &[Permission] = &[];
