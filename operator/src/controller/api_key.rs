//! `ApiKey`: a key generated once into the owned Secret `<name>-api-key`, its hash, plan and
//! scopes a managed row in the platform's database.

use std::sync::Arc;

use k8s_openapi::api::core::v1::Secret;
use kube::api::{Api, PostParams};
use kube::{Resource, ResourceExt};
use sbm_auth::domain::api_keys::{NewApiKey, managed as managed_keys};
use sea_orm::DatabaseConnection;
use serde::Serialize;

use super::Result;
use super::context::Context;
use super::dbkind::{DbKind, Outcome};
use crate::crd::{ApiKey, DeletionPolicy, Plan};

/// Annotation whose new value asks for a new API key.
pub const ROTATE_ANNOTATION: &str = "sbmcrm.io/rotate";

/// Name of the Secret that holds an `ApiKey`'s key.
pub fn key_secret_name(key: &ApiKey) -> String {
    format!("{}-api-key", key.name_any())
}

fn plan(p: Plan) -> sbm_common::identity::Plan {
    match p {
        Plan::Standard => sbm_common::identity::Plan::Standard,
        Plan::Premium => sbm_common::identity::Plan::Premium,
        Plan::Enterprise => sbm_common::identity::Plan::Enterprise,
    }
}

/// The status fields a synced `ApiKey` adds. Never the key itself.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeySynced {
    pub key_id: String,
    pub prefix: String,
    pub secret_name: String,
    pub last_rotation: Option<String>,
}

impl DbKind for ApiKey {
    const KIND: &'static str = "ApiKey";
    type Synced = KeySynced;

    fn platform(&self) -> &str {
        &self.spec.platform_ref.name
    }

    async fn converge(self: Arc<Self>, ctx: Arc<Context>, db: DatabaseConnection) -> Result<Outcome<KeySynced>> {
        let key = self;
        let ns = key.namespace().unwrap_or_default();
        let uid = key.uid().unwrap_or_default();
        // The operator has no request to take the time from; the clock module is the one source.
        let now = sbm_common::clock::Clock::default().now();
        let secrets: Api<Secret> = Api::namespaced(ctx.client.clone(), &ns);
        let secret_name = key_secret_name(&key);
        let rotate_to = key.annotations().get(ROTATE_ANNOTATION).cloned();
        // The Secret itself records which rotation its key answers (the same annotation), so a
        // reconcile that runs on a stale ApiKey (status not caught up) cannot rotate twice.
        let key_of = |s: &Secret| {
            s.data
                .as_ref()
                .and_then(|d| d.get("apiKey"))
                .map(|b| String::from_utf8_lossy(&b.0).to_string())
        };
        // (A Secret made before the Secret carried it: the status says what was acted on.)
        let acted_on = key.status.as_ref().and_then(|s| s.last_rotation.clone());
        let rotation_of = |s: &Secret| {
            s.annotations()
                .get(ROTATE_ANNOTATION)
                .cloned()
                .or_else(|| acted_on.clone())
        };
        let needs_new = |s: &Option<Secret>| match s {
            None => true,
            Some(s) => key_of(s).is_none() || (rotate_to.is_some() && rotation_of(s) != rotate_to),
        };
        // The store first; before anything is generated, and when the database holds another
        // key than the store's Secret, the Secret is read live: a store that lags behind must
        // never rotate a key twice, nor put an old key's hash back.
        let mut existing = ctx.secret(&ns, &secret_name).map(|s| (*s).clone());
        let mut live = false;
        let row = managed_keys::find(&db, &uid).await?;
        let row_differs = |s: &Option<Secret>| {
            row.as_ref().is_some_and(|r| {
                s.as_ref()
                    .and_then(key_of)
                    .is_none_or(|k| sbm_common::identity::hash_api_key(&k) != r.key_hash)
            })
        };
        if needs_new(&existing) || row_differs(&existing) {
            existing = secrets.get_opt(&secret_name).await?;
            live = true;
        }
        if let Some(s) = &existing
            && !s.owner_references().iter().any(|o| o.uid == uid)
        {
            return Ok(Outcome::Blocked {
                reason: "SecretNotOwned",
                message: format!("Secret {secret_name} exists and does not belong to this ApiKey; it is left alone"),
                conflict: true,
            });
        }
        let (plaintext, rotation) = match &existing {
            Some(s) if !needs_new(&existing) => (key_of(s).unwrap_or_default(), rotation_of(s)),
            _ => {
                debug_assert!(live, "a key is only generated after a live read");
                let fresh = sbm_auth::domain::api_keys::new_key();
                let owner = key
                    .controller_owner_ref(&())
                    .expect("a resource read from the API has a uid");
                let mut secret = crate::builders::owned_secret(&secret_name, &ns, owner, "apiKey", fresh.clone());
                if let Some(r) = &rotate_to {
                    secret
                        .annotations_mut()
                        .insert(ROTATE_ANNOTATION.to_string(), r.clone());
                }
                match &existing {
                    Some(old) => {
                        // Optimistic: a concurrent writer makes this a conflict, retried.
                        secret.metadata.resource_version = old.resource_version();
                        secrets.replace(&secret_name, &PostParams::default(), &secret).await?;
                    }
                    None => {
                        secrets.create(&PostParams::default(), &secret).await?;
                    }
                }
                tracing::info!(api_key = %key.name_any(), namespace = %ns, "API key generated into its Secret");
                ctx.event(
                    key.as_ref(),
                    false,
                    "KeyGenerated",
                    format!("a new key is in Secret {secret_name}"),
                )
                .await;
                (fresh, rotate_to.clone())
            }
        };
        let spec = NewApiKey {
            name: key.spec.display_name.clone(),
            scopes: key.spec.scopes.clone(),
            plan: plan(key.spec.plan),
            rate_limit_per_hour: key.spec.rate_limit_per_hour,
            expires_at: key.spec.expires_at,
        };
        let id = match row {
            None => managed_keys::create(&db, &uid, &plaintext, spec, now).await?,
            Some(row) => {
                managed_keys::sync(&db, &row, &plaintext, spec, now).await?;
                row.id
            }
        };
        Ok(Outcome::Synced(KeySynced {
            key_id: id,
            prefix: plaintext.chars().take(12).collect(),
            secret_name,
            last_rotation: rotation,
        }))
    }

    async fn clean_up(self: Arc<Self>, _ctx: Arc<Context>, db: DatabaseConnection) -> Result<()> {
        let uid = self.uid().unwrap_or_default();
        match self.spec.deletion_policy {
            DeletionPolicy::Delete => managed_keys::delete(&db, &uid).await?,
            DeletionPolicy::Retain => {
                managed_keys::release(&db, &uid, sbm_common::clock::Clock::default().now()).await?
            }
        }
        Ok(())
    }
}
