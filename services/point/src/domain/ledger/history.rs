//! The transaction history: which entries a list shows, and their reversed points.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Select};

use super::{Transaction, TxType};
use crate::domain::error::LedgerError;
use crate::entity::point_transactions as tx;

/// What a history list is narrowed to, besides the list's own filters.
#[derive(Debug, Clone, Default)]
pub struct TxScope {
    pub member_id: Option<String>,
    /// Entries at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Entries before this time.
    pub to: Option<DateTime<Utc>>,
    /// In reasons (case-insensitive substring) or equal to an external id.
    pub search: Option<String>,
}

/// The entries in `scope`, as a query the list pages.
pub fn select(scope: &TxScope) -> Select<tx::Entity> {
    let mut q = tx::Entity::find();
    if let Some(m) = &scope.member_id {
        q = q.filter(tx::Column::MemberId.eq(m.clone()));
    }
    if let Some(t) = scope.from {
        q = q.filter(tx::Column::CreatedAt.gte(t));
    }
    if let Some(t) = scope.to {
        q = q.filter(tx::Column::CreatedAt.lt(t));
    }
    if let Some(s) = &scope.search {
        let pattern = format!("%{}%", s.to_lowercase());
        q = q.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(tx::Column::Reason))).like(pattern))
                .add(tx::Column::ExternalId.eq(s.clone())),
        );
    }
    q
}

/// Entries of a page with what reversals took back from each (one query for the page).
pub async fn with_reversed(db: &impl ConnectionTrait, rows: Vec<tx::Model>) -> Result<Vec<Transaction>, LedgerError> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut reversed: HashMap<String, i64> = HashMap::new();
    if !ids.is_empty() {
        let sums: Vec<(Option<String>, i64)> = tx::Entity::find()
            .select_only()
            .column(tx::Column::RelatedId)
            .column_as(
                Expr::expr(Func::cast_as(
                    Func::sum(Func::abs(Expr::col(tx::Column::Points))),
                    Alias::new("BIGINT"),
                )),
                "reversed",
            )
            .filter(tx::Column::TxType.eq(TxType::Reverse.as_str()))
            .filter(tx::Column::RelatedId.is_in(ids))
            .group_by(tx::Column::RelatedId)
            .into_tuple()
            .all(db)
            .await?;
        reversed.extend(sums.into_iter().filter_map(|(id, n)| id.map(|id| (id, n))));
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let n = reversed.get(&r.id).copied().unwrap_or(0);
            Transaction::from_model(r, n)
        })
        .collect())
}
