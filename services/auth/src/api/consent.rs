//! Versioned legal documents (privacy policy, terms of service) and members' acceptance
//! history, which is append-only.

use crate::domain::permissions as perm;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use chrono::{DateTime, Utc};
use sbm_common::envelope::Envelope;
use sbm_common::query::Locale;
use sbm_common::{ApiJson, ApiResult, AppState, Auth, ListQuery, Page, created, ok};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::consent::{self as domain, KINDS, NewConsentDocument};
use crate::entity::{consent_documents, member_consents};

/// A consent document version.
#[derive(Debug, Serialize, ToSchema)]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Resolved body for `?locale=`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl From<consent_documents::Model> for ConsentDocument {
    fn from(d: consent_documents::Model) -> Self {
        Self {
            id: d.id,
            kind: d.kind,
            version: d.version,
            title_en: d.title_en,
            title_th: d.title_th,
            title_cn: d.title_cn,
            body_en: d.body_en,
            body_th: d.body_th,
            body_cn: d.body_cn,
            effective_at: d.effective_at,
            created_at: d.created_at,
            title: None,
            body: None,
        }
    }
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

/// Lists document versions: filter `kind`; sort `version`, `effectiveAt`, `createdAt`.
#[utoipa::path(get, path = "/consent-documents", tag = "consent",
    params(sbm_common::query::ListParams, ("kind" = Option<String>, Query, description = "privacy_policy or terms_of_service")),
    responses((status = 200, body = Envelope<Page<ConsentDocument>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let page = domain::list_documents(&state.db, &q).await?;
    Ok(ok(page.map(|d| ConsentDocument::from(d).localize(q.locale))))
}

/// Publishes a new version of a document (staff with `consent:write`).
#[utoipa::path(post, path = "/consent-documents", tag = "consent", security(("bearer" = [])), request_body = NewConsentDocument,
    responses((status = 201, body = Envelope<ConsentDocument>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<NewConsentDocument>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::CONSENT_WRITE)?;
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let doc = domain::publish(&txn, req, p.id(), state.clock.now()).await?;
    txn.commit().await?;
    Ok(created(ConsentDocument::from(doc)))
}

/// The versions in force now, one per kind (`?kind=` for one).
#[utoipa::path(get, path = "/consent-documents/current", tag = "consent",
    params(("kind" = Option<String>, Query, description = "privacy_policy or terms_of_service"), ("locale" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Vec<ConsentDocument>>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn current(State(state): State<AppState>, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let kind = q.filter_enum("kind", &KINDS)?;
    let docs = domain::current(&state.db, kind.as_deref(), state.clock.now()).await?;
    let out: Vec<ConsentDocument> = docs
        .into_iter()
        .map(|d| ConsentDocument::from(d).localize(q.locale))
        .collect();
    Ok(ok(out))
}

/// One document version.
#[utoipa::path(get, path = "/consent-documents/{id}", tag = "consent", params(("id" = String, Path)),
    responses((status = 200, body = Envelope<ConsentDocument>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Path(id): Path<String>, q: ListQuery) -> ApiResult<impl IntoResponse> {
    Ok(ok(
        ConsentDocument::from(domain::get_document(&state.db, &id).await?).localize(q.locale)
    ))
}

/// One acceptance (or refusal) record.
#[derive(Debug, Serialize, ToSchema)]
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

impl From<member_consents::Model> for ConsentRecord {
    fn from(r: member_consents::Model) -> Self {
        Self {
            id: r.id,
            member_id: r.member_id,
            document_id: r.document_id,
            kind: r.kind,
            version: r.version,
            accepted: r.accepted,
            source: r.source,
            created_at: r.created_at,
        }
    }
}

fn records(rows: Vec<member_consents::Model>) -> Vec<ConsentRecord> {
    rows.into_iter().map(ConsentRecord::from).collect()
}

/// A member's decision on a document version.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecordConsent {
    pub document_id: String,
    pub accepted: bool,
}

/// The calling member's consent history, newest first.
#[utoipa::path(get, path = "/members/me/consents", tag = "consent", security(("bearer" = [])),
    responses((status = 200, body = Envelope<Vec<ConsentRecord>>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn my_history(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    Ok(ok(records(domain::history(&state.db, p.member_id()?).await?)))
}

/// Records the calling member's acceptance or refusal of a document version (appended).
#[utoipa::path(post, path = "/members/me/consents", tag = "consent", security(("bearer" = [])), request_body = RecordConsent,
    responses((status = 201, body = Envelope<ConsentRecord>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn record(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<RecordConsent>,
) -> ApiResult<impl IntoResponse> {
    let member_id = p.member_id()?;
    let mut v = sbm_common::Validator::new();
    v.text("documentId", &req.document_id, 64);
    v.finish()?;
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let rec = domain::record(&txn, member_id, &req.document_id, req.accepted, state.clock.now()).await?;
    txn.commit().await?;
    Ok(created(ConsentRecord::from(rec)))
}

/// A member's consent history (staff).
#[utoipa::path(get, path = "/members/{id}/consents", tag = "consent", security(("bearer" = []), ("apiKey" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Vec<ConsentRecord>>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn member_history(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require_member_or(&id, perm::MEMBERS_READ)?;
    Ok(ok(records(domain::history(&state.db, &id).await?)))
}
