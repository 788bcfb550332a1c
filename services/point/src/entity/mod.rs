//! sea-orm entities, one per table this service owns (DDL in `migrations/src/sql/0003_point.sql`).
//! JSON columns (`metadata`, `breakdown`, `spec`) are stored as text, as the DDL declares them.

pub mod point_balances;
pub mod point_expiry_warnings;
pub mod point_lot_consumptions;
pub mod point_lots;
pub mod point_request_tickets;
pub mod point_rule_awards;
pub mod point_rules;
pub mod point_transactions;
pub mod purchases;
pub mod receipt_images;
pub mod receipts;
