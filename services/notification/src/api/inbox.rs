//! A member's inbox: read and filter it, count what is unread, mark read.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::envelope::Envelope;
use sbm_common::{ApiJson, ApiResult, AppState, Auth, ListQuery, Page, ok};

use sbm_common::query::Locale;

use crate::domain::inbox::{self, Category, Notification, UnreadCount};
use crate::domain::members;

/// `?locale`, or else the member's own language (as auth last told notification).
pub async fn locale_or_members(state: &AppState, member: &str, asked: Option<Locale>) -> ApiResult<Option<Locale>> {
    if asked.is_some() {
        return Ok(asked);
    }
    Ok(members::get(&state.db, member)
        .await
        .map_err(sbm_common::ApiError::from)?
        .map(|m| members::locale(&m)))
}

/// The member's inbox, newest first: filters `category`, `read` (`true`/`false`),
/// `dateFrom`/`dateTo`; `locale` (`en`, `th`, `cn`) picks the title and body language (the member's own by default).
#[utoipa::path(get, path = "/notifications/me", tag = "notifications", security(("bearer" = [])),
    params(sbm_common::query::ListParams,
           ("category" = Option<String>, Query, description = "offers, loyalty, updates, transactions or system"),
           ("read" = Option<bool>, Query),
           ("dateFrom" = Option<String>, Query, description = "created from: a date or an RFC 3339 time"), ("dateTo" = Option<String>, Query, description = "created before: a time, or a date (the whole day)")),
    responses((status = 200, body = Envelope<Page<Notification>>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth, mut q: ListQuery) -> ApiResult<impl IntoResponse> {
    let member = p.member_id()?;
    q.locale = locale_or_members(&state, member, q.locale).await?;
    let read = q.filter_bool("read")?;
    let (from, to) = (q.filter_time("dateFrom", false)?, q.filter_time("dateTo", true)?);
    Ok(ok(inbox::list(&state.db, member, &q, read, from, to).await?))
}

/// The member's unread notifications, in all and per category.
#[utoipa::path(get, path = "/notifications/me/unread-count", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Envelope<UnreadCount>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn unread_count(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    Ok(ok(inbox::unread_count(&state.db, p.member_id()?).await?))
}

/// Marking one notification.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MarkRequest {
    /// `true` marks it read (keeping the first read time), `false` unread.
    pub read: bool,
}

/// Marks one of the member's notifications read or unread (another member's is a 404).
#[utoipa::path(patch, path = "/notifications/{id}", tag = "notifications", security(("bearer" = [])),
    params(("id" = String, Path), ("locale" = Option<String>, Query)), request_body = MarkRequest,
    responses((status = 200, body = Envelope<Notification>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 403, body = sbm_common::error::ErrorEnvelope), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mark(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    q: ListQuery,
    ApiJson(req): ApiJson<MarkRequest>,
) -> ApiResult<impl IntoResponse> {
    let member = p.member_id()?;
    let locale = locale_or_members(&state, member, q.locale).await?;
    Ok(ok(inbox::mark(
        &state.db,
        member,
        &id,
        req.read,
        locale,
        state.clock.now(),
    )
    .await?))
}

/// Marking everything read.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReadAllRequest {
    /// Only this category.
    pub category: Option<Category>,
}

/// How many were marked.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadAll {
    pub updated: u64,
}

/// Marks all the member's unread notifications read (of one `category`, if given).
#[utoipa::path(post, path = "/notifications/me/read-all", tag = "notifications", security(("bearer" = [])),
    request_body = ReadAllRequest,
    responses((status = 200, body = Envelope<ReadAll>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn read_all(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<ReadAllRequest>,
) -> ApiResult<impl IntoResponse> {
    let member = p.member_id()?;
    let updated = inbox::read_all(&state.db, member, req.category, state.clock.now()).await?;
    Ok(ok(ReadAll { updated }))
}
