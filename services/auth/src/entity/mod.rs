//! sea-orm entities of the tables the auth service owns (see migrations/src/sql/0002_auth.sql
//! and 0015_auth_password_resets.sql).
//! Ids are TEXT (UUIDv7), timestamps TIMESTAMPTZ on PostgreSQL and TEXT on SQLite.

pub mod api_keys;
pub mod consent_documents;
pub mod member_consents;
pub mod members;
pub mod password_resets;
pub mod refresh_tokens;
pub mod staff;
