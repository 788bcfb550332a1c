//! The notification service: the in-app inbox, written from the other services' events, and
//! members' preferences. (Broadcasts, mail and the real-time stream come next, in the same
//! shape.)
//!
//! Notification depends on `sbm-common` only: everything it knows arrives as outbox events,
//! read through its own views of them ([`domain::inbound`]).

#[cfg(feature = "http")]
pub mod api;
pub mod domain;
pub mod entity;

#[cfg(feature = "http")]
pub use api::module;
