//! Receipt verification: members upload a receipt image with its details; staff approve
//! (points through the rules, exactly once) or reject with a reason.

use crate::domain::permissions as perm;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sbm_common::db::begin_write;
use sbm_common::envelope::Envelope;
use sbm_common::{ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Principal, Validator, created, ok};
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::require_visible;
use crate::domain::ledger::{MAX_AMOUNT, Transaction};
use crate::domain::receipts::{self, NewReceipt, Receipt};

/// The multipart form of a receipt upload (documentation).
#[derive(Debug, ToSchema)]
#[schema(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct ReceiptUpload {
    /// JPEG, PNG or PDF, checked by content.
    #[schema(format = Binary, value_type = String)]
    image: Vec<u8>,
    #[schema(min_length = 1, max_length = 64)]
    receipt_number: String,
    #[schema(min_length = 1, max_length = 64)]
    store_id: String,
    #[schema(min_length = 1, max_length = 64)]
    store_category: Option<String>,
    /// Minor currency units.
    amount: i64,
    /// RFC 3339.
    purchased_at: String,
}

/// Submits a receipt (member). Refused when the same store and receipt number, or the same
/// image, was submitted before (409); the image must be JPEG, PNG or PDF (415) and within the
/// upload limit (413).
#[utoipa::path(post, path = "/receipts", tag = "receipts", security(("bearer" = [])),
    request_body(content = ReceiptUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = Envelope<Receipt>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope), (status = 413, body = sbm_common::error::ErrorEnvelope),
              (status = 415, body = sbm_common::error::ErrorEnvelope)))]
pub async fn submit(
    State(state): State<AppState>,
    Auth(p): Auth,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> ApiResult<Response> {
    let member = p.member_id()?.to_string();
    let is_multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Expected a multipart/form-data upload",
        ));
    }
    let mut multipart = multipart.map_err(|e| ApiError::new(e.status(), e.body_text()))?;
    let limit = state.config.max_upload_bytes;
    let mut image: Option<Vec<u8>> = None;
    let mut fields = std::collections::HashMap::new();
    while let Some(mut field) = multipart.next_field().await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The upload exceeds {limit} bytes"),
            )
        } else {
            ApiError::bad_request(format!("Malformed multipart body: {}", e.body_text()))
        }
    })? {
        let name = field.name().unwrap_or("").to_string();
        if name == "image" {
            let mut buf = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        format!("The image exceeds {limit} bytes"),
                    )
                } else {
                    ApiError::bad_request(format!("Malformed multipart body: {}", e.body_text()))
                }
            })? {
                if buf.len() + chunk.len() > limit {
                    return Err(ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        format!("The image exceeds {limit} bytes"),
                    ));
                }
                buf.extend_from_slice(&chunk);
            }
            image = Some(buf);
        } else if ["receiptNumber", "storeId", "storeCategory", "amount", "purchasedAt"].contains(&name.as_str()) {
            let text = field
                .text()
                .await
                .map_err(|e| ApiError::bad_request(format!("Malformed multipart body: {}", e.body_text())))?;
            // Multipart text skips the JSON extractor's checks: refuse NUL here too.
            if text.contains('\0') {
                return Err(ApiError::field(&name, "must not contain NUL characters"));
            }
            fields.insert(name, text.trim().to_string());
        } else {
            return Err(ApiError::field(&name, "is not a field of a receipt upload"));
        }
    }
    let mut v = Validator::new();
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let number = get("receiptNumber");
    let store = get("storeId");
    v.text("receiptNumber", &number, 64);
    v.text("storeId", &store, 64);
    if let Some(c) = fields.get("storeCategory") {
        v.text("storeCategory", c, 64);
    }
    let amount = get("amount")
        .parse::<i64>()
        .ok()
        .filter(|a| (1..=MAX_AMOUNT).contains(a));
    v.check(
        amount.is_some(),
        "amount",
        "must be a positive whole amount in minor units",
    );
    let purchased = DateTime::parse_from_rfc3339(&get("purchasedAt")).ok();
    let now = state.clock.now();
    v.check(
        purchased.is_some_and(|t| t.with_timezone(&Utc) <= now),
        "purchasedAt",
        "must be a past RFC 3339 time",
    );
    if let Some(t) = &purchased {
        v.instant("purchasedAt", t);
    }
    match &image {
        None => v.add("image", "is required"),
        Some(b) if b.is_empty() => v.add("image", "is empty"),
        _ => {}
    }
    v.finish()?;
    let new = NewReceipt {
        member_id: member,
        receipt_number: number,
        store_id: store,
        store_category: fields.get("storeCategory").cloned().filter(|c| !c.is_empty()),
        amount: amount.unwrap_or(0),
        purchased_at: purchased.unwrap_or_else(|| now.fixed_offset()),
        image: image.unwrap_or_default(),
    };
    let txn = begin_write(&state.db).await?;
    let r = receipts::submit(&txn, new, now).await?;
    txn.commit().await?;
    Ok(created(r).into_response())
}

/// Receipts (staff): filters `status`, `memberId`, `storeId`; `search` by receipt number; sort
/// `createdAt`, `amount`, `purchasedAt`.
#[utoipa::path(get, path = "/receipts", tag = "receipts", security(("bearer" = []), ("apiKey" = [])),
    params(sbm_common::query::ListParams, ("status" = Option<String>, Query), ("memberId" = Option<String>, Query), ("storeId" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Receipt>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(perm::POINTS_READ)?;
    Ok(ok(receipts::list(&state.db, q.filter("memberId"), &q).await?))
}

/// The calling member's receipts.
#[utoipa::path(get, path = "/receipts/me", tag = "receipts", security(("bearer" = [])), params(sbm_common::query::ListParams, ("status" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Receipt>>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let me = p.member_id()?.to_string();
    Ok(ok(receipts::list(&state.db, Some(&me), &q).await?))
}

async fn visible(db: &DatabaseConnection, p: &Principal, id: &str) -> ApiResult<Receipt> {
    let r = receipts::get(db, id).await?;
    require_visible(p, &r.member_id, "Receipt", perm::POINTS_READ)?;
    Ok(r)
}

/// One receipt (its member, or staff).
#[utoipa::path(get, path = "/receipts/{id}", tag = "receipts", security(("bearer" = []), ("apiKey" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Receipt>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    Ok(ok(visible(&state.db, &p, &id).await?))
}

/// The receipt image, with its checked content type.
#[utoipa::path(get, path = "/receipts/{id}/image", tag = "receipts", security(("bearer" = []), ("apiKey" = [])), params(("id" = String, Path)),
    responses((status = 200, description = "image/jpeg, image/png or application/pdf"), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn image(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<Response> {
    let r = visible(&state.db, &p, &id).await?;
    let data = receipts::image(&state.db, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, r.image_content_type),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        data,
    )
        .into_response())
}

/// Approval, with an optional corrected amount.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApproveReceipt {
    /// Corrected amount in minor units; the submitted one when absent.
    pub amount: Option<i64>,
    pub note: Option<String>,
}

/// `data` of an approval.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReceiptDecision {
    pub receipt: Receipt,
    /// The earn it produced (none when the rules gave nothing).
    pub transaction: Option<Transaction>,
}

/// Approves a pending receipt: points through the rules, exactly once (409 when it is not
/// pending any more).
#[utoipa::path(post, path = "/receipts/{id}/approve", tag = "receipts", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = ApproveReceipt,
    responses((status = 200, body = Envelope<ReceiptDecision>), (status = 404, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn approve(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::POINTS_REVIEW)?;
    let req: ApproveReceipt = crate::api::optional_json(&body)?;
    let mut v = Validator::new();
    if let Some(a) = req.amount {
        v.check(
            (1..=MAX_AMOUNT).contains(&a),
            "amount",
            "must be a positive amount in minor units",
        );
    }
    if let Some(n) = &req.note {
        v.max_chars("note", n, 500);
    }
    v.finish()?;
    let txn = begin_write(&state.db).await?;
    let a = receipts::approve(&txn, &id, req.amount, &p.key(), state.clock.now()).await?;
    txn.commit().await?;
    Ok(ok(ReceiptDecision {
        receipt: a.receipt,
        transaction: a.transaction,
    }))
}

/// A rejection.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RejectRequest {
    pub reason: String,
}

/// Rejects a pending receipt with a reason.
#[utoipa::path(post, path = "/receipts/{id}/reject", tag = "receipts", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = RejectRequest,
    responses((status = 200, body = Envelope<Receipt>), (status = 400, body = sbm_common::error::ErrorEnvelope),
              (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn reject(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<RejectRequest>,
) -> ApiResult<impl IntoResponse> {
    p.require(perm::POINTS_REVIEW)?;
    let mut v = Validator::new();
    v.text("reason", &req.reason, 500);
    v.finish()?;
    let txn = begin_write(&state.db).await?;
    let r = receipts::reject(&txn, &id, &req.reason, &p.key(), state.clock.now()).await?;
    txn.commit().await?;
    Ok(ok(r))
}
