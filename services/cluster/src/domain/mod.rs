//! Business operations of the cluster service. No HTTP here: functions take a connection or a
//! transaction and `now`, and fail with the typed errors of [`error`]. Cluster sits between
//! auth and point: it reads members through auth's domain, point reads members' tiers through
//! [`membership::tier_code`], and what point does reaches cluster only as outbox events
//! ([`inbound`]).

pub mod badges;
pub mod consumers;
pub mod error;
pub mod events;
pub mod inbound;
pub mod interests;
pub mod membership;
pub mod permissions;
pub mod progress;
pub mod projection;
pub mod tiers;

pub use error::{BadgeError, InterestError, TierError};
