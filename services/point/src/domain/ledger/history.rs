//! The transaction history: which entries a list shows, and their reversed points.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sbm_common::query::contains_ci;
use sbm_common::{Filter, ListQuery, ListSpec, Page};
use sea_orm::sea_query::{Alias, Expr, Func};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{Transaction, TxType};
use crate::domain::error::LedgerError;
use crate::entity::point_transactions as tx;

/// The history list: filters `type`, `source`; sort `createdAt`, `points`. `search` (reasons,
/// or an exact external id) and the member and date range are the caller's [`TxScope`].
pub const LIST: ListSpec<tx::Column> = ListSpec {
    default_limit: 20,
    sort: &[("createdAt", tx::Column::CreatedAt), ("points", tx::Column::Points)],
    default_sort: tx::Column::CreatedAt,
    tiebreak: tx::Column::Id,
    search: &[],
    filters: &[
        Filter::Enum(
            "type",
            tx::Column::TxType,
            &["earn", "spend", "expire", "reverse", "adjust"],
        ),
        Filter::Text("source", tx::Column::Source),
    ],
};

/// What a history list is narrowed to, besides the list's own filters.
#[derive(Debug, Clone, Default)]
pub struct TxScope {
    pub member_id: Option<String>,
    /// Entries at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Entries before this time.
    pub to: Option<DateTime<Utc>>,
}

/// One page of the history in `scope`; `search` matches reasons (case-insensitive
/// substring) or an exact external id.
pub async fn list(db: &impl ConnectionTrait, scope: &TxScope, q: &ListQuery) -> Result<Page<Transaction>, LedgerError> {
    let mut select = tx::Entity::find();
    if let Some(m) = &scope.member_id {
        select = select.filter(tx::Column::MemberId.eq(m.clone()));
    }
    if let Some(t) = scope.from {
        select = select.filter(tx::Column::CreatedAt.gte(t));
    }
    if let Some(t) = scope.to {
        select = select.filter(tx::Column::CreatedAt.lt(t));
    }
    if let Some(s) = &q.search {
        select = select.filter(
            Condition::any()
                .add(contains_ci(Expr::col(tx::Column::Reason), s))
                .add(tx::Column::ExternalId.eq(s.clone())),
        );
    }
    let page = q.page(db, select, &LIST).await?;
    let reversed = reversed_of(db, page.data.iter().map(|r| r.id.clone()).collect()).await?;
    Ok(page.map(|r| {
        let n = reversed.get(&r.id).copied().unwrap_or(0);
        Transaction::from_model(r, n)
    }))
}

/// What reversals took back from each of `ids` (one query for a page).
async fn reversed_of(db: &impl ConnectionTrait, ids: Vec<String>) -> Result<HashMap<String, i64>, LedgerError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
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
    Ok(sums.into_iter().filter_map(|(id, n)| id.map(|id| (id, n))).collect())
}
