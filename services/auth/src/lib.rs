//! The auth service: staff login and roles, members with WeChat login, consent, API keys.
//!
//! [`domain`] holds the business operations (other services and the operator link only it,
//! with `default-features = false`); [`entity`] the tables; `api` the HTTP handlers, behind the
//! default `http` feature.

pub mod domain;
pub mod entity;

#[cfg(feature = "http")]
pub mod api;

#[cfg(feature = "http")]
pub use api::{AuthCtx, module};
