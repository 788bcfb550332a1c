//! Balances.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use sbm_common::db::{query_all, query_one};
use sbm_common::envelope::Envelope;
use sbm_common::{ApiError, ApiResult, AppState, Auth, Permission};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;

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

/// Reads a balance in one round trip: the balance row and the next expiring lots come back
/// from one statement. Lots already due but not yet swept by the expiry job are not counted,
/// so a member never sees points that have expired.
pub async fn read_balance(db: &impl ConnectionTrait, member: &str, now: DateTime<Utc>) -> ApiResult<BalanceView> {
    let rows = query_all(
        db,
        "SELECT 0 AS part, b.balance AS n1, b.lifetime_earned AS n2, b.lifetime_spent AS n3, b.lifetime_expired AS n4, \
         (SELECT CAST(COALESCE(SUM(l.remaining), 0) AS BIGINT) FROM point_lots l WHERE l.member_id = b.member_id AND l.remaining > 0 AND l.expired_at IS NULL AND l.expires_at <= ?) AS n5, \
         (SELECT CAST(COALESCE(SUM(k.requested_points), 0) AS BIGINT) FROM point_request_tickets k WHERE k.member_id = b.member_id AND k.status = 'open') \
         + (SELECT CAST(COALESCE(SUM(r.estimated_points), 0) AS BIGINT) FROM receipts r WHERE r.member_id = b.member_id AND r.status = 'pending') AS n6, \
         NULL AS lot_id, NULL AS expires_at \
         FROM point_balances b WHERE b.member_id = ? \
         UNION ALL SELECT * FROM (SELECT 1 AS part, l.remaining AS n1, 0 AS n2, 0 AS n3, 0 AS n4, 0 AS n5, 0 AS n6, l.id AS lot_id, l.expires_at AS expires_at \
         FROM point_lots l WHERE l.member_id = ? AND l.remaining > 0 AND l.expires_at > ? ORDER BY l.expires_at, l.id LIMIT 5) x",
        vec![now.into(), member.into(), member.into(), now.into()],
    )
    .await?;
    let mut head = None;
    let mut lots = Vec::new();
    for r in &rows {
        let part: i32 = r
            .try_get::<i32>("", "part")
            .or_else(|_| r.try_get::<i64>("", "part").map(|p| p as i32))?;
        if part == 0 {
            head = Some(r);
        } else {
            lots.push(ExpiringLot {
                lot_id: r.try_get("", "lot_id")?,
                points: r.try_get("", "n1")?,
                expires_at: r.try_get("", "expires_at")?,
            });
        }
    }
    lots.sort_by(|a, b| a.expires_at.cmp(&b.expires_at).then(a.lot_id.cmp(&b.lot_id)));
    let Some(row) = head else {
        sbm_auth::domain::member_status(db, member)
            .await?
            .ok_or_else(|| ApiError::not_found("Member"))?;
        let pending = query_one(
            db,
            "SELECT (SELECT CAST(COALESCE(SUM(k.requested_points), 0) AS BIGINT) FROM point_request_tickets k WHERE k.member_id = ? AND k.status = 'open') \
             + (SELECT CAST(COALESCE(SUM(r.estimated_points), 0) AS BIGINT) FROM receipts r WHERE r.member_id = ? AND r.status = 'pending') AS pending",
            vec![member.into(), member.into()],
        )
        .await?
        .map(|r| r.try_get::<i64>("", "pending"))
        .transpose()?
        .unwrap_or(0);
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
    let due: i64 = row.try_get("", "n5")?;
    Ok(BalanceView {
        member_id: member.into(),
        balance: row.try_get::<i64>("", "n1")? - due,
        pending: row.try_get("", "n6")?,
        lifetime_earned: row.try_get("", "n2")?,
        lifetime_spent: row.try_get("", "n3")?,
        lifetime_expired: row.try_get::<i64>("", "n4")? + due,
        expiring_lots: lots,
    })
}

/// The calling member's balance.
#[utoipa::path(get, path = "/balance/me", tag = "balance", security(("bearer" = [])),
    responses((status = 200, body = Envelope<BalanceView>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    let id = p.member_id()?.to_string();
    Ok(sbm_common::ok(read_balance(&state.db, &id, state.clock.now()).await?))
}

/// A member's balance (staff and keys with `points:read`, or the member).
#[utoipa::path(get, path = "/balance/{memberId}", tag = "balance", security(("bearer" = []), ("apiKey" = [])),
    params(("memberId" = String, Path)),
    responses((status = 200, body = Envelope<BalanceView>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(member): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require_member_or(&member, Permission::PointsRead)?;
    Ok(sbm_common::ok(
        read_balance(&state.db, &member, state.clock.now()).await?,
    ))
}
