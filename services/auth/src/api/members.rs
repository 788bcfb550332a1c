//! Members: WeChat mini-program login, own profile and QR code, staff/API-key search,
//! POS enrolment and anonymisation.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use sbm_common::db::{exec, query_one};
use sbm_common::envelope::Envelope;
use sbm_common::outbox::emit;
use sbm_common::{
    ApiError, ApiJson, ApiResponse, ApiResult, AppState, Auth, ListQuery, Page, Permission, Validator, created, ok,
};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AuthCtx;
use crate::tokens::{self, Subject, TokenPair};

/// A member profile.
#[derive(Debug, Clone, Serialize, ToSchema, FromQueryResult)]
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
    #[serde(skip)]
    pub wechat_openid: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub anonymized_at: Option<DateTime<Utc>>,
}

const COLS: &str = "id, member_code, first_name, last_name, phone, email, birth_date, gender, locale, status, source, store_id, wechat_openid, created_at, updated_at, anonymized_at";

/// Editable profile fields (members edit their own; staff and keys any member's).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileFields {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birth_date: Option<String>,
    /// `female`, `male`, `other` or `undisclosed`.
    pub gender: Option<String>,
    /// `en`, `th` or `cn`.
    pub locale: Option<String>,
}

/// POS or back-office enrolment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnrolMember {
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    pub locale: Option<String>,
    pub store_id: Option<String>,
}

fn normalize_phone(p: &str) -> String {
    p.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()
}

fn validate_profile(v: &mut Validator, f: &ProfileFields) {
    if let Some(n) = &f.first_name {
        v.text("firstName", n, 100);
    }
    if let Some(n) = &f.last_name {
        v.check(n.chars().count() <= 100, "lastName", "must be at most 100 characters");
    }
    if let Some(p) = &f.phone {
        let n = normalize_phone(p);
        v.check(
            n.len() >= 6 && n.len() <= 20,
            "phone",
            "must be a phone number of 6 to 20 digits",
        );
    }
    if let Some(e) = &f.email {
        v.email("email", e);
    }
    if let Some(b) = &f.birth_date {
        let ok = NaiveDate::parse_from_str(b, "%Y-%m-%d").is_ok_and(|d| d <= Utc::now().date_naive());
        v.check(ok, "birthDate", "must be a past date as YYYY-MM-DD");
    }
    if let Some(g) = &f.gender {
        v.check(
            ["female", "male", "other", "undisclosed"].contains(&g.as_str()),
            "gender",
            "must be one of female, male, other, undisclosed",
        );
    }
    if let Some(l) = &f.locale {
        v.check(
            ["en", "th", "cn"].contains(&l.as_str()),
            "locale",
            "must be one of en, th, cn",
        );
    }
}

fn new_member_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let s: String = (0..10)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("M{s}")
}

/// One member or 404.
pub async fn get_member(db: &impl ConnectionTrait, id: &str) -> ApiResult<MemberView> {
    let row = query_one(db, &format!("SELECT {COLS} FROM members WHERE id = ?"), vec![id.into()])
        .await?
        .ok_or_else(|| ApiError::not_found("Member"))?;
    Ok(MemberView::from_query_result(&row, "")?)
}

async fn find_by(db: &impl ConnectionTrait, col: &str, value: &str) -> ApiResult<Option<MemberView>> {
    let row = query_one(
        db,
        &format!("SELECT {COLS} FROM members WHERE {col} = ?"),
        vec![value.into()],
    )
    .await?;
    Ok(row.map(|r| MemberView::from_query_result(&r, "")).transpose()?)
}

/// Inserts a member and emits `member.registered` in the same transaction.
#[allow(clippy::too_many_arguments)]
pub async fn insert_member(
    db: &impl ConnectionTrait,
    source: &str,
    first: &str,
    last: &str,
    profile: &ProfileFields,
    openid: Option<&str>,
    unionid: Option<&str>,
    store_id: Option<&str>,
) -> ApiResult<MemberView> {
    let id = uuid::Uuid::now_v7().to_string();
    let now = Utc::now();
    exec(
        db,
        "INSERT INTO members (id, member_code, wechat_openid, wechat_unionid, phone, email, first_name, last_name, birth_date, gender, locale, status, source, store_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)",
        vec![
            id.clone().into(),
            new_member_code().into(),
            openid.map(str::to_string).into(),
            unionid.map(str::to_string).into(),
            profile.phone.as_deref().map(normalize_phone).into(),
            profile.email.as_deref().map(|e| e.trim().to_ascii_lowercase()).into(),
            first.trim().to_string().into(),
            last.trim().to_string().into(),
            profile.birth_date.clone().into(),
            profile.gender.clone().into(),
            profile.locale.clone().unwrap_or_else(|| "en".into()).into(),
            source.into(),
            store_id.map(str::to_string).into(),
            now.into(),
            now.into(),
        ],
    )
    .await?;
    let m = get_member(db, &id).await?;
    emit(
        db,
        "member.registered",
        &id,
        serde_json::json!({
            "memberId": id, "memberCode": m.member_code, "source": source, "storeId": store_id,
            "registeredAt": m.created_at,
        }),
    )
    .await?;
    Ok(m)
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

#[derive(Debug, Deserialize)]
struct Code2Session {
    openid: Option<String>,
    unionid: Option<String>,
    errcode: Option<i64>,
    errmsg: Option<String>,
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
    v.finish()?;
    let url = format!("{}/sns/jscode2session", state.config.wechat_base_url);
    let res = ctx
        .http
        .get(&url)
        .query(&[
            ("appid", state.config.wechat_app_id.as_str()),
            ("secret", state.config.wechat_app_secret.0.as_str()),
            ("js_code", req.code.as_str()),
            ("grant_type", "authorization_code"),
        ])
        .send()
        .await
        .map_err(|e| {
            tracing::error!(error = %e.without_url(), "WeChat session endpoint unreachable");
            ApiError::unavailable("WeChat is unreachable; try again shortly")
        })?;
    let body: Code2Session = res.json().await.map_err(|e| {
        tracing::error!(error = %e.without_url(), "WeChat session endpoint answered garbage");
        ApiError::unavailable("WeChat answered unexpectedly; try again shortly")
    })?;
    if body.errcode.unwrap_or(0) != 0 || body.openid.is_none() {
        tracing::info!(errcode = ?body.errcode, errmsg = ?body.errmsg, "WeChat refused a login code");
        return Err(ApiError::unauthorized("WeChat did not accept the login code"));
    }
    let openid = body.openid.unwrap_or_default();
    let unionid = body.unionid.filter(|u| !u.is_empty());

    let mut is_new = false;
    let mut member = None;
    for _attempt in 0..2 {
        if let Some(u) = &unionid
            && let Some(m) = find_by(&state.db, "wechat_unionid", u).await?
        {
            if m.wechat_openid.as_deref() != Some(openid.as_str()) {
                exec(
                    &state.db,
                    "UPDATE members SET wechat_openid = ?, updated_at = ? WHERE id = ?",
                    vec![openid.clone().into(), Utc::now().into(), m.id.clone().into()],
                )
                .await?;
            }
            member = Some(m);
            break;
        }
        if let Some(m) = find_by(&state.db, "wechat_openid", &openid).await? {
            if let Some(u) = &unionid {
                exec(
                    &state.db,
                    "UPDATE members SET wechat_unionid = ?, updated_at = ? WHERE id = ? AND wechat_unionid IS NULL",
                    vec![u.clone().into(), Utc::now().into(), m.id.clone().into()],
                )
                .await?;
            }
            member = Some(m);
            break;
        }
        let txn = sbm_common::db::begin_write(&state.db).await?;
        let first = req.first_name.clone().unwrap_or_default();
        let last = req.last_name.clone().unwrap_or_default();
        match insert_member(
            &txn,
            "wechat",
            &first,
            &last,
            &ProfileFields::default(),
            Some(&openid),
            unionid.as_deref(),
            None,
        )
        .await
        {
            Ok(m) => {
                txn.commit().await?;
                is_new = true;
                member = Some(m);
                break;
            }
            // A concurrent first login won the race: read its member on the next pass.
            Err(e) if e.status == StatusCode::CONFLICT => {
                txn.rollback().await?;
                continue;
            }
            Err(e) => return Err(e),
        }
    }
    let member = member.ok_or_else(|| ApiError::conflict("Concurrent login; retry"))?;
    if member.status != "active" {
        return Err(ApiError::unauthorized("This member account was deleted"));
    }
    let pair = tokens::start_session(
        &state.db,
        &state,
        &Subject {
            kind: "member",
            id: member.id.clone(),
            role: None,
        },
    )
    .await?;
    Ok(ok(MemberSession {
        tokens: pair,
        member,
        is_new_member: is_new,
    }))
}

/// The calling member's profile.
#[utoipa::path(get, path = "/members/me", tag = "members", security(("bearer" = [])),
    responses((status = 200, body = Envelope<MemberView>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn me(State(state): State<AppState>, Auth(p): Auth) -> ApiResult<impl IntoResponse> {
    Ok(ok(get_member(&state.db, p.member_id()?).await?))
}

async fn apply_update(db: &impl ConnectionTrait, id: &str, f: ProfileFields) -> ApiResult<MemberView> {
    let current = get_member(db, id).await?;
    if current.status != "active" {
        return Err(ApiError::conflict("An anonymized member cannot be edited"));
    }
    let mut v = Validator::new();
    validate_profile(&mut v, &f);
    v.finish()?;
    let mut sets = vec!["updated_at = ?".to_string()];
    let mut vals: Vec<Value> = vec![Utc::now().into()];
    let mut changed = Vec::new();
    let mut set = |col: &str, name: &str, val: Option<String>| {
        if let Some(x) = val {
            sets.push(format!("{col} = ?"));
            vals.push(x.into());
            changed.push(name.to_string());
        }
    };
    set("first_name", "firstName", f.first_name.map(|s| s.trim().to_string()));
    set("last_name", "lastName", f.last_name.map(|s| s.trim().to_string()));
    set("phone", "phone", f.phone.as_deref().map(normalize_phone));
    set("email", "email", f.email.map(|e| e.trim().to_ascii_lowercase()));
    set("birth_date", "birthDate", f.birth_date);
    set("gender", "gender", f.gender);
    set("locale", "locale", f.locale);
    vals.push(id.into());
    exec(
        db,
        &format!("UPDATE members SET {} WHERE id = ?", sets.join(", ")),
        vals,
    )
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(m)) => {
            let field = if m.contains("phone") { "phone" } else { "email" };
            ApiError::field(field, "is already used by another member").with_status(409)
        }
        _ => e.into(),
    })?;
    if !changed.is_empty() {
        emit(
            db,
            "member.updated",
            id,
            serde_json::json!({"memberId": id, "changed": changed}),
        )
        .await?;
    }
    get_member(db, id).await
}

/// Updates the calling member's profile.
#[utoipa::path(patch, path = "/members/me", tag = "members", security(("bearer" = [])), request_body = ProfileFields,
    responses((status = 200, body = Envelope<MemberView>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update_me(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(f): ApiJson<ProfileFields>,
) -> ApiResult<impl IntoResponse> {
    let id = p.member_id()?.to_string();
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let m = apply_update(&txn, &id, f).await?;
    txn.commit().await?;
    Ok(ok(m))
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

#[derive(Debug, Serialize, Deserialize)]
struct QrClaims {
    sub: String,
    aud: String,
    iss: String,
    exp: i64,
    iat: i64,
}

const QR_AUDIENCE: &str = "sbm-crm-member-qr";

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
    let id = p.member_id()?.to_string();
    let m = get_member(&state.db, &id).await?;
    if m.status != "active" {
        return Err(ApiError::forbidden("This member account was deleted"));
    }
    let now = Utc::now();
    let exp = now + chrono::Duration::from_std(state.config.member_qr_ttl).map_err(ApiError::internal)?;
    let claims = QrClaims {
        sub: id,
        aud: QR_AUDIENCE.into(),
        iss: state.keys.issuer().into(),
        exp: exp.timestamp(),
        iat: now.timestamp(),
    };
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
    p.require(Permission::MembersRead)?;
    let claims: QrClaims = state
        .keys
        .verify_with_leeway(&req.code, QR_AUDIENCE, 1)
        .map_err(|_| ApiError::field("code", "is not a valid or current member code"))?;
    Ok(ok(get_member(&state.db, &claims.sub).await?))
}

/// Lists members: `search` (name, email, phone, member code), filters `status`, `source`,
/// `storeId`; sort `createdAt`, `firstName`, `lastName`, `email`, `memberCode`.
#[utoipa::path(get, path = "/members", tag = "members", security(("bearer" = []), ("apiKey" = [])),
    params(sbm_common::query::ListParams, ("status" = Option<String>, Query, description = "active or anonymized"),
           ("source" = Option<String>, Query, description = "wechat, pos or staff"), ("storeId" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<MemberView>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(Permission::MembersRead)?;
    let (sort, order) = q.sort(
        &[
            ("createdAt", "created_at"),
            ("firstName", "first_name"),
            ("lastName", "last_name"),
            ("email", "email"),
            ("memberCode", "member_code"),
        ],
        "created_at",
    )?;
    let mut wh = vec!["1 = 1".to_string()];
    let mut vals: Vec<Value> = vec![];
    if let Some(s) = q.filter_enum("status", &["active", "anonymized"])? {
        wh.push("status = ?".into());
        vals.push(s.into());
    }
    if let Some(s) = q.filter_enum("source", &["wechat", "pos", "staff"])? {
        wh.push("source = ?".into());
        vals.push(s.into());
    }
    if let Some(s) = q.filter("storeId") {
        wh.push("store_id = ?".into());
        vals.push(s.to_string().into());
    }
    if let Some(s) = &q.search {
        let pat = format!("%{}%", s.to_lowercase());
        let digits = normalize_phone(s);
        let mut any =
            "LOWER(first_name || ' ' || last_name) LIKE ? OR LOWER(COALESCE(email, '')) LIKE ? OR member_code = ?"
                .to_string();
        vals.extend([pat.clone().into(), pat.into(), s.to_uppercase().into()]);
        // Phone matches only for searches with digits; an empty pattern would match every phone.
        if digits.chars().filter(|c| c.is_ascii_digit()).count() >= 3 {
            any.push_str(" OR COALESCE(phone, '') LIKE ?");
            vals.push(format!("%{digits}%").into());
        }
        wh.push(format!("({any})"));
    }
    let page: Page<MemberView> = q
        .fetch_page(
            &state.db,
            "members",
            COLS,
            &wh.join(" AND "),
            vals,
            &ListQuery::order_by(sort, order, "id"),
        )
        .await?;
    Ok(ok(page))
}

/// Enrols a member from a POS or the back office. Idempotent: the same phone or email
/// returns the existing member with 200 instead of creating another (201).
#[utoipa::path(post, path = "/members", tag = "members", security(("bearer" = []), ("apiKey" = [])), request_body = EnrolMember,
    responses((status = 201, body = Envelope<MemberView>), (status = 200, body = Envelope<MemberView>, description = "already enrolled"),
              (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn enrol(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(req): ApiJson<EnrolMember>,
) -> ApiResult<Response> {
    p.require(Permission::MembersWrite)?;
    let profile = ProfileFields {
        first_name: Some(req.first_name.clone()),
        last_name: Some(req.last_name.clone()),
        phone: req.phone.clone(),
        email: req.email.clone(),
        birth_date: req.birth_date.clone(),
        gender: req.gender.clone(),
        locale: req.locale.clone(),
    };
    let mut v = Validator::new();
    validate_profile(&mut v, &profile);
    if req.phone.is_none() && req.email.is_none() {
        v.add("phone", "a phone or an email is required to enrol a member");
    }
    if let Some(s) = &req.store_id {
        v.text("storeId", s, 64);
    }
    v.finish()?;
    let txn = sbm_common::db::begin_write(&state.db).await?;
    for (col, val) in [
        ("phone", req.phone.as_deref().map(normalize_phone)),
        ("email", req.email.as_deref().map(|e| e.trim().to_ascii_lowercase())),
    ] {
        if let Some(val) = val
            && let Some(m) = find_by(&txn, col, &val).await?
        {
            txn.rollback().await?;
            return Ok(ApiResponse(StatusCode::OK, m).into_response());
        }
    }
    let source = if matches!(p, sbm_common::Principal::Staff { .. }) && req.store_id.is_none() {
        "staff"
    } else {
        "pos"
    };
    let m = insert_member(
        &txn,
        source,
        &req.first_name,
        &req.last_name,
        &profile,
        None,
        None,
        req.store_id.as_deref(),
    )
    .await?;
    txn.commit().await?;
    Ok(created(m).into_response())
}

/// One member (staff, API key, or the member itself).
#[utoipa::path(get, path = "/members/{id}", tag = "members", security(("bearer" = []), ("apiKey" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<MemberView>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    p.require_member_or(&id, Permission::MembersRead)?;
    Ok(ok(get_member(&state.db, &id).await?))
}

/// Updates a member's profile (staff or API key).
#[utoipa::path(patch, path = "/members/{id}", tag = "members", security(("bearer" = []), ("apiKey" = [])), params(("id" = String, Path)),
    request_body = ProfileFields,
    responses((status = 200, body = Envelope<MemberView>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(f): ApiJson<ProfileFields>,
) -> ApiResult<impl IntoResponse> {
    p.require(Permission::MembersWrite)?;
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let m = apply_update(&txn, &id, f).await?;
    txn.commit().await?;
    Ok(ok(m))
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
    p.require(Permission::MembersDelete)?;
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let m = get_member(&txn, &id).await?;
    if m.status == "anonymized" {
        txn.rollback().await?;
        return Ok(ok(m));
    }
    let now = Utc::now();
    exec(
        &txn,
        "UPDATE members SET first_name = 'Deleted', last_name = 'Member', phone = NULL, email = NULL, birth_date = NULL, gender = NULL, wechat_openid = NULL, wechat_unionid = NULL, store_id = NULL, status = 'anonymized', anonymized_at = ?, updated_at = ? WHERE id = ?",
        vec![now.into(), now.into(), id.clone().into()],
    )
    .await?;
    tokens::revoke_subject(&txn, "member", &id).await?;
    emit(
        &txn,
        "member.anonymized",
        &id,
        serde_json::json!({"memberId": id, "anonymizedAt": now}),
    )
    .await?;
    let m = get_member(&txn, &id).await?;
    txn.commit().await?;
    Ok(ok(m))
}
