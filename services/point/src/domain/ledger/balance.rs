//! The balance row: taking it (the per-member lock), crediting it, debiting it only when it
//! covers the debit, and reading a member's balance in one round trip.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult, QueryFilter,
    QueryTrait, Statement,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::super::error::LedgerError;
use super::super::members;
use super::MAX_BALANCE;
use crate::entity::point_balances as bal;

fn zero_row(member: &str, now: DateTime<Utc>) -> bal::ActiveModel {
    bal::ActiveModel {
        member_id: Set(member.to_string()),
        balance: Set(0),
        lifetime_earned: Set(0),
        lifetime_spent: Set(0),
        lifetime_expired: Set(0),
        updated_at: Set(now),
    }
}

/// Takes the member's balance row (creating it at zero), so that operations on one member
/// run one after another: a row lock on PostgreSQL, the single writer on SQLite. One
/// statement: an upsert whose no-op `DO UPDATE` locks the row that is already there.
pub async fn lock_member(db: &impl ConnectionTrait, member: &str, now: DateTime<Utc>) -> Result<(), LedgerError> {
    bal::Entity::insert(zero_row(member, now))
        .on_conflict(
            OnConflict::column(bal::Column::MemberId)
                .value(bal::Column::UpdatedAt, Expr::col((bal::Entity, bal::Column::UpdatedAt)))
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Who may be credited: an earn needs an active member (checked by the upsert itself, no
/// round trip of its own); a reversal credits whoever the original entry was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Payee {
    ActiveMember,
    Anyone,
}

/// Adds to the balance (creating the row), returning the new balance: one upsert, which
/// refuses to go past [`MAX_BALANCE`] and, for [`Payee::ActiveMember`], to credit a member that
/// is missing or anonymised (`INSERT … SELECT … WHERE EXISTS (…) ON CONFLICT …`).
pub(crate) async fn credit(
    db: &impl ConnectionTrait,
    member: &str,
    pts: i64,
    (earned, spent): (i64, i64),
    payee: Payee,
    now: DateTime<Utc>,
) -> Result<i64, LedgerError> {
    // A first credit inserts the row, where the upsert's condition does not apply.
    if pts > MAX_BALANCE || earned > MAX_BALANCE {
        return Err(LedgerError::BalanceLimit);
    }
    let excluded = Alias::new("excluded");
    let add = |c: bal::Column| Expr::col((bal::Entity, c)).add(Expr::col((excluded.clone(), c)));
    let mut row = Query::select();
    row.exprs([
        Expr::val(member),
        Expr::val(pts),
        Expr::val(earned),
        Expr::val(spent),
        Expr::val(0i64),
        Expr::val(now),
    ]);
    // SQLite needs a WHERE in an upsert's SELECT (to tell its ON CONFLICT from a join's ON).
    row.and_where(match payee {
        Payee::ActiveMember => members::active_condition(member),
        Payee::Anyone => Expr::val(true),
    });
    let mut stmt = Query::insert();
    stmt.into_table(bal::Entity)
        .columns([
            bal::Column::MemberId,
            bal::Column::Balance,
            bal::Column::LifetimeEarned,
            bal::Column::LifetimeSpent,
            bal::Column::LifetimeExpired,
            bal::Column::UpdatedAt,
        ])
        .select_from(row)
        .map_err(|e| LedgerError::Inconsistent(e.to_string()))?
        .on_conflict(
            OnConflict::column(bal::Column::MemberId)
                .value(bal::Column::Balance, add(bal::Column::Balance))
                .value(bal::Column::LifetimeEarned, add(bal::Column::LifetimeEarned))
                .value(bal::Column::LifetimeSpent, add(bal::Column::LifetimeSpent))
                .value(
                    bal::Column::UpdatedAt,
                    Expr::col((excluded.clone(), bal::Column::UpdatedAt)),
                )
                // Past the maximum the row is left alone and no balance comes back.
                .action_and_where(
                    Expr::col((bal::Entity, bal::Column::Balance))
                        .lte(Expr::val(MAX_BALANCE).sub(Expr::col((excluded.clone(), bal::Column::Balance))))
                        .and(Expr::col((bal::Entity, bal::Column::LifetimeEarned)).lte(
                            Expr::val(MAX_BALANCE).sub(Expr::col((excluded.clone(), bal::Column::LifetimeEarned))),
                        )),
                )
                .to_owned(),
        );
    // Only the new balance comes back: this runs on every earn.
    let stmt = db
        .get_database_backend()
        .build(stmt.returning_col(bal::Column::Balance));
    match NewBalance::find_by_statement(stmt).one(db).await? {
        Some(row) => Ok(row.balance),
        // Nothing came back: the member is missing or anonymised (say which), or the balance
        // would pass its maximum.
        None => {
            if payee == Payee::ActiveMember {
                members::require_active(db, member).await?;
            }
            Err(LedgerError::BalanceLimit)
        }
    }
}

/// The balance an upsert or a conditional debit leaves.
#[derive(FromQueryResult)]
struct NewBalance {
    balance: i64,
}

/// Takes `pts` from the balance only if it covers them (`UPDATE … WHERE balance >= pts
/// RETURNING`); `None` when it does not. The lifetime counters move by `(spent, earned,
/// expired)`.
pub(crate) async fn debit(
    db: &impl ConnectionTrait,
    member: &str,
    pts: i64,
    (spent, earned, expired): (i64, i64, i64),
    now: DateTime<Utc>,
) -> Result<Option<i64>, LedgerError> {
    let mut update = bal::Entity::update_many()
        .col_expr(bal::Column::Balance, Expr::col(bal::Column::Balance).sub(pts))
        .col_expr(
            bal::Column::LifetimeSpent,
            Expr::col(bal::Column::LifetimeSpent).add(spent),
        )
        .col_expr(
            bal::Column::LifetimeEarned,
            Expr::col(bal::Column::LifetimeEarned).add(earned),
        )
        .col_expr(
            bal::Column::LifetimeExpired,
            Expr::col(bal::Column::LifetimeExpired).add(expired),
        )
        .col_expr(bal::Column::UpdatedAt, Expr::value(now))
        .filter(bal::Column::MemberId.eq(member))
        .filter(bal::Column::Balance.gte(pts))
        .into_query();
    let stmt = db
        .get_database_backend()
        .build(update.returning_col(bal::Column::Balance));
    Ok(NewBalance::find_by_statement(stmt).one(db).await?.map(|r| r.balance))
}

/// The current balance (0 when the member never had points).
pub async fn current_balance(db: &impl ConnectionTrait, member: &str) -> Result<i64, LedgerError> {
    Ok(bal::Entity::find_by_id(member).one(db).await?.map_or(0, |r| r.balance))
}

/// [`LedgerError::Insufficient`] with the balance as it is now.
pub(crate) async fn insufficient(db: &impl ConnectionTrait, member: &str, requested: i64) -> LedgerError {
    match current_balance(db, member).await {
        Ok(balance) => LedgerError::Insufficient { balance, requested },
        Err(e) => e,
    }
}

/// Points that expire next.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExpiringLot {
    pub lot_id: String,
    pub points: i64,
    pub expires_at: DateTime<Utc>,
}

/// A member's points.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalanceView {
    pub member_id: String,
    /// Points available now.
    pub balance: i64,
    /// Points awaiting review: open point-request tickets and pending receipts (estimated).
    pub pending: i64,
    pub lifetime_earned: i64,
    pub lifetime_spent: i64,
    pub lifetime_expired: i64,
    /// The next lots to expire, soonest first (at most 5).
    pub expiring_lots: Vec<ExpiringLot>,
}

/// A row of the balance read: the head row (`part` 0) or one expiring lot (`part` 1).
#[derive(Debug, FromQueryResult)]
struct BalancePart {
    part: i64,
    n1: i64,
    n2: i64,
    n3: i64,
    n4: i64,
    n5: i64,
    n6: i64,
    lot_id: Option<String>,
    expires_at: Option<DateTime<Utc>>,
}

#[derive(Debug, FromQueryResult)]
struct Pending {
    pending: i64,
}

/// Numbered placeholder `n` in the backend's own spelling: `$n` on PostgreSQL, `?n` on
/// SQLite. Numbered, so one value can serve several places.
fn ph(backend: DatabaseBackend, n: u8) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    }
}

/// `SUM(open tickets' requested points) + SUM(pending receipts' estimated points)` of the
/// member bound to `member`.
fn pending_sql(member: &str) -> String {
    format!(
        "(SELECT CAST(COALESCE(SUM(k.requested_points), 0) AS BIGINT) FROM point_request_tickets k WHERE k.member_id = {member} AND k.status = 'open') \
         + (SELECT CAST(COALESCE(SUM(r.estimated_points), 0) AS BIGINT) FROM receipts r WHERE r.member_id = {member} AND r.status = 'pending')"
    )
}

/// Reads a balance in one round trip: the balance row and the next expiring lots come back
/// from one statement (a `UNION ALL`, which stays explicit SQL). Lots already due but not yet
/// swept by the expiry job are not counted, so a member never sees points that have expired.
pub async fn read_balance(
    db: &impl ConnectionTrait,
    member: &str,
    now: DateTime<Utc>,
) -> Result<BalanceView, LedgerError> {
    let backend = db.get_database_backend();
    let (m, t) = (ph(backend, 1), ph(backend, 2));
    let sql = format!(
        "SELECT CAST(0 AS BIGINT) AS part, b.balance AS n1, b.lifetime_earned AS n2, b.lifetime_spent AS n3, b.lifetime_expired AS n4, \
         (SELECT CAST(COALESCE(SUM(l.remaining), 0) AS BIGINT) FROM point_lots l WHERE l.member_id = b.member_id AND l.remaining > 0 AND l.expired_at IS NULL AND l.expires_at <= {t}) AS n5, \
         {pending} AS n6, \
         NULL AS lot_id, NULL AS expires_at \
         FROM point_balances b WHERE b.member_id = {m} \
         UNION ALL SELECT * FROM (SELECT CAST(1 AS BIGINT) AS part, l.remaining AS n1, CAST(0 AS BIGINT) AS n2, CAST(0 AS BIGINT) AS n3, \
         CAST(0 AS BIGINT) AS n4, CAST(0 AS BIGINT) AS n5, CAST(0 AS BIGINT) AS n6, l.id AS lot_id, l.expires_at AS expires_at \
         FROM point_lots l WHERE l.member_id = {m} AND l.remaining > 0 AND l.expires_at > {t} ORDER BY l.expires_at, l.id LIMIT 5) x",
        pending = pending_sql(&m),
    );
    let rows = BalancePart::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        [member.into(), now.into()],
    ))
    .all(db)
    .await?;
    let mut head = None;
    let mut lots = Vec::new();
    for r in rows {
        if r.part == 0 {
            head = Some(r);
        } else if let (Some(lot_id), Some(expires_at)) = (r.lot_id, r.expires_at) {
            lots.push(ExpiringLot {
                lot_id,
                points: r.n1,
                expires_at,
            });
        }
    }
    lots.sort_by(|a, b| a.expires_at.cmp(&b.expires_at).then(a.lot_id.cmp(&b.lot_id)));
    let Some(row) = head else {
        members::require_exists(db, member).await?;
        let pending = Pending::find_by_statement(Statement::from_sql_and_values(
            backend,
            format!("SELECT {} AS pending", pending_sql(&ph(backend, 1))),
            [member.into()],
        ))
        .one(db)
        .await?
        .map_or(0, |p| p.pending);
        return Ok(BalanceView {
            member_id: member.into(),
            balance: 0,
            pending,
            lifetime_earned: 0,
            lifetime_spent: 0,
            lifetime_expired: 0,
            expiring_lots: vec![],
        });
    };
    Ok(BalanceView {
        member_id: member.into(),
        balance: row.n1 - row.n5,
        pending: row.n6,
        lifetime_earned: row.n2,
        lifetime_spent: row.n3,
        lifetime_expired: row.n4 + row.n5,
        expiring_lots: lots,
    })
}
