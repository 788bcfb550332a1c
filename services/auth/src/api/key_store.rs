//! Resolves API keys for the identity middleware, with a short in-memory cache, and records
//! last use in memory, flushed to the database periodically (so a request never waits on a
//! write for it).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sbm_common::ApiError;
use sbm_common::clock::Clock;
use sbm_common::identity::{ApiKeyInfo, ApiKeyResolver, Plan};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

use crate::entity::api_keys as key;

/// A resolved key and its expiry, as cached.
type CachedKey = (ApiKeyInfo, Option<DateTime<Utc>>);

/// A poisoned lock only means another request panicked while holding it; the maps stay usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The API-key resolver and last-use recorder.
pub struct ApiKeyStore {
    db: DatabaseConnection,
    clock: Clock,
    cache: Mutex<HashMap<String, (Instant, Option<CachedKey>)>>,
    last_used: Mutex<HashMap<String, DateTime<Utc>>>,
    ttl: Duration,
}

impl ApiKeyStore {
    /// A store whose lookups are cached for `ttl`.
    pub fn new(db: DatabaseConnection, clock: Clock, ttl: Duration) -> Self {
        Self {
            db,
            clock,
            cache: Mutex::new(HashMap::new()),
            last_used: Mutex::new(HashMap::new()),
            ttl,
        }
    }

    async fn load(&self, hash: &str) -> Result<Option<CachedKey>, DbErr> {
        let row = key::Entity::find()
            .filter(key::Column::KeyHash.eq(hash))
            .filter(key::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?;
        let Some(row) = row else { return Ok(None) };
        if row.expires_at.is_some_and(|e| e <= self.clock.now()) {
            return Ok(None);
        }
        let info = ApiKeyInfo {
            id: row.id,
            scopes: serde_json::from_str(&row.scopes).unwrap_or_default(),
            plan: Plan::parse(&row.plan).unwrap_or(Plan::Standard),
            limit_per_hour: row.rate_limit_per_hour.map(|l| l.max(1) as u64),
        };
        Ok(Some((info, row.expires_at)))
    }
}

#[async_trait::async_trait]
impl ApiKeyResolver for ApiKeyStore {
    async fn resolve(&self, key_hash: &str) -> Result<Option<ApiKeyInfo>, ApiError> {
        let cached = lock(&self.cache)
            .get(key_hash)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone());
        let entry = match cached {
            Some(v) => v,
            None => {
                let v = self.load(key_hash).await?;
                let mut c = lock(&self.cache);
                if c.len() > 10_000 {
                    c.clear();
                }
                c.insert(key_hash.to_string(), (Instant::now(), v.clone()));
                v
            }
        };
        // Expiry is checked on every call, so a cached key stops working the moment it expires.
        let now = self.clock.now();
        let info = entry.filter(|(_, exp)| exp.is_none_or(|e| e > now)).map(|(i, _)| i);
        if let Some(i) = &info {
            lock(&self.last_used).insert(i.id.clone(), now);
        }
        Ok(info)
    }

    fn invalidate(&self) {
        lock(&self.cache).clear();
    }

    fn pending_last_used(&self, id: &str) -> Option<DateTime<Utc>> {
        lock(&self.last_used).get(id).copied()
    }

    /// Writes pending last-use times (never moving one back).
    async fn flush(&self) -> anyhow::Result<usize> {
        let pending: Vec<(String, DateTime<Utc>)> = lock(&self.last_used).drain().collect();
        for (id, at) in &pending {
            key::Entity::update_many()
                .col_expr(key::Column::LastUsedAt, Expr::value(*at))
                .filter(key::Column::Id.eq(id.as_str()))
                .filter(
                    Condition::any()
                        .add(key::Column::LastUsedAt.is_null())
                        .add(key::Column::LastUsedAt.lt(*at)),
                )
                .exec(&self.db)
                .await?;
        }
        Ok(pending.len())
    }
}
