//! Versioned legal documents (privacy policy, terms of service) and members' acceptance
//! history, which is append-only.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use sbm_common::db::{exec, query_all, query_one};
use sbm_common::envelope::Envelope;
use sbm_common::outbox::emit;
use sbm_common::query::Locale;
use sbm_common::{ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Permission, Validator, created, ok};
use sea_orm::{FromQueryResult, Value};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::members::get_member;

/// A consent document version.
#[derive(Debug, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct ConsentDocument {
    pub id: String,
    /// `privacy_policy` or `terms_of_service`.
    pub kind: String,
    pub version: i32,
    #[serde(rename = "title_en")]
    pub title_en: String,
    #[serde(rename = "title_th")]
    pub title_th: String,
    #[serde(rename = "title_cn")]
    pub title_cn: String,
    #[serde(rename = "body_en")]
    pub body_en: String,
    #[serde(rename = "body_th")]
    pub body_th: String,
    #[serde(rename = "body_cn")]
    pub body_cn: String,
    pub effective_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// Resolved title for `?locale=`.
    #[sea_orm(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Resolved body for `?locale=`.
    #[sea_orm(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl ConsentDocument {
    fn localize(mut self, locale: Option<Locale>) -> Self {
        if let Some(l) = locale {
            self.title = Some(l.pick(&self.title_en, &self.title_th, &self.title_cn).to_string());
            self.body = Some(l.pick(&self.body_en, &self.body_th, &self.body_cn).to_string());
        }
        self
    }
}

const COLS: &str =
    "id, kind, version, title_en, title_th, title_cn, body_en, body_th, body_cn, effective_at, created_at";
const KINDS: [&str; 2] = ["privacy_policy", "terms_of_service"];

/// A new version of a document. The version number is assigned.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewConsentDocument {
    pub kind: String,
    #[serde(rename = "title_en")]
    pub title_en: String,
    #[serde(rename = "title_th", default)]
    pub title_th: String,
    #[serde(rename = "title_cn", default)]
    pub title_cn: String,
    #[serde(rename = "body_en")]
    pub body_en: String,
    #[serde(rename = "body_th", default)]
    pub body_th: String,
    #[serde(rename = "body_cn", default)]
    pub body_cn: String,
    /// When it takes effect; now when absent.
    pub effective_at: Option<DateTime<Utc>>,
}

/// Lists document versions: filter `kind`; sort `version`, `effectiveAt`, `createdAt`.
#[utoipa::path(get, path = "/consent-documents", tag = "consent",
    params(sbm_common::query::ListParams, ("kind" = Option<String>, Query, description = "privacy_policy or terms_of_service")),
    responses((status = 200, body = Envelope<Page<ConsentDocument>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let (sort, order) = q.sort(
        &[
            ("version", "version"),
            ("effectiveAt", "effective_at"),
            ("createdAt", "created_at"),
        ],
        "created_at",
    )?;
    let mut wh = vec!["1 = 1".to_string()];
    let mut vals: Vec<Value> = vec![];
    if let Some(k) = q.filter_enum("kind", &KINDS)? {
        wh.push("kind = ?".into());
        vals.push(k.into());
    }
    if let Some(s) = &q.search {
        wh.push("LOWER(title_en) LIKE ?".into());
        vals.push(format!("%{}%", s.to_lowercase()).into());
    }
    let page: Page<ConsentDocument> = q
        .fetch_page(
            &state.db,
            "consent_documents",
            COLS,
            &wh.join(" AND "),
            vals,
            &ListQuery::order_by(sort, order, "id"),
        )
        .await?;
    let Page { meta, data } = page;
    Ok(ok(Page {
        meta,
        data: data.into_iter().map(|d| d.localize(q.locale)).collect(),
    }))
}

/// Publishes a new version of a document (staff with `consent:write`).
#[utoipa::path(post, path = "/consent-documents", tag = "consent", security(("bearer" = [])), request_body = NewConsentDocument,
    responses((status = 201, body = Envelope<ConsentDocument>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<NewConsentDocument>,
) -> ApiResult<impl IntoResponse> {
    p.require(Permission::ConsentWrite)?;
    let mut v = Validator::new();
    v.check(
        KINDS.contains(&req.kind.as_str()),
        "kind",
        "must be privacy_policy or terms_of_service",
    );
    v.text("title_en", &req.title_en, 200);
    v.text("body_en", &req.body_en, 200_000);
    v.finish()?;
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let row = query_one(
        &txn,
        "SELECT COALESCE(MAX(version), 0) AS v FROM consent_documents WHERE kind = ?",
        vec![req.kind.clone().into()],
    )
    .await?
    .ok_or_else(|| ApiError::internal("max returned no row"))?;
    let version: i32 = row
        .try_get::<i64>("", "v")
        .map(|v| v as i32)
        .or_else(|_| row.try_get::<i32>("", "v"))?
        + 1;
    let id = uuid::Uuid::now_v7().to_string();
    let now = Utc::now();
    exec(
        &txn,
        "INSERT INTO consent_documents (id, kind, version, title_en, title_th, title_cn, body_en, body_th, body_cn, effective_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            id.clone().into(), req.kind.clone().into(), version.into(), req.title_en.into(), req.title_th.into(), req.title_cn.into(),
            req.body_en.into(), req.body_th.into(), req.body_cn.into(), req.effective_at.unwrap_or(now).into(), p.id().to_string().into(), now.into(),
        ],
    )
    .await?;
    emit(
        &txn,
        "consent.document_published",
        &id,
        serde_json::json!({"documentId": id, "kind": req.kind, "version": version}),
    )
    .await?;
    let doc = fetch(&txn, &id).await?;
    txn.commit().await?;
    Ok(created(doc))
}

async fn fetch(db: &impl sea_orm::ConnectionTrait, id: &str) -> ApiResult<ConsentDocument> {
    let row = query_one(
        db,
        &format!("SELECT {COLS} FROM consent_documents WHERE id = ?"),
        vec![id.into()],
    )
    .await?
    .ok_or_else(|| ApiError::not_found("Consent document"))?;
    Ok(ConsentDocument::from_query_result(&row, "")?)
}

async fn current_of(db: &impl sea_orm::ConnectionTrait, kind: &str) -> ApiResult<Option<ConsentDocument>> {
    let row = query_one(
        db,
        &format!(
            "SELECT {COLS} FROM consent_documents WHERE kind = ? AND effective_at <= ? ORDER BY version DESC LIMIT 1"
        ),
        vec![kind.into(), Utc::now().into()],
    )
    .await?;
    Ok(row.map(|r| ConsentDocument::from_query_result(&r, "")).transpose()?)
}

/// The versions in force now, one per kind (`?kind=` for one).
#[utoipa::path(get, path = "/consent-documents/current", tag = "consent",
    params(("kind" = Option<String>, Query, description = "privacy_policy or terms_of_service"), ("locale" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Vec<ConsentDocument>>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn current(State(state): State<AppState>, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let kinds: Vec<String> = match q.filter_enum("kind", &KINDS)? {
        Some(k) => vec![k],
        None => KINDS.iter().map(|k| k.to_string()).collect(),
    };
    let mut out = Vec::new();
    for k in &kinds {
        if let Some(d) = current_of(&state.db, k).await? {
            out.push(d.localize(q.locale));
        }
    }
    if out.is_empty() {
        return Err(ApiError::not_found("Current consent document"));
    }
    Ok(ok(out))
}

/// One document version.
#[utoipa::path(get, path = "/consent-documents/{id}", tag = "consent", params(("id" = String, Path)),
    responses((status = 200, body = Envelope<ConsentDocument>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Path(id): Path<String>, q: ListQuery) -> ApiResult<impl IntoResponse> {
    Ok(ok(fetch(&state.db, &id).await?.localize(q.locale)))
}

/// One acceptance (or refusal) record.
#[derive(Debug, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct ConsentRecord {
    pub id: String,
    pub member_id: String,
    pub document_id: String,
    pub kind: String,
    pub version: i32,
    pub accepted: bool,
    pub source: String,
    pub created_at: DateTime<Utc>,
}

/// A member's decision on a document version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordConsent {
    pub document_id: String,
    pub accepted: bool,
}

async fn history(db: &impl sea_orm::ConnectionTrait, member_id: &str) -> ApiResult<Vec<ConsentRecord>> {
    let rows = query_all(
        db,
        "SELECT id, member_id, document_id, kind, version, accepted, source, created_at FROM member_consents WHERE member_id = ? ORDER BY created_at DESC, id DESC",
        vec![member_id.into()],
    )
    .await?;
    Ok(rows
        .iter()
        .map(|r| ConsentRecord::from_query_result(r, ""))
        .collect::<Result<_, _>>()?)
}

/// The calling member's consent history, newest first.
#[utoipa::path(get, path = "/members/me/consents", tag = "consent", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Vec<ConsentRecord>>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn my_history(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    Ok(ok(history(&state.db, p.member_id()?).await?))
}

/// Records the calling member's acceptance or refusal of a document version (appended).
#[utoipa::path(post, path = "/members/me/consents", tag = "consent", security(("bearer" = [])), request_body = RecordConsent,
    responses((status = 201, body = Envelope<ConsentRecord>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn record(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<RecordConsent>,
) -> ApiResult<impl IntoResponse> {
    let member_id = p.member_id()?.to_string();
    let doc = fetch(&state.db, &req.document_id)
        .await
        .map_err(|_| ApiError::field("documentId", "no such consent document"))?;
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let id = uuid::Uuid::now_v7().to_string();
    exec(
        &txn,
        "INSERT INTO member_consents (id, member_id, document_id, kind, version, accepted, source, created_at) VALUES (?, ?, ?, ?, ?, ?, 'member', ?)",
        vec![id.clone().into(), member_id.clone().into(), doc.id.clone().into(), doc.kind.clone().into(), doc.version.into(), req.accepted.into(), Utc::now().into()],
    )
    .await?;
    emit(
        &txn,
        "member.consent_recorded",
        &member_id,
        serde_json::json!({"memberId": member_id, "documentId": doc.id, "kind": doc.kind, "version": doc.version, "accepted": req.accepted}),
    )
    .await?;
    txn.commit().await?;
    let rec = history(&state.db, &member_id)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| ApiError::internal("consent vanished"))?;
    Ok(created(rec))
}

/// A member's consent history (staff).
#[utoipa::path(get, path = "/members/{id}/consents", tag = "consent", security(("bearer" = []), ("apiKey" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Vec<ConsentRecord>>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn member_history(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require_member_or(&id, Permission::MembersRead)?;
    get_member(&state.db, &id).await?;
    Ok(ok(history(&state.db, &id).await?))
}
