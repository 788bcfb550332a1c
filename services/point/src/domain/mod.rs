//! Business operations of the point service. No HTTP here: functions take a connection or a
//! transaction (so other services, jobs and the operator run them inside their own
//! transactions) and `now`, and fail with the typed errors of [`error`].

pub mod consumers;
pub mod error;
pub mod events;
pub mod ledger;
pub mod members;
pub mod permissions;
pub mod purchases;
pub mod receipts;
pub mod rules;
pub mod rulestore;
pub mod tickets;

pub use error::{LedgerError, ReceiptError, RuleError, TicketError};
