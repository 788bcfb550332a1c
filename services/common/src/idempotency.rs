//! `Idempotency-Key` for POSTs that move points or stock (and a few more that opt in).
//!
//! A route opts in by taking the [`Idempotency`] extractor and running its work through
//! [`Idempotency::begin`] and [`IdemTxn::finish`]:
//! - the key row, the route's effects and the stored response commit in **one** transaction,
//!   so a request that dies mid-way (timeout, disconnect, crash) leaves nothing behind and the
//!   same key simply works again;
//! - a concurrent retry waits on the key's row (PostgreSQL) or on the one writer (SQLite) and
//!   then replays the stored response (`Idempotent-Replayed: true`);
//! - the same key with a different body is a 422; client errors are stored and replayed too,
//!   server errors are not, so they can be retried;
//! - only authenticated callers get replay, scoped to the caller: an anonymous request's key
//!   is ignored, so nobody can fetch another caller's response by guessing their key;
//! - a response that carries a secret (a new API key) is stored sealed with a key derived from
//!   the platform's signing key (ChaCha20-Poly1305), never in plaintext.

use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::db::begin_write;
use crate::entity::idempotency_keys as keys;
use crate::envelope::{ApiResponse, Envelope};
use crate::error::ApiError;
use crate::identity::Identity;

/// Header name.
pub const HEADER: &str = "idempotency-key";
/// Stored responses are kept this long (a daily purge job removes older ones).
pub const RETENTION_HOURS: i64 = 24;
/// The prefix of a sealed text.
pub const SEALED: &str = "sealed:v1:";

/// The caller's `Idempotency-Key`, if any, scoped to the authenticated caller.
pub struct Idempotency {
    key: Option<(String, String)>,
    db: DatabaseConnection,
    seal: [u8; 32],
    now: DateTime<Utc>,
}

impl FromRequestParts<AppState> for Idempotency {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let key = match parts.headers.get(HEADER) {
            None => None,
            Some(v) => {
                let k = v
                    .to_str()
                    .ok()
                    .map(str::trim)
                    .filter(|k| !k.is_empty() && k.len() <= 255)
                    .ok_or_else(|| ApiError::field("Idempotency-Key", "must be 1 to 255 visible ASCII characters"))?;
                match parts.extensions.get::<Identity>() {
                    Some(Identity(Ok(Some(p)))) => Some((p.key(), hex::encode(Sha256::digest(k.as_bytes())))),
                    // Anonymous: no replay at all (see the module docs).
                    _ => None,
                }
            }
        };
        Ok(Self {
            key,
            db: state.db.clone(),
            seal: *state.keys.seal_secret(),
            now: state.clock.now(),
        })
    }
}

/// What [`Idempotency::begin`] found.
pub enum Begin {
    /// A stored response for this key: send it back as it is.
    Replay(Response),
    /// Do the work in [`IdemTxn::txn`], then [`IdemTxn::finish`].
    Fresh(IdemTxn),
}

/// A write transaction that holds the key row until the response is stored with the effects.
pub struct IdemTxn {
    txn: DatabaseTransaction,
    record: Option<(String, String, String)>,
    db: DatabaseConnection,
    seal: [u8; 32],
    now: DateTime<Utc>,
}

impl Idempotency {
    /// Whether the caller sent a key that gets replay (an authenticated caller). Routes whose
    /// plain path needs no outer transaction take it only when this is true.
    pub fn is_keyed(&self) -> bool {
        self.key.is_some()
    }

    /// Opens the write transaction and claims the key for `request` on `route` (the route's
    /// template, e.g. `POST /transactions/earn`).
    pub async fn begin(self, route: &str, request: &impl Serialize) -> Result<Begin, ApiError> {
        let txn = begin_write(&self.db).await?;
        let Some((scope, key)) = self.key else {
            return Ok(Begin::Fresh(IdemTxn {
                txn,
                record: None,
                db: self.db,
                seal: self.seal,
                now: self.now,
            }));
        };
        let body = serde_json::to_vec(request).map_err(ApiError::internal)?;
        let hash = hex::encode(
            Sha256::new()
                .chain_update(route)
                .chain_update(b"\n")
                .chain_update(&body)
                .finalize(),
        );
        // On PostgreSQL a concurrent claim of the same key waits here until the first commits
        // (then conflicts and replays) or rolls back (then proceeds).
        let inserted = claim(&txn, (&scope, &key, &hash), None, self.now).await?;
        if inserted == 0 {
            let stored = keys::Entity::find_by_id((scope.clone(), key.clone())).one(&txn).await?;
            txn.rollback().await?;
            let stored = stored.ok_or_else(|| ApiError::conflict("Idempotency-Key is being reset; retry"))?;
            if stored.request_hash != hash {
                return Err(ApiError::unprocessable(
                    "Idempotency-Key was already used with a different request",
                ));
            }
            return match (stored.status_code, stored.response_body) {
                (Some(status), Some(body)) => Ok(Begin::Replay(replay(status, &body, &self.seal, &scope, &key)?)),
                _ => Err(ApiError::conflict(
                    "A request with this Idempotency-Key is still being processed",
                )),
            };
        }
        Ok(Begin::Fresh(IdemTxn {
            txn,
            record: Some((scope, key, hash)),
            db: self.db,
            seal: self.seal,
            now: self.now,
        }))
    }
}

impl IdemTxn {
    /// The transaction the route's effects go into.
    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Stores the response with the effects and commits; or, for an error, rolls the effects
    /// back and stores a client error alone. `secret` seals the stored body.
    pub async fn finish<T: Serialize>(
        self,
        result: Result<ApiResponse<T>, ApiError>,
        secret: bool,
    ) -> Result<Response, ApiError> {
        match result {
            Ok(ApiResponse(status, data)) => {
                let body = serde_json::to_string(&Envelope {
                    status_code: status.as_u16(),
                    data,
                })
                .map_err(ApiError::internal)?;
                if let Some((scope, key, _)) = &self.record {
                    let stored = if secret {
                        seal(&self.seal, scope, key, &body)
                    } else {
                        body.clone()
                    };
                    keys::Entity::update_many()
                        .col_expr(keys::Column::StatusCode, (status.as_u16() as i32).into())
                        .col_expr(keys::Column::ResponseBody, stored.into())
                        .filter(keys::Column::Scope.eq(scope.as_str()))
                        .filter(keys::Column::IdemKey.eq(key.as_str()))
                        .exec(&self.txn)
                        .await?;
                }
                self.txn.commit().await?;
                Ok(json_response(status, body))
            }
            Err(e) => {
                self.txn.rollback().await?;
                if let Some((scope, key, hash)) = self.record
                    && e.status.is_client_error()
                {
                    let body = serde_json::to_string(&e.envelope()).map_err(ApiError::internal)?;
                    let txn = self.db.begin().await?;
                    claim(
                        &txn,
                        (&scope, &key, &hash),
                        Some((e.status.as_u16() as i32, body)),
                        self.now,
                    )
                    .await?;
                    txn.commit().await?;
                }
                Err(e)
            }
        }
    }
}

/// Inserts the key's row unless one exists; returns whether it did. On PostgreSQL this waits
/// for a concurrent claim of the same key to commit or roll back.
async fn claim(
    txn: &DatabaseTransaction,
    (scope, key, hash): (&str, &str, &str),
    response: Option<(i32, String)>,
    now: DateTime<Utc>,
) -> Result<u64, sea_orm::DbErr> {
    let (status, body) = response.unzip();
    keys::Entity::insert(keys::ActiveModel {
        scope: Set(scope.to_string()),
        idem_key: Set(key.to_string()),
        request_hash: Set(hash.to_string()),
        status_code: Set(status),
        response_body: Set(body),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([keys::Column::Scope, keys::Column::IdemKey])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

fn replay(status: i32, body: &str, secret: &[u8; 32], scope: &str, key: &str) -> Result<Response, ApiError> {
    let body = match body.strip_prefix(SEALED) {
        None => body.to_string(),
        Some(sealed) => open(secret, scope, key, sealed).ok_or_else(|| {
            ApiError::conflict(
                "This request was already processed; its response carried a secret that can no longer be opened \
                 (the signing key changed)",
            )
        })?,
    };
    let status = StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK);
    let mut res = json_response(status, body);
    res.headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    Ok(res)
}

fn aead_key(secret: &[u8; 32], scope: &str, key: &str) -> LessSafeKey {
    let k = Sha256::new()
        .chain_update(secret)
        .chain_update(scope)
        .chain_update(b"\0")
        .chain_update(key)
        .finalize();
    LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &k).expect("a 32-byte key fits ChaCha20-Poly1305"))
}

/// Seals `body` (ChaCha20-Poly1305 under a key derived from `secret`, `scope` and `key`):
/// stored responses here, and other secrets at rest (mail sender passwords) elsewhere.
pub fn seal(secret: &[u8; 32], scope: &str, key: &str, body: &str) -> String {
    let nonce: [u8; NONCE_LEN] = rand::random();
    let mut data = body.as_bytes().to_vec();
    aead_key(secret, scope, key)
        .seal_in_place_append_tag(Nonce::assume_unique_for_key(nonce), Aad::empty(), &mut data)
        .expect("sealing a response in memory cannot fail");
    let mut out = nonce.to_vec();
    out.extend(data);
    format!("{SEALED}{}", STANDARD.encode(out))
}

/// Opens what [`seal`] made (without its [`SEALED`] prefix); `None` if it was sealed under
/// another secret, scope or key, or altered.
pub fn open(secret: &[u8; 32], scope: &str, key: &str, sealed: &str) -> Option<String> {
    let raw = STANDARD.decode(sealed).ok()?;
    if raw.len() < NONCE_LEN {
        return None;
    }
    let (nonce, data) = raw.split_at(NONCE_LEN);
    let mut data = data.to_vec();
    let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
    let plain = aead_key(secret, scope, key)
        .open_in_place(nonce, Aad::empty(), &mut data)
        .ok()?;
    String::from_utf8(plain.to_vec()).ok()
}

/// Deletes stored keys older than the retention (run by a periodic job).
pub async fn purge(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    Ok(keys::Entity::delete_many()
        .filter(keys::Column::CreatedAt.lt(now - chrono::Duration::hours(RETENTION_HOURS)))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_bodies_open_only_with_the_same_secret_scope_and_key() {
        let secret = [7u8; 32];
        let sealed = seal(&secret, "staff:1", "k", r#"{"key":"sbmk_secret"}"#);
        assert!(!sealed.contains("sbmk_secret"));
        let inner = sealed.strip_prefix(SEALED).unwrap();
        assert_eq!(
            open(&secret, "staff:1", "k", inner).unwrap(),
            r#"{"key":"sbmk_secret"}"#
        );
        assert!(open(&[8u8; 32], "staff:1", "k", inner).is_none());
        assert!(open(&secret, "staff:2", "k", inner).is_none());
        assert!(open(&secret, "staff:1", "other", inner).is_none());
    }
}
