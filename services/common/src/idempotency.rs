//! `Idempotency-Key` for POSTs: the first response to a (caller, key) is stored and replayed
//! for retries with the same body; the same key with a different body is refused (422); a
//! retry while the first is still running gets 409. Server errors are not stored, so they
//! can be retried.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::db::{exec, query_one};
use crate::error::ApiError;
use crate::identity::Identity;

/// Header name.
pub const HEADER: &str = "idempotency-key";

/// Middleware; a no-op for anything but a POST carrying the header.
pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER).cloned() else {
        return next.run(req).await;
    };
    match handle(state, key, req, next).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn handle(state: AppState, key: HeaderValue, req: Request, next: Next) -> Result<Response, ApiError> {
    let key = key
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255)
        .ok_or_else(|| ApiError::field("Idempotency-Key", "must be 1 to 255 visible ASCII characters"))?
        .to_string();
    let scope = match req.extensions().get::<Identity>() {
        Some(Identity(Ok(Some(p)))) => p.key(),
        _ => "anonymous".to_string(),
    };
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(
        body,
        state
            .config
            .max_body_bytes
            .max(state.config.max_upload_bytes + 64 * 1024),
    )
    .await
    .map_err(|_| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large"))?;
    let mut h = Sha256::new();
    h.update(parts.method.as_str());
    h.update(b" ");
    h.update(parts.uri.path());
    h.update(b"\n");
    h.update(&bytes);
    let hash = hex::encode(h.finalize());

    let db = &state.db;
    let inserted = exec(
        db,
        "INSERT INTO idempotency_keys (scope, idem_key, request_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        vec![scope.clone().into(), key.clone().into(), hash.clone().into(), chrono::Utc::now().into()],
    )
    .await?;
    if inserted == 0 {
        let row = query_one(
            db,
            "SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE scope = ? AND idem_key = ?",
            vec![scope.into(), key.into()],
        )
        .await?
        .ok_or_else(|| ApiError::conflict("Idempotency-Key is being reset; retry"))?;
        let stored_hash: String = row.try_get("", "request_hash")?;
        if stored_hash != hash {
            return Err(ApiError::unprocessable(
                "Idempotency-Key was already used with a different request",
            ));
        }
        let status: Option<i32> = row.try_get("", "status_code")?;
        let body: Option<String> = row.try_get("", "response_body")?;
        return match (status, body) {
            (Some(s), Some(b)) => {
                let mut res = Response::new(Body::from(b));
                *res.status_mut() = StatusCode::from_u16(s as u16).unwrap_or(StatusCode::OK);
                res.headers_mut().insert(
                    axum::http::header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                res.headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
                Ok(res)
            }
            _ => Err(ApiError::conflict(
                "A request with this Idempotency-Key is still being processed",
            )),
        };
    }

    let req = Request::from_parts(parts, Body::from(bytes));
    let res = next.run(req).await;
    let (parts, body) = res.into_parts();
    let bytes = to_bytes(body, 16 * 1024 * 1024).await.map_err(ApiError::internal)?;
    if parts.status.is_server_error() {
        exec(
            db,
            "DELETE FROM idempotency_keys WHERE scope = ? AND idem_key = ?",
            vec![scope.into(), key.into()],
        )
        .await?;
    } else {
        exec(
            db,
            "UPDATE idempotency_keys SET status_code = ?, response_body = ? WHERE scope = ? AND idem_key = ?",
            vec![
                (parts.status.as_u16() as i32).into(),
                String::from_utf8_lossy(&bytes).into_owned().into(),
                scope.into(),
                key.into(),
            ],
        )
        .await?;
    }
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

/// Deletes stored keys older than `max_age` (run periodically).
pub async fn purge(db: &sea_orm::DatabaseConnection, max_age: chrono::Duration) -> Result<u64, sea_orm::DbErr> {
    exec(
        db,
        "DELETE FROM idempotency_keys WHERE created_at < ?",
        vec![(chrono::Utc::now() - max_age).into()],
    )
    .await
}
