//! The reward service: reward catalogs, each visible to every member or to some tiers.
//! (Rewards, stock, code pools and redemptions come next, in the same shape.)
//!
//! [`domain`] holds the business operations (the operator links only it, with
//! `default-features = false`); [`entity`] the tables; `api` the HTTP handlers and the
//! service's [`module`], behind the default `http` feature.

#[cfg(feature = "http")]
pub mod api;
pub mod domain;
pub mod entity;

#[cfg(feature = "http")]
pub use api::module;
