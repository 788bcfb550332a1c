//! The kit every SBM CRM service uses: one error envelope, query conventions, identity,
//! rate limiting, idempotency, the event outbox, configuration, database and server plumbing.

pub mod app;
pub mod clock;
pub mod config;
pub mod db;
pub mod entity;
pub mod envelope;
pub mod error;
pub mod events;
pub mod fanout;
pub mod idempotency;
pub mod identity;
pub mod jobs;
pub mod outbox;
pub mod query;
pub mod ratelimit;
pub mod service;

pub use app::{AppState, ServiceRouter};
pub use envelope::{ApiJson, ApiResponse, Page, created, ok};
pub use error::{ApiError, ApiResult, FieldError, Validator};
pub use identity::{Auth, MaybeAuth, Permission, Principal};
pub use query::{Filter, ListError, ListQuery, ListSpec};
pub use service::ServiceModule;
