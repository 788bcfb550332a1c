//! Code pools (staff with `rewards:write`; reads with `rewards:read`): import as JSON or as a
//! CSV upload, generate from a pattern, list, look up at the till, void.

use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::envelope::Envelope;
use sbm_common::{ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, created, ok};

use crate::domain::codes::{self, Code, GenerateReport, ImportReport};
use crate::domain::permissions as perm;

/// Codes to import, as JSON.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImportCodes {
    /// Up to 100000 codes, within the upload limit (`SBM_MAX_UPLOAD_BYTES`, 5 MiB by default):
    /// 1 to 64 letters, digits, `-` or `_`; unique across every pool.
    pub codes: Vec<String>,
    /// A label for this lot of codes (a filter of the code list).
    pub batch: Option<String>,
}

/// Codes to import, as a CSV upload (documentation).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CodesUpload {
    /// A CSV file: one code per line, in the first column; a first line `code` is a header.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
    pub batch: Option<String>,
}

/// Codes to generate.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenerateCodes {
    /// `#` is a random character (no look-alikes such as `0`/`O` or `1`/`I`); the rest is kept:
    /// capitals, digits, `-`, `_`; at least six `#`. Example: `SUMMER-####-####`.
    pub pattern: String,
    /// 1 to 100000.
    pub count: usize,
    pub batch: Option<String>,
}

fn bad_multipart(limit: usize) -> impl Fn(axum::extract::multipart::MultipartError) -> ApiError {
    move |e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The upload exceeds {limit} bytes"),
            )
        } else {
            ApiError::bad_request(format!("Malformed multipart body: {}", e.body_text()))
        }
    }
}

/// The codes of a CSV file, numbered by line: the first column of each record; blank lines
/// are skipped, and so is a first line reading `code`.
fn read_csv(bytes: &[u8]) -> ApiResult<Vec<(usize, String)>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ApiError::field("file", format!("is not readable CSV: {e}")))?;
        let line = record.position().map_or(out.len() + 1, |p| p.line() as usize);
        let Some(first) = record.get(0).map(str::trim) else {
            continue;
        };
        if first.is_empty() || (line == 1 && first.eq_ignore_ascii_case("code")) {
            continue;
        }
        out.push((line, first.to_string()));
    }
    Ok(out)
}

/// The codes and batch of a multipart upload (`file`, `batch`).
async fn read_upload(mut multipart: Multipart, limit: usize) -> ApiResult<(Vec<(usize, String)>, Option<String>)> {
    let mut file: Option<Vec<u8>> = None;
    let mut batch = None;
    while let Some(mut field) = multipart.next_field().await.map_err(bad_multipart(limit))? {
        match field.name().unwrap_or("") {
            "file" => {
                let mut buf = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(bad_multipart(limit))? {
                    if buf.len() + chunk.len() > limit {
                        return Err(ApiError::new(
                            StatusCode::PAYLOAD_TOO_LARGE,
                            format!("The file exceeds {limit} bytes"),
                        ));
                    }
                    buf.extend_from_slice(&chunk);
                }
                file = Some(buf);
            }
            "batch" => {
                let text = field.text().await.map_err(bad_multipart(limit))?;
                if text.contains('\0') {
                    return Err(ApiError::field("batch", "must not contain NUL characters"));
                }
                batch = Some(text.trim().to_string());
            }
            other => return Err(ApiError::field(other, "is not a field of a code upload (file, batch)")),
        }
    }
    let file = file.ok_or_else(|| ApiError::field("file", "is required"))?;
    Ok((read_csv(&file)?, batch))
}

/// Imports codes into a pool reward: a JSON body (`codes`, `batch`) or a multipart CSV upload
/// (`file`, `batch`) within the upload limit. Reports what was imported, what was a duplicate
/// (already in a pool, or repeated) and what was invalid; duplicates and invalid codes do not
/// stop the rest.
#[utoipa::path(post, path = "/rewards/{id}/codes", tag = "reward-codes", security(("bearer" = [])), params(("id" = String, Path)),
    request_body(content((ImportCodes = "application/json"), (CodesUpload = "multipart/form-data"))),
    responses((status = 201, body = Envelope<ImportReport>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope), (status = 409, body = sbm_common::error::ErrorEnvelope, description = "the reward's codeMode is not pool"),
              (status = 413, body = sbm_common::error::ErrorEnvelope), (status = 415, body = sbm_common::error::ErrorEnvelope)))]
pub async fn import(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    req: Request,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::REWARDS_WRITE)?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let (list, batch) = if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(req, &state)
            .await
            .map_err(|e| ApiError::new(e.status(), e.body_text()))?;
        read_upload(multipart, state.config.max_upload_bytes).await?
    } else {
        let ApiJson(body) = ApiJson::<ImportCodes>::from_request(req, &state).await?;
        let list = body.codes.into_iter().enumerate().map(|(i, c)| (i + 1, c)).collect();
        (list, body.batch)
    };
    // All or nothing: a failure half-way leaves no part of the file imported.
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let report = codes::import(&txn, &id, list, batch.as_deref(), state.clock.now()).await?;
    txn.commit().await?;
    Ok(created(report))
}

/// Generates codes for a pool reward from a pattern; each is unique across every pool.
#[utoipa::path(post, path = "/rewards/{id}/codes/generate", tag = "reward-codes", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = GenerateCodes,
    responses((status = 201, body = Envelope<GenerateReport>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn generate(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<GenerateCodes>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::REWARDS_WRITE)?;
    let txn = sbm_common::db::begin_write(&state.db).await?;
    let r = codes::generate(
        &txn,
        &id,
        &req.pattern,
        req.count,
        req.batch.as_deref(),
        state.clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(created(r))
}

/// Lists a reward's codes (staff with `rewards:write`: the codes are bearer vouchers):
/// filters `status`, `batch`, `memberId`; `search` in the code.
#[utoipa::path(get, path = "/rewards/{id}/codes", tag = "reward-codes", security(("bearer" = [])),
    params(("id" = String, Path), sbm_common::query::ListParams,
           ("status" = Option<String>, Query, description = "available, assigned, used, void or expired"),
           ("batch" = Option<String>, Query), ("memberId" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Code>>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    q: ListQuery,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::REWARDS_WRITE)?;
    Ok(ok(codes::list(&state.db, &id, &q).await?))
}

/// Looks a code up as read at the till (as typed, then in capitals): its reward, status and
/// redemption. For the till: staff and keys with `redemptions:write`.
#[utoipa::path(get, path = "/reward-codes/{code}", tag = "reward-codes", security(("bearer" = []), ("apiKey" = [])),
    params(("code" = String, Path)),
    responses((status = 200, body = Envelope<Code>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn lookup(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(code): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::REDEMPTIONS_WRITE)?;
    Ok(ok(codes::lookup(&state.db, &code).await?))
}

/// Voids an available or assigned code (409 for used, expired or void ones).
#[utoipa::path(post, path = "/reward-codes/{code}/void", tag = "reward-codes", security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, body = Envelope<Code>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn void(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(code): Path<String>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::REWARDS_WRITE)?;
    Ok(ok(codes::void(&state.db, &code, state.clock.now()).await?))
}
