//! Members: WeChat mini-program login, own profile and QR code, staff/API-key search,
//! POS enrolment and anonymisation.

use crate::domain::permissions as perm;
use sbm_common::idempotency::{Begin, Idempotency};
use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sbm_common::envelope::Envelope;
use sbm_common::{ApiError, ApiJson, ApiResponse, ApiResult, AppState, Auth, ListQuery, Page, Validator, ok};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::AuthCtx;
use crate::api::tokens::{self, TokenPair};
use crate::domain::members::{self as domain, EnrolMember, ProfileFields};
use crate::domain::qr::{self, QrClaims};
use crate::domain::wechat;
use crate::entity::members;

/// A member profile.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberView {
    pub id: String,
    /// Short code printed on cards and read at the till.
    pub member_code: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    pub locale: String,
    /// `active` or `anonymized`.
    pub status: String,
    /// `wechat`, `pos` or `staff`.
    pub source: String,
    pub store_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub anonymized_at: Option<DateTime<Utc>>,
}

impl From<members::Model> for MemberView {
    fn from(m: members::Model) -> Self {
        Self {
            id: m.id,
            member_code: m.member_code,
            first_name: m.first_name,
            last_name: m.last_name,
            phone: m.phone,
            email: m.email,
            birth_date: m.birth_date,
            gender: m.gender,
            locale: m.locale,
            status: m.status,
            source: m.source,
            store_id: m.store_id,
            created_at: m.created_at,
            updated_at: m.updated_at,
            anonymized_at: m.anonymized_at,
        }
    }
}

/// WeChat mini-program login request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WechatLogin {
    /// The `code` from `wx.login()`.
    pub code: String,
    /// Optional profile for a first login.
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

/// `data` of a WeChat login.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MemberSession {
    #[serde(flatten)]
    pub tokens: TokenPair,
    pub member: MemberView,
    /// True when this login created the member.
    pub is_new_member: bool,
}

/// Exchanges a WeChat `code` for a session with WeChat, then finds the member by unionid or
/// openid, or creates it (emitting `member.registered`), and returns member tokens.
#[utoipa::path(post, path = "/members/wechat-login", tag = "members", request_body = WechatLogin,
    responses((status = 200, body = Envelope<MemberSession>), (status = 401, body = sbm_common::error::ErrorEnvelope),
              (status = 503, body = sbm_common::error::ErrorEnvelope)))]
pub async fn wechat_login(
    State(state): State<AppState>,
    Extension(ctx): Extension<Arc<AuthCtx>>,
    ApiJson(req): ApiJson<WechatLogin>,
) -> ApiResult<impl IntoResponse> {
    let mut v = Validator::new();
    v.text("code", &req.code, 256);
    if let Some(n) = &req.first_name {
        v.max_chars("firstName", n, 100);
    }
    if let Some(n) = &req.last_name {
        v.max_chars("lastName", n, 100);
    }
    v.finish()?;
    let who = ctx.wechat.code_to_session(&state.config, &req.code).await?;
    let now = state.clock.now();
    let login = wechat::login(
        &state.db,
        who,
        req.first_name,
        req.last_name,
        tokens::refresh_ttl(&state),
        now,
    )
    .await?;
    Ok(ok(MemberSession {
        tokens: tokens::pair(&state, login.session, now)?,
        member: login.member.into(),
        is_new_member: login.is_new_member,
    }))
}

/// The calling member's profile.
#[utoipa::path(get, path = "/members/me", tag = "members", security(("bearer" = [])),
    responses((status = 200, body = Envelope<MemberView>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn me(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    Ok(ok(MemberView::from(
        domain::get_member(&state.db, p.member_id()?).await?,
    )))
}

/// Updates the calling member's profile.
#[utoipa::path(patch, path = "/members/me", tag = "members", security(("bearer" = [])), request_body = ProfileFields,
    responses((status = 200, body = Envelope<MemberView>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope, description = "phone or email used by another member")))]
pub async fn update_me(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(f): ApiJson<ProfileFields>,
) -> ApiResult<impl IntoResponse> {
    let id = p.member_id()?.to_string();
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let m = domain::update_member(&txn, &id, f, state.clock.now()).await?;
    txn.commit().await?;
    Ok(ok(MemberView::from(m)))
}

/// Query of the QR-code endpoint.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QrQuery {
    /// `json` (default: the code and its expiry) or `png` (the image itself).
    pub format: Option<String>,
}

/// `data` of the QR-code endpoint in JSON form.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QrCode {
    /// The signed code the QR image carries.
    pub code: String,
    pub expires_at: DateTime<Utc>,
    /// The same QR code as a PNG, base64.
    pub png_base64: String,
}

fn qr_png(code: &str) -> ApiResult<Vec<u8>> {
    let qr = qrcode::QrCode::new(code.as_bytes()).map_err(ApiError::internal)?;
    let img = qr.render::<image::Luma<u8>>().min_dimensions(256, 256).build();
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(ApiError::internal)?;
    Ok(out.into_inner())
}

/// A short-lived signed member code for check-in at a store, as JSON or as a PNG QR code.
#[utoipa::path(get, path = "/members/me/qr-code", tag = "members", security(("bearer" = [])), params(QrQuery),
    responses((status = 200, body = Envelope<QrCode>, description = "JSON, or image/png with format=png"),
              (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn qr_code(State(state): State<AppState>, Auth(p): Auth, Query(q): Query<QrQuery>) -> ApiResult<Response> {
    let now = state.clock.now();
    let ttl = chrono::Duration::from_std(state.config.member_qr_ttl).map_err(ApiError::internal)?;
    let claims = qr::claims(&state.db, p.member_id()?, state.keys.issuer(), ttl, now).await?;
    let exp = now + ttl;
    let code = state.keys.sign_any(&claims)?;
    let png = qr_png(&code)?;
    match q.format.as_deref() {
        Some("png") => Ok((
            [(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "no-store")],
            png,
        )
            .into_response()),
        None | Some("json") => {
            use base64::Engine;
            Ok(ok(QrCode {
                code,
                expires_at: exp,
                png_base64: base64::engine::general_purpose::STANDARD.encode(png),
            })
            .into_response())
        }
        Some(_) => Err(ApiError::field("format", "must be `json` or `png`")),
    }
}

/// A scanned member code.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyQr {
    pub code: String,
}

/// Resolves a scanned member QR code to the member (staff at a store, or a POS key).
#[utoipa::path(post, path = "/members/qr-code/verify", tag = "members", security(("bearer" = []), ("apiKey" = [])),
    request_body = VerifyQr,
    responses((status = 200, body = Envelope<MemberView>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn verify_qr(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<VerifyQr>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::MEMBERS_READ)?;
    let mut v = Validator::new();
    v.text("code", &req.code, 2048);
    v.finish()?;
    let claims: QrClaims = state
        .keys
        .verify_with_leeway(&req.code, qr::AUDIENCE, 1)
        .map_err(|_| ApiError::field("code", "is not a valid or current member code"))?;
    Ok(ok(MemberView::from(domain::get_member(&state.db, &claims.sub).await?)))
}

/// Lists members: `search` (name, email, phone, member code), filters `status`, `source`,
/// `storeId`; sort `createdAt`, `firstName`, `lastName`, `email`, `memberCode`.
#[utoipa::path(get, path = "/members", tag = "members", security(("bearer" = []), ("apiKey" = [])),
    params(sbm_common::query::ListParams, ("status" = Option<String>, Query, description = "active or anonymized"),
           ("source" = Option<String>, Query, description = "wechat, pos or staff"), ("storeId" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<MemberView>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(perm::MEMBERS_READ)?;
    Ok(ok(domain::list_members(&state.db, &q).await?.map(MemberView::from)))
}

/// Enrols a member from a POS or the back office. Idempotent: the same phone or email
/// returns the existing member with 200 instead of creating another (201); with
/// `Idempotency-Key` a retry also replays the first response. Returning an existing member is
/// reading it, so a caller without `members:read` gets 409 naming the field instead of the
/// profile.
#[utoipa::path(post, path = "/members", tag = "members", security(("bearer" = []), ("apiKey" = [])), request_body = EnrolMember,
    params(("Idempotency-Key" = Option<String>, Header, description = "replays the first response to a retry")),
    responses((status = 201, body = Envelope<MemberView>), (status = 200, body = Envelope<MemberView>, description = "already enrolled"),
              (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope, description = "already enrolled, and the caller may not read members")))]
pub async fn enrol(
    State(state): State<AppState>,
    Auth(p): Auth,
    idem: Idempotency,
    ApiJson(req): ApiJson<EnrolMember>,
) -> ApiResult<Response> {
    p.require(perm::MEMBERS_WRITE)?;
    let by_staff = matches!(p, sbm_common::Principal::Staff { .. });
    let may_read = p.require(perm::MEMBERS_READ).is_ok();
    let tx = match idem.begin("POST /members", &req).await? {
        Begin::Replay(stored) => return Ok(stored),
        Begin::Fresh(tx) => tx,
    };
    let sent_phone = req.phone.clone();
    let result = match domain::enrol(tx.txn(), req, by_staff, state.clock.now()).await {
        Ok((m, true)) => Ok(ApiResponse(StatusCode::CREATED, MemberView::from(m))),
        Ok((m, false)) if may_read => Ok(ApiResponse(StatusCode::OK, MemberView::from(m))),
        Ok((m, false)) => {
            let field = if sent_phone.is_some() && m.phone == sent_phone {
                "phone"
            } else {
                "email"
            };
            Err(ApiError::field(field, "is already enrolled (reading the member needs members:read)").with_status(409))
        }
        Err(e) => Err(ApiError::from(e)),
    };
    tx.finish(result, false).await
}

/// One member (staff, API key, or the member itself).
#[utoipa::path(get, path = "/members/{id}", tag = "members", security(("bearer" = []), ("apiKey" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<MemberView>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    p.require_member_or(&id, perm::MEMBERS_READ)?;
    Ok(ok(MemberView::from(domain::get_member(&state.db, &id).await?)))
}

/// Updates a member's profile (staff or API key).
#[utoipa::path(patch, path = "/members/{id}", tag = "members", security(("bearer" = []), ("apiKey" = [])), params(("id" = String, Path)),
    request_body = ProfileFields,
    responses((status = 200, body = Envelope<MemberView>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope, description = "phone or email used by another member")))]
pub async fn update(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<ProfileFields>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::MEMBERS_WRITE)?;
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let m = domain::update_member(&txn, &id, f, state.clock.now()).await?;
    txn.commit().await?;
    Ok(ok(MemberView::from(m)))
}

/// Deletes a member by anonymising it (GDPR): personal data is erased, the id and history
/// stay so ledgers remain consistent; sessions end; `member.anonymized` is emitted.
#[utoipa::path(delete, path = "/members/{id}", tag = "members", security(("bearer" = []), ("apiKey" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<MemberView>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::MEMBERS_DELETE)?;
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let m = domain::anonymise_member(&txn, &id, state.clock.now()).await?;
    txn.commit().await?;
    state.credentials.invalidate();
    Ok(ok(MemberView::from(m)))
}
