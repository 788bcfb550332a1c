//! Business operations of the point service. Each takes a connection or a transaction, so
//! other services (redemptions) and the operator can run them inside their own transactions.

pub mod ledger;
pub mod rules;
pub mod rulestore;
