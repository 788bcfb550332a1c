//! What reconcilers share: the Kubernetes client, an event recorder, the reflector stores they
//! read instead of the API server (platforms, Secrets, PointRules, Tiers, RewardCatalogs), one
//! connection pool per platform database, and each object's run of failures (for backoff).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, ListParams};
use kube::runtime::events::{Event, EventType, Recorder, Reporter};
use kube::runtime::reflector::{self, ObjectRef, Store, store::Writer};
use kube::runtime::watcher;
use kube::{Client, Resource};
use sea_orm::DatabaseConnection;

use super::{DB_CHECK, MANAGER};
use crate::crd::{CrmPlatform, PointRule, RewardCatalog, Tier};

/// The reflector stores reconcilers read: in the operator, fed by the controllers' own watches
/// (platforms, PointRules, Tiers, RewardCatalogs) and one watch of Secrets; in tests, by lists
/// ([`Context::from_lists`]).
#[derive(Clone)]
pub struct Stores {
    pub platforms: Store<CrmPlatform>,
    pub secrets: Store<Secret>,
    pub rules: Store<PointRule>,
    pub tiers: Store<Tier>,
    pub catalogs: Store<RewardCatalog>,
}

impl Stores {
    /// Waits until every store has had its first full list (at once, after that).
    pub async fn ready(&self) {
        let _ = tokio::join!(
            self.platforms.wait_until_ready(),
            self.secrets.wait_until_ready(),
            self.rules.wait_until_ready(),
            self.tiers.wait_until_ready(),
            self.catalogs.wait_until_ready()
        );
    }
}

/// The writing ends of [`Stores`] when lists feed them.
struct Writers {
    platforms: Writer<CrmPlatform>,
    secrets: Writer<Secret>,
    rules: Writer<PointRule>,
    tiers: Writer<Tier>,
    catalogs: Writer<RewardCatalog>,
}

/// The outcome of resolving a resource's platform database.
pub enum Db {
    Ready(DatabaseConnection),
    NotReady(&'static str, String),
}

/// What the operator knows about one platform database (keyed by its URL).
#[derive(Default)]
struct PlatformDb {
    pool: Option<DatabaseConnection>,
    /// When it last answered a ping or a connect.
    verified: Option<Instant>,
    /// After a failure: reconciles of its resources fail fast until then.
    down_until: Option<Instant>,
    /// A ping or connect in flight (one at a time per database), since when.
    checking: Option<Instant>,
    /// Whether it has ever failed: then reconciles do not wait for a check in flight.
    failed_before: bool,
    /// Wakes reconciles waiting for the check in flight.
    checked: Arc<tokio::sync::Notify>,
    last_used: Option<Instant>,
}

/// A database that answered this recently is used without a new ping.
const VERIFIED_FOR: Duration = Duration::from_secs(5);
/// A database that failed is not tried again for this long.
const RETRY_AFTER: Duration = Duration::from_secs(10);
/// A pool no reconcile has used for this long (a changed URL, a deleted platform) is closed.
const IDLE_POOL: Duration = Duration::from_secs(900);

pub struct Context {
    pub client: Client,
    recorder: Recorder,
    pub stores: Stores,
    dbs: Mutex<HashMap<String, PlatformDb>>,
    failures: Mutex<HashMap<String, u32>>,
    writers: tokio::sync::Mutex<Option<Writers>>,
}

async fn load<K>(writer: &mut Writer<K>, api: Api<K>) -> kube::Result<()>
where
    K: Resource<DynamicType = ()> + Clone + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let items = api.list(&ListParams::default()).await?.items;
    writer.apply_watcher_event(&watcher::Event::Init);
    for item in items {
        writer.apply_watcher_event(&watcher::Event::InitApply(item));
    }
    writer.apply_watcher_event(&watcher::Event::InitDone);
    Ok(())
}

impl Context {
    /// A context over stores that watches keep current (the running operator).
    pub fn new(client: Client, stores: Stores) -> Arc<Self> {
        let reporter = Reporter {
            controller: MANAGER.into(),
            instance: std::env::var("POD_NAME").ok(),
        };
        Arc::new(Self {
            recorder: Recorder::new(client.clone(), reporter),
            client,
            stores,
            dbs: Mutex::default(),
            failures: Mutex::default(),
            writers: tokio::sync::Mutex::new(None),
        })
    }

    /// A context whose stores are filled by listing once, and again on [`Context::relist`]:
    /// for tests and the scale gate, where no watch runs.
    pub async fn from_lists(client: Client) -> kube::Result<Arc<Self>> {
        let (platforms, pw) = reflector::store();
        let (secrets, sw) = reflector::store();
        let (rules, rw) = reflector::store();
        let (tiers, tw) = reflector::store();
        let (catalogs, cw) = reflector::store();
        let ctx = Self::new(
            client,
            Stores {
                platforms,
                secrets,
                rules,
                tiers,
                catalogs,
            },
        );
        *ctx.writers.lock().await = Some(Writers {
            platforms: pw,
            secrets: sw,
            rules: rw,
            tiers: tw,
            catalogs: cw,
        });
        ctx.relist().await?;
        Ok(ctx)
    }

    /// Lists everything the stores hold again (a context from [`Context::from_lists`] only;
    /// under watches this does nothing).
    pub async fn relist(&self) -> kube::Result<()> {
        let mut writers = self.writers.lock().await;
        if let Some(w) = writers.as_mut() {
            load(&mut w.platforms, Api::all(self.client.clone())).await?;
            load(&mut w.secrets, Api::all(self.client.clone())).await?;
            load(&mut w.rules, Api::all(self.client.clone())).await?;
            load(&mut w.tiers, Api::all(self.client.clone())).await?;
            load(&mut w.catalogs, Api::all(self.client.clone())).await?;
        }
        Ok(())
    }

    pub fn platform(&self, ns: &str, name: &str) -> Option<Arc<CrmPlatform>> {
        self.stores.platforms.get(&ObjectRef::new(name).within(ns))
    }

    pub fn secret(&self, ns: &str, name: &str) -> Option<Arc<Secret>> {
        self.stores.secrets.get(&ObjectRef::new(name).within(ns))
    }

    /// A key of a Secret (`data`, else `stringData`), from the store.
    pub fn secret_value(&self, ns: &str, name: &str, key: &str) -> Option<String> {
        let s = self.secret(ns, name)?;
        let from_data = s
            .data
            .as_ref()
            .and_then(|d| d.get(key))
            .map(|b| String::from_utf8_lossy(&b.0).to_string());
        from_data.or_else(|| s.string_data.as_ref().and_then(|d| d.get(key)).cloned())
    }

    /// The database of platform `name` in `ns`, or why not. One platform's database that hangs
    /// must not stall another's reconciles, which share the controllers' slots: the cache's lock
    /// is held only to read or update its entry, at most one ping or connect per database is in
    /// flight (bounded by `DB_CHECK`), a database that answered within [`VERIFIED_FOR`] is used
    /// without a new ping, and one that failed fails fast for [`RETRY_AFTER`].
    pub async fn platform_db(&self, ns: &str, name: &str) -> Db {
        let Some(p) = self.platform(ns, name) else {
            return Db::NotReady("PlatformNotFound", format!("CrmPlatform {name} does not exist in {ns}"));
        };
        let Some(url) = self.secret_value(ns, &p.spec.database.name, &p.spec.database.key) else {
            return Db::NotReady(
                "DatabaseSecretMissing",
                format!("Secret {} has no key {}", p.spec.database.name, p.spec.database.key),
            );
        };
        // The URL is a secret: messages say what failed, not where.
        let unavailable = || {
            Db::NotReady(
                "DatabaseUnavailable",
                "the platform's database cannot be reached".into(),
            )
        };
        let cached = loop {
            let now = Instant::now();
            let wait = {
                let mut dbs = self.dbs.lock().unwrap_or_else(PoisonError::into_inner);
                dbs.retain(|_, d| d.checking.is_some() || d.last_used.is_some_and(|t| now - t < IDLE_POOL));
                let d = dbs.entry(url.clone()).or_default();
                d.last_used = Some(now);
                if d.down_until.is_some_and(|t| now < t) {
                    return unavailable();
                }
                let fresh = d.verified.is_some_and(|t| now - t < VERIFIED_FOR);
                let busy = d.checking.is_some_and(|t| now - t < DB_CHECK + Duration::from_secs(1));
                match (&d.pool, fresh, busy) {
                    (Some(pool), true, _) => return Db::Ready(pool.clone()),
                    // Another reconcile is checking it: use it if it answered lately.
                    (Some(pool), false, true) if d.verified.is_some_and(|t| now - t < RETRY_AFTER) => {
                        return Db::Ready(pool.clone());
                    }
                    // A database that has failed before gets no second waiter: one slot at most.
                    (_, _, true) if d.failed_before => return unavailable(),
                    // First contact: wait for the check in flight.
                    (_, _, true) => Some(d.checked.clone()),
                    _ => {
                        d.checking = Some(now);
                        None
                    }
                }
                .map(|n| (n, d.pool.clone()))
                .ok_or(d.pool.clone())
            };
            match wait {
                Err(pool) => break pool,
                Ok((notify, _)) => {
                    let notified = notify.notified();
                    tokio::pin!(notified);
                    notified.as_mut().enable();
                    // Registered; the check may have ended meanwhile, so look again first.
                    let still_busy = self
                        .dbs
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .get(&url)
                        .is_some_and(|d| d.checking.is_some());
                    if still_busy {
                        let _ = tokio::time::timeout(DB_CHECK + Duration::from_secs(1), notified).await;
                    }
                }
            }
        };
        let result = match cached {
            Some(pool) => match tokio::time::timeout(DB_CHECK, pool.ping()).await {
                Ok(Ok(())) => Some(pool),
                _ => None,
            },
            None => match tokio::time::timeout(DB_CHECK, sbm_common::db::connect_url(&url, 4)).await {
                Ok(Ok(pool)) => Some(pool),
                _ => None,
            },
        };
        let mut dbs = self.dbs.lock().unwrap_or_else(PoisonError::into_inner);
        let d = dbs.entry(url).or_default();
        d.checking = None;
        d.checked.notify_waiters();
        match result {
            Some(pool) => {
                d.pool = Some(pool.clone());
                d.verified = Some(Instant::now());
                d.down_until = None;
                Db::Ready(pool)
            }
            None => {
                d.pool = None;
                d.failed_before = true;
                d.down_until = Some(Instant::now() + RETRY_AFTER);
                unavailable()
            }
        }
    }

    /// Counts a failure of `key`; returns how many in a row.
    pub(super) fn failed(&self, key: &str) -> u32 {
        let mut f = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let n = f.entry(key.to_string()).or_default();
        *n += 1;
        *n
    }

    /// Forgets `key`'s failures (it reconciled).
    pub(super) fn succeeded(&self, key: &str) {
        self.failures.lock().unwrap_or_else(PoisonError::into_inner).remove(key);
    }

    /// Publishes a Kubernetes event about `obj` (best effort: a failed event is only logged).
    pub async fn event<K: Resource<DynamicType = ()>>(&self, obj: &K, warning: bool, reason: &str, note: String) {
        let ev = Event {
            type_: if warning { EventType::Warning } else { EventType::Normal },
            reason: reason.into(),
            note: Some(note),
            action: "Reconcile".into(),
            secondary: None,
        };
        if let Err(e) = self.recorder.publish(&ev, &obj.object_ref(&())).await {
            tracing::debug!(error = %e, "could not publish an event");
        }
    }
}
