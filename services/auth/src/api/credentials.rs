//! The identity middleware's credential store: resolves API keys and tells whether an access
//! token's session is still live, both through short in-memory caches, and records API-key last
//! use in memory, flushed to the database periodically (so a request never waits on a write
//! for it).

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sbm_common::ApiError;
use sbm_common::clock::Clock;
use sbm_common::identity::{ApiKeyInfo, CredentialStore, Plan};
use sea_orm::sea_query::{Condition, Expr};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

use crate::domain::sessions;
use crate::entity::api_keys as key;

/// A resolved key and its expiry, as cached.
type CachedKey = (ApiKeyInfo, Option<DateTime<Utc>>);

/// A poisoned lock only means another request panicked while holding it; the maps stay usable.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Entries a cache holds before it starts over (a bound on memory, not a tuning knob).
const MAX_CACHED: usize = 10_000;

/// The credential store: API keys and sessions, and API-key last use.
pub struct Credentials {
    db: DatabaseConnection,
    clock: Clock,
    cache: Mutex<HashMap<String, (Instant, Option<CachedKey>)>>,
    sessions: Mutex<HashMap<String, (Instant, bool)>>,
    /// Bumped by every invalidation: a lookup that started before one does not cache its
    /// answer (it may predate the change that caused the invalidation).
    generation: std::sync::atomic::AtomicU64,
    last_used: Mutex<HashMap<String, DateTime<Utc>>>,
    key_ttl: Duration,
    session_ttl: Duration,
}

impl Credentials {
    /// A store whose key lookups are cached for `key_ttl` and session checks for `session_ttl`.
    pub fn new(db: DatabaseConnection, clock: Clock, key_ttl: Duration, session_ttl: Duration) -> Self {
        Self {
            db,
            clock,
            cache: Mutex::new(HashMap::new()),
            sessions: Mutex::new(HashMap::new()),
            generation: std::sync::atomic::AtomicU64::new(0),
            last_used: Mutex::new(HashMap::new()),
            key_ttl,
            session_ttl,
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
impl CredentialStore for Credentials {
    async fn resolve(&self, key_hash: &str) -> Result<Option<ApiKeyInfo>, ApiError> {
        let cached = lock(&self.cache)
            .get(key_hash)
            .filter(|(at, _)| at.elapsed() < self.key_ttl)
            .map(|(_, v)| v.clone());
        let entry = match cached {
            Some(v) => v,
            None => {
                let v = self.load(key_hash).await?;
                let mut c = lock(&self.cache);
                if c.len() > MAX_CACHED {
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

    async fn session_live(&self, session: &str) -> Result<bool, ApiError> {
        let cached = lock(&self.sessions)
            .get(session)
            .filter(|(at, _)| at.elapsed() < self.session_ttl)
            .map(|(_, live)| *live);
        if let Some(live) = cached {
            return Ok(live);
        }
        let generation = self.generation.load(std::sync::atomic::Ordering::Acquire);
        let live = !sessions::session_ended(&self.db, session).await?;
        let mut c = lock(&self.sessions);
        if self.generation.load(std::sync::atomic::Ordering::Acquire) == generation {
            if c.len() > MAX_CACHED {
                c.clear();
            }
            c.insert(session.to_string(), (Instant::now(), live));
        }
        Ok(live)
    }

    fn invalidate(&self) {
        let mut sessions = lock(&self.sessions);
        self.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        sessions.clear();
        drop(sessions);
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
