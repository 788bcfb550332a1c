//! HTTP tests against the real server: PostgreSQL and Redis by default, plus a smoke suite on
//! the embedded SQLite default. One test binary, so it links once.

mod auth;
mod cli;
mod cluster;
mod common;
mod faults;
mod helpers;
mod mail;
mod members;
mod notification;
mod point;
mod reward;
mod sqlite;
mod sse;
