//! Business operations of the reward service. No HTTP here: functions take a connection or a
//! transaction and `now`, and fail with the typed errors of [`error`]. Reward sits above point
//! and cluster in the dependency direction: it reads a member's tier through
//! `sbm_cluster::domain::membership::tier_code`.

pub mod catalogs;
pub mod error;
pub mod permissions;

pub use error::CatalogError;
