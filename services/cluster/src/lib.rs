//! The cluster service: the tier ladder, tier qualification and evaluation, projections,
//! overrides, and interests.
//!
//! [`domain`] holds the business operations (point and the operator link only it, with
//! `default-features = false`); [`entity`] the tables; `api` the HTTP handlers and the
//! service's [`module`], behind the default `http` feature.

#[cfg(feature = "http")]
pub mod api;
pub mod domain;
pub mod entity;

#[cfg(feature = "http")]
pub use api::module;
