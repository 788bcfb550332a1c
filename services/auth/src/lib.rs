//! The auth service: staff login and roles, members with WeChat login, consent, API keys.

pub mod api;
pub mod password;
pub mod tokens;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Extension;
use chrono::{DateTime, Utc};
use sbm_common::db::{exec, query_one};
use sbm_common::identity::{ApiKeyInfo, ApiKeyResolver, Plan};
use sbm_common::{ApiError, ServiceRouter};
use sea_orm::DatabaseConnection;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// What the auth handlers need beyond [`AppState`].
pub struct AuthCtx {
    pub http: reqwest::Client,
    pub api_keys: Arc<ApiKeyStore>,
}

/// A resolved key and its expiry, as cached.
type CachedKey = (ApiKeyInfo, Option<DateTime<Utc>>);

/// Resolves API keys with a short in-memory cache, and records last use in memory, flushed
/// to the database periodically (so a request never waits on a write for it).
pub struct ApiKeyStore {
    db: DatabaseConnection,
    cache: Mutex<HashMap<String, (Instant, Option<CachedKey>)>>,
    last_used: Mutex<HashMap<String, DateTime<Utc>>>,
    ttl: Duration,
}

impl ApiKeyStore {
    pub fn new(db: DatabaseConnection, ttl: Duration) -> Self {
        Self {
            db,
            cache: Mutex::new(HashMap::new()),
            last_used: Mutex::new(HashMap::new()),
            ttl,
        }
    }

    /// Drops cached lookups (after a change in this process; other replicas see it within the TTL).
    pub fn invalidate(&self) {
        self.cache.lock().expect("cache lock").clear();
    }

    /// Last use not yet written to the database.
    pub fn pending_last_used(&self, id: &str) -> Option<DateTime<Utc>> {
        self.last_used.lock().expect("lock").get(id).copied()
    }

    /// Writes pending last-use times; returns how many keys were updated.
    pub async fn flush_last_used(&self) -> Result<usize, ApiError> {
        let pending: Vec<(String, DateTime<Utc>)> = self.last_used.lock().expect("lock").drain().collect();
        for (id, at) in &pending {
            exec(
                &self.db,
                "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                vec![(*at).into(), id.clone().into(), (*at).into()],
            )
            .await?;
        }
        Ok(pending.len())
    }

    async fn load(&self, hash: &str) -> Result<Option<CachedKey>, ApiError> {
        let row = query_one(
            &self.db,
            "SELECT id, scopes, plan, rate_limit_per_hour, expires_at FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL",
            vec![hash.into()],
        )
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires: Option<DateTime<Utc>> = row.try_get("", "expires_at")?;
        if expires.is_some_and(|e| e <= Utc::now()) {
            return Ok(None);
        }
        let scopes: String = row.try_get("", "scopes")?;
        let plan: String = row.try_get("", "plan")?;
        let limit: Option<i64> = row.try_get("", "rate_limit_per_hour")?;
        let info = ApiKeyInfo {
            id: row.try_get("", "id")?,
            scopes: serde_json::from_str(&scopes).unwrap_or_default(),
            plan: Plan::parse(&plan).unwrap_or(Plan::Standard),
            limit_per_hour: limit.map(|l| l.max(1) as u64),
        };
        Ok(Some((info, expires)))
    }
}

#[async_trait::async_trait]
impl ApiKeyResolver for ApiKeyStore {
    async fn resolve(&self, key_hash: &str) -> Result<Option<ApiKeyInfo>, ApiError> {
        let cached = self
            .cache
            .lock()
            .expect("cache lock")
            .get(key_hash)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone());
        let entry = match cached {
            Some(v) => v,
            None => {
                let v = self.load(key_hash).await?;
                let mut c = self.cache.lock().expect("cache lock");
                if c.len() > 10_000 {
                    c.clear();
                }
                c.insert(key_hash.to_string(), (Instant::now(), v.clone()));
                v
            }
        };
        // Expiry is checked on every call, so a cached key stops working the moment it expires.
        let info = entry
            .filter(|(_, exp)| exp.is_none_or(|e| e > Utc::now()))
            .map(|(i, _)| i);
        if let Some(i) = &info {
            self.last_used.lock().expect("lock").insert(i.id.clone(), Utc::now());
        }
        Ok(info)
    }
}

impl AuthCtx {
    pub fn new(db: DatabaseConnection) -> Arc<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("HTTP client");
        Arc::new(Self {
            http,
            api_keys: Arc::new(ApiKeyStore::new(db, Duration::from_secs(30))),
        })
    }
}

/// Flushes API-key last-use times every `every` until cancelled, then once more.
pub async fn run_last_used_flusher(store: Arc<ApiKeyStore>, every: Duration, cancel: tokio_util_cancel::Token) {
    loop {
        tokio::select! {
            _ = cancel.cancelled() => break,
            _ = tokio::time::sleep(every) => {}
        }
        if let Err(e) = store.flush_last_used().await {
            tracing::warn!(error = %e, "could not record API key last use");
        }
    }
    let _ = store.flush_last_used().await;
}

/// Re-export so callers need not depend on tokio-util directly.
pub mod tokio_util_cancel {
    pub use sbm_common::app::CancelToken as Token;
}

/// The auth routes, documented.
pub fn router(ctx: Arc<AuthCtx>) -> ServiceRouter {
    use api::*;
    let router = OpenApiRouter::new()
        .routes(routes!(session::login))
        .routes(routes!(session::refresh))
        .routes(routes!(session::check_session))
        .routes(routes!(session::logout))
        .routes(routes!(session::jwks))
        .routes(routes!(staff::list, staff::create))
        .routes(routes!(staff::me))
        .routes(routes!(staff::get, staff::update, staff::delete))
        .routes(routes!(members::wechat_login))
        .routes(routes!(members::me, members::update_me))
        .routes(routes!(members::qr_code))
        .routes(routes!(members::verify_qr))
        .routes(routes!(members::list, members::enrol))
        .routes(routes!(members::get, members::update, members::delete))
        .routes(routes!(consent::list, consent::create))
        .routes(routes!(consent::current))
        .routes(routes!(consent::get))
        .routes(routes!(consent::my_history, consent::record))
        .routes(routes!(consent::member_history))
        .routes(routes!(api_keys::list, api_keys::create))
        .routes(routes!(api_keys::get, api_keys::update, api_keys::revoke))
        .routes(routes!(api_keys::rotate))
        .layer(Extension(ctx));
    ServiceRouter {
        name: "auth",
        router,
        title: "SBM CRM auth service",
    }
}

/// Creates the first admin when no staff exists (from `SBM_BOOTSTRAP_ADMIN_*` or the
/// `create-admin` command). Returns whether one was created.
pub async fn bootstrap_admin(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
    force: bool,
) -> Result<bool, ApiError> {
    if !force && api::staff::any_staff(db).await? {
        return Ok(false);
    }
    api::staff::create_staff(
        db,
        api::staff::CreateStaff {
            email: email.to_string(),
            username: Some("admin".into()).filter(|_| !force),
            name: "Administrator".into(),
            role: sbm_common::identity::Role::Admin,
            password: password.to_string(),
        },
    )
    .await?;
    tracing::info!(email = %email, "first admin created");
    Ok(true)
}

/// Domain functions other services call (inside their own transactions).
pub mod domain {
    use sbm_common::ApiError;
    use sbm_common::db::query_one;
    use sea_orm::ConnectionTrait;

    /// The member's status (`active`, `anonymized`), or `None` when there is no such member.
    pub async fn member_status(db: &impl ConnectionTrait, member_id: &str) -> Result<Option<String>, ApiError> {
        let row = query_one(db, "SELECT status FROM members WHERE id = ?", vec![member_id.into()]).await?;
        Ok(row.map(|r| r.try_get::<String>("", "status")).transpose()?)
    }

    /// 404 unless the member exists; 409 when it was anonymised.
    pub async fn require_active_member(db: &impl ConnectionTrait, member_id: &str) -> Result<(), ApiError> {
        match member_status(db, member_id).await?.as_deref() {
            None => Err(ApiError::not_found("Member")),
            Some("active") => Ok(()),
            Some(_) => Err(ApiError::conflict("This member was deleted (anonymised)")),
        }
    }
}

/// API keys owned by the operator (an `ApiKey` resource, identified by its uid).
pub mod managed_keys {
    use chrono::{DateTime, Utc};
    use sbm_common::ApiError;
    use sbm_common::db::{exec, query_one};
    use sbm_common::identity::Plan;
    use sea_orm::ConnectionTrait;

    /// The row of the resource with this uid: `(id, key_hash)`.
    pub async fn find(db: &impl ConnectionTrait, uid: &str) -> Result<Option<(String, String)>, ApiError> {
        let row = query_one(
            db,
            "SELECT id, key_hash FROM api_keys WHERE managed_by_uid = ?",
            vec![uid.into()],
        )
        .await?;
        Ok(match row {
            Some(r) => Some((r.try_get("", "id")?, r.try_get("", "key_hash")?)),
            None => None,
        })
    }

    /// Creates the row for a key whose plaintext lives in the resource's Secret.
    #[allow(clippy::too_many_arguments)]
    pub async fn create(
        db: &impl ConnectionTrait,
        uid: &str,
        key: &str,
        name: &str,
        scopes: &[String],
        plan: Plan,
        limit: Option<i64>,
        expires: Option<DateTime<Utc>>,
    ) -> Result<String, ApiError> {
        crate::api::api_keys::insert_key(db, key, name, scopes, plan, limit, expires, None, Some(uid)).await
    }

    /// Puts the row back to what the resource says (drift repair and spec changes), with the
    /// hash of the key in the Secret.
    #[allow(clippy::too_many_arguments)]
    pub async fn sync(
        db: &impl ConnectionTrait,
        id: &str,
        key: &str,
        name: &str,
        scopes: &[String],
        plan: Plan,
        limit: Option<i64>,
        expires: Option<DateTime<Utc>>,
    ) -> Result<(), ApiError> {
        exec(
            db,
            "UPDATE api_keys SET name = ?, scopes = ?, plan = ?, rate_limit_per_hour = ?, expires_at = ?, key_hash = ?, prefix = ?, revoked_at = NULL, managed = ?, updated_at = ? WHERE id = ?",
            vec![
                name.into(),
                serde_json::to_string(scopes).map_err(ApiError::internal)?.into(),
                plan.as_str().into(),
                limit.into(),
                expires.into(),
                sbm_common::identity::hash_api_key(key).into(),
                key.chars().take(12).collect::<String>().into(),
                true.into(),
                Utc::now().into(),
                id.into(),
            ],
        )
        .await?;
        Ok(())
    }

    /// `Delete` policy: the key stops working and its row goes.
    pub async fn delete(db: &impl ConnectionTrait, uid: &str) -> Result<(), ApiError> {
        exec(db, "DELETE FROM api_keys WHERE managed_by_uid = ?", vec![uid.into()]).await?;
        Ok(())
    }

    /// `Retain` policy: the key keeps working and staff manage it through the API from now on.
    pub async fn release(db: &impl ConnectionTrait, uid: &str) -> Result<(), ApiError> {
        exec(
            db,
            "UPDATE api_keys SET managed = ?, managed_by_uid = NULL, updated_at = ? WHERE managed_by_uid = ?",
            vec![false.into(), Utc::now().into(), uid.into()],
        )
        .await?;
        Ok(())
    }
}
