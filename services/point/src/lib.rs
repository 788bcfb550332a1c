//! The point service: an append-only ledger with lots and expiry, earn and spend, point rules,
//! receipt verification and point request tickets.
//!
//! [`domain`] holds the business operations (reward and the operator link only it, with
//! `default-features = false`); [`entity`] the tables; `api` the HTTP handlers and the
//! service's [`module`], behind the default `http` feature.

#[cfg(feature = "http")]
pub mod api;
pub mod domain;
pub mod entity;

#[cfg(feature = "http")]
pub use api::module;
