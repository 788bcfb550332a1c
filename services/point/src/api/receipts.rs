//! Receipt verification: members upload a receipt image with its details; staff approve
//! (points through the rules, exactly once) or reject with a reason.

use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sbm_common::db::{begin_write, exec, query_one};
use sbm_common::envelope::Envelope;
use sbm_common::{
    ApiError, ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Permission, Principal, Validator, created, ok,
};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::api::transactions::meta;
use crate::domain::ledger::{self, Transaction};
use crate::domain::rules::{Purchase, Trigger};
use crate::domain::rulestore;

/// A receipt as the API shows it.
#[derive(Debug, Serialize, ToSchema, FromQueryResult)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    pub id: String,
    pub member_id: String,
    pub receipt_number: String,
    pub store_id: String,
    pub store_category: Option<String>,
    /// Minor currency units, as submitted.
    pub amount: i64,
    pub purchased_at: DateTime<Utc>,
    pub image_content_type: String,
    pub image_size: i64,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// Points the rules would give for the submitted amount.
    pub estimated_points: i64,
    /// The amount staff approved (may correct the submitted one).
    pub approved_amount: Option<i64>,
    pub transaction_id: Option<String>,
    pub reject_reason: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

const COLS: &str = "id, member_id, receipt_number, store_id, store_category, amount, purchased_at, image_content_type, image_size, status, estimated_points, approved_amount, transaction_id, reject_reason, reviewed_by, reviewed_at, created_at";

/// The multipart form of a receipt upload (documentation).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ReceiptUpload {
    /// JPEG, PNG or PDF, checked by content.
    #[schema(format = Binary, value_type = String)]
    image: Vec<u8>,
    receipt_number: String,
    store_id: String,
    store_category: Option<String>,
    /// Minor currency units.
    amount: i64,
    /// RFC 3339.
    purchased_at: String,
}

fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

async fn fetch(db: &impl ConnectionTrait, id: &str) -> ApiResult<Receipt> {
    let row = query_one(
        db,
        &format!("SELECT {COLS} FROM receipts WHERE id = ?"),
        vec![id.into()],
    )
    .await?
    .ok_or_else(|| ApiError::not_found("Receipt"))?;
    Ok(Receipt::from_query_result(&row, "")?)
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
    let amount = get("amount")
        .parse::<i64>()
        .ok()
        .filter(|a| *a > 0 && *a <= 1_000_000_000_000);
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
    match &image {
        None => v.add("image", "is required"),
        Some(b) if b.is_empty() => v.add("image", "is empty"),
        _ => {}
    }
    v.finish()?;
    let image = image.unwrap_or_default();
    let Some(content_type) = sniff(&image) else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "The image must be a JPEG, PNG or PDF file",
        ));
    };
    let category = fields.get("storeCategory").cloned().filter(|c| !c.is_empty());
    let hash = hex::encode(Sha256::digest(&image));
    if query_one(
        &state.db,
        "SELECT id FROM receipts WHERE store_id = ? AND receipt_number = ?",
        vec![store.clone().into(), number.clone().into()],
    )
    .await?
    .is_some()
    {
        return Err(
            ApiError::field("receiptNumber", "this receipt was already submitted for this store").with_status(409),
        );
    }
    if query_one(
        &state.db,
        "SELECT id FROM receipts WHERE image_sha256 = ?",
        vec![hash.clone().into()],
    )
    .await?
    .is_some()
    {
        return Err(ApiError::field("image", "this image was already submitted").with_status(409));
    }
    let purchase = Purchase {
        amount: amount.unwrap_or(0),
        store_id: Some(store.clone()),
        store_category: category.clone(),
        purchased_at: purchased,
    };
    let estimate = rulestore::compute(&state.db, Some(&member), None, &Trigger::Purchase(purchase), now)
        .await?
        .total();
    let id = uuid::Uuid::now_v7().to_string();
    let txn = begin_write(&state.db).await?;
    exec(
        &txn,
        "INSERT INTO receipts (id, member_id, receipt_number, store_id, store_category, amount, purchased_at, image_sha256, image_content_type, image_size, status, estimated_points, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
        vec![
            id.clone().into(), member.clone().into(), number.into(), store.into(), category.into(), amount.into(),
            purchased.map(|t| t.with_timezone(&Utc)).into(), hash.into(), content_type.into(), (image.len() as i64).into(), estimate.into(), now.into(),
        ],
    )
    .await?;
    exec(
        &txn,
        "INSERT INTO receipt_images (receipt_id, data) VALUES (?, ?)",
        vec![id.clone().into(), image.into()],
    )
    .await?;
    sbm_common::outbox::emit(
        &txn,
        "receipt.submitted",
        &member,
        serde_json::json!({"receiptId": id, "memberId": member, "estimatedPoints": estimate}),
    )
    .await?;
    let r = fetch(&txn, &id).await?;
    txn.commit().await?;
    Ok(created(r).into_response())
}

async fn list_for(db: &sea_orm::DatabaseConnection, member: Option<&str>, q: &ListQuery) -> ApiResult<Page<Receipt>> {
    let (sort, order) = q.sort(
        &[
            ("createdAt", "created_at"),
            ("amount", "amount"),
            ("purchasedAt", "purchased_at"),
        ],
        "created_at",
    )?;
    let mut wh = vec!["1 = 1".to_string()];
    let mut vals: Vec<Value> = vec![];
    if let Some(m) = member.or(q.filter("memberId")) {
        wh.push("member_id = ?".into());
        vals.push(m.to_string().into());
    }
    if let Some(s) = q.filter_enum("status", &["pending", "approved", "rejected"])? {
        wh.push("status = ?".into());
        vals.push(s.into());
    }
    if let Some(s) = q.filter("storeId") {
        wh.push("store_id = ?".into());
        vals.push(s.to_string().into());
    }
    if let Some(s) = &q.search {
        wh.push("receipt_number LIKE ?".into());
        vals.push(format!("%{s}%").into());
    }
    q.fetch_page(
        db,
        "receipts",
        COLS,
        &wh.join(" AND "),
        vals,
        &ListQuery::order_by(sort, order, "id"),
    )
    .await
}

/// Receipts (staff): filters `status`, `memberId`, `storeId`; `search` by receipt number; sort
/// `createdAt`, `amount`, `purchasedAt`.
#[utoipa::path(get, path = "/receipts", tag = "receipts", security(("bearer" = []), ("apiKey" = [])),
    params(sbm_common::query::ListParams, ("status" = Option<String>, Query), ("memberId" = Option<String>, Query), ("storeId" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Receipt>>), (status = 400, body = sbm_common::error::ErrorEnvelope)))]
pub async fn list(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    p.require(Permission::PointsRead)?;
    Ok(ok(list_for(&state.db, None, &q).await?))
}

/// The calling member's receipts.
#[utoipa::path(get, path = "/receipts/me", tag = "receipts", security(("bearer" = [])), params(sbm_common::query::ListParams, ("status" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Receipt>>), (status = 403, body = sbm_common::error::ErrorEnvelope)))]
pub async fn mine(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    let me = p.member_id()?.to_string();
    Ok(ok(list_for(&state.db, Some(&me), &q).await?))
}

async fn visible(state: &AppState, p: &Principal, id: &str) -> ApiResult<Receipt> {
    let r = fetch(&state.db, id).await?;
    match p {
        Principal::Member { id: me, .. } if *me != r.member_id => Err(ApiError::not_found("Receipt")),
        Principal::Member { .. } => Ok(r),
        _ => {
            p.require(Permission::PointsRead)?;
            Ok(r)
        }
    }
}

/// One receipt (its member, or staff).
#[utoipa::path(get, path = "/receipts/{id}", tag = "receipts", security(("bearer" = []), ("apiKey" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Receipt>), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn get(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<impl IntoResponse> {
    Ok(ok(visible(&state, &p, &id).await?))
}

/// The receipt image, with its checked content type.
#[utoipa::path(get, path = "/receipts/{id}/image", tag = "receipts", security(("bearer" = []), ("apiKey" = [])), params(("id" = String, Path)),
    responses((status = 200, description = "image/jpeg, image/png or application/pdf"), (status = 404, body = sbm_common::error::ErrorEnvelope)))]
pub async fn image(State(state): State<AppState>, Auth(p): Auth, Path(id): Path<String>) -> ApiResult<Response> {
    let r = visible(&state, &p, &id).await?;
    let row = query_one(
        &state.db,
        "SELECT data FROM receipt_images WHERE receipt_id = ?",
        vec![id.into()],
    )
    .await?
    .ok_or_else(|| ApiError::not_found("Receipt image"))?;
    let data: Vec<u8> = row.try_get("", "data")?;
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
    p.require(Permission::PointsWrite)?;
    let req: ApproveReceipt = crate::api::optional_json(&body)?;
    if let Some(a) = req.amount {
        let mut v = Validator::new();
        v.check(
            a > 0 && a <= 1_000_000_000_000,
            "amount",
            "must be a positive amount in minor units",
        );
        v.finish()?;
    }
    let r = fetch(&state.db, &id).await?;
    let now = state.clock.now();
    let amount = req.amount.unwrap_or(r.amount);
    let txn = begin_write(&state.db).await?;
    let n = exec(
        &txn,
        "UPDATE receipts SET status = 'approved', approved_amount = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ? AND status = 'pending'",
        vec![amount.into(), p.key().into(), now.into(), id.clone().into()],
    )
    .await?;
    if n == 0 {
        txn.rollback().await?;
        let cur = fetch(&state.db, &id).await?;
        return Err(ApiError::conflict(format!("The receipt is {} already", cur.status)));
    }
    sbm_auth::domain::require_active_member(&txn, &r.member_id).await?;
    ledger::lock_member(&txn, &r.member_id).await?;
    let purchase = Purchase {
        amount,
        store_id: Some(r.store_id.clone()),
        store_category: r.store_category.clone(),
        purchased_at: Some(r.purchased_at.fixed_offset()),
    };
    let trigger = Trigger::Purchase(purchase);
    let c = rulestore::compute(&txn, Some(&r.member_id), None, &trigger, now).await?;
    let tx = if c.total() > 0 {
        let m = meta(
            &p,
            Some("receipt".into()),
            Some(id.clone()),
            format!("Receipt {} at {}", r.receipt_number, r.store_id),
            Some(serde_json::json!({"receiptId": id, "amount": amount})),
        );
        let t = ledger::earn(
            &txn,
            &r.member_id,
            "earn",
            &c.credits,
            Some(c.breakdown()),
            Some(&c.award_day),
            &m,
            now,
        )
        .await?;
        exec(
            &txn,
            "UPDATE receipts SET transaction_id = ? WHERE id = ?",
            vec![t.id.clone().into(), id.clone().into()],
        )
        .await?;
        Some(t)
    } else {
        None
    };
    sbm_common::outbox::emit(
        &txn,
        "receipt.approved",
        &r.member_id,
        serde_json::json!({"receiptId": id, "memberId": r.member_id, "amount": amount, "points": c.total()}),
    )
    .await?;
    let receipt = fetch(&txn, &id).await?;
    txn.commit().await?;
    Ok(ok(ReceiptDecision {
        receipt,
        transaction: tx,
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
    p.require(Permission::PointsWrite)?;
    let mut v = Validator::new();
    v.text("reason", &req.reason, 500);
    v.finish()?;
    let r = fetch(&state.db, &id).await?;
    let txn = begin_write(&state.db).await?;
    let n = exec(
        &txn,
        "UPDATE receipts SET status = 'rejected', reject_reason = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ? AND status = 'pending'",
        vec![req.reason.trim().to_string().into(), p.key().into(), state.clock.now().into(), id.clone().into()],
    )
    .await?;
    if n == 0 {
        txn.rollback().await?;
        return Err(ApiError::conflict(format!(
            "The receipt is {} already",
            fetch(&state.db, &id).await?.status
        )));
    }
    sbm_common::outbox::emit(
        &txn,
        "receipt.rejected",
        &r.member_id,
        serde_json::json!({"receiptId": id, "memberId": r.member_id, "reason": req.reason}),
    )
    .await?;
    let out = fetch(&txn, &id).await?;
    txn.commit().await?;
    Ok(ok(out))
}
