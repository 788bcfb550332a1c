//! Business operations of the reward service. No HTTP here: functions take a connection or a
//! transaction and `now`, and fail with the typed errors of [`error`]. Reward sits above point
//! and cluster in the dependency direction: it reads a member's tier through
//! `sbm_cluster::domain::membership::tier_code` and spends and refunds points through
//! `sbm_point::domain::ledger`, inside its own transaction.

pub mod catalogs;
pub mod codes;
pub mod error;
pub mod events;
pub mod managed;
pub mod permissions;
pub mod redemptions;
pub mod rewards;

pub use error::{CatalogError, CodeError, RedemptionError, RewardError};
