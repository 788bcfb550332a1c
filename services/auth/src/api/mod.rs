//! HTTP handlers, one module per resource.

pub mod api_keys;
pub mod consent;
pub mod members;
pub mod session;
pub mod staff;
