//! What reconcilers share: the Kubernetes client, an event recorder, the reflector stores they
//! read instead of the API server (platforms, Secrets, PointRules), one connection pool per
//! platform database, and each object's run of failures (for backoff).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, ListParams};
use kube::runtime::events::{Event, EventType, Recorder, Reporter};
use kube::runtime::reflector::{self, ObjectRef, Store, store::Writer};
use kube::runtime::watcher;
use kube::{Client, Resource};
use sea_orm::DatabaseConnection;

use super::{DB_CHECK, MANAGER};
use crate::crd::{CrmPlatform, PointRule};

/// The reflector stores reconcilers read: in the operator, fed by the controllers' own watches
/// (platforms, PointRules) and one watch of Secrets; in tests, by lists ([`Context::from_lists`]).
#[derive(Clone)]
pub struct Stores {
    pub platforms: Store<CrmPlatform>,
    pub secrets: Store<Secret>,
    pub rules: Store<PointRule>,
}

impl Stores {
    /// Waits until every store has had its first full list (at once, after that).
    pub async fn ready(&self) {
        let _ = tokio::join!(
            self.platforms.wait_until_ready(),
            self.secrets.wait_until_ready(),
            self.rules.wait_until_ready()
        );
    }
}

/// The writing ends of [`Stores`] when lists feed them.
struct Writers {
    platforms: Writer<CrmPlatform>,
    secrets: Writer<Secret>,
    rules: Writer<PointRule>,
}

/// The outcome of resolving a resource's platform database.
pub enum Db {
    Ready(DatabaseConnection),
    NotReady(&'static str, String),
}

pub struct Context {
    pub client: Client,
    recorder: Recorder,
    pub stores: Stores,
    dbs: Mutex<HashMap<String, DatabaseConnection>>,
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
        let ctx = Self::new(
            client,
            Stores {
                platforms,
                secrets,
                rules,
            },
        );
        *ctx.writers.lock().await = Some(Writers {
            platforms: pw,
            secrets: sw,
            rules: rw,
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

    /// The database of platform `name` in `ns`, or why not. The pool cache is locked only to
    /// look up or insert, never across a connect or a ping: one platform's hanging database
    /// must not stall another's reconciles.
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
        let cached = self
            .dbs
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&url)
            .cloned();
        if let Some(db) = cached {
            if matches!(tokio::time::timeout(DB_CHECK, db.ping()).await, Ok(Ok(()))) {
                return Db::Ready(db);
            }
            self.dbs.lock().unwrap_or_else(PoisonError::into_inner).remove(&url);
        }
        match tokio::time::timeout(DB_CHECK, sbm_common::db::connect_url(&url, 4)).await {
            Ok(Ok(db)) => {
                self.dbs
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(url, db.clone());
                Db::Ready(db)
            }
            // The URL is a secret: the message says what failed, not where.
            _ => Db::NotReady(
                "DatabaseUnavailable",
                "the platform's database cannot be reached".into(),
            ),
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
