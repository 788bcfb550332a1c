//! `Tier`: managed rows of the platform's tier ladder, written as a set.
//!
//! A tier alone cannot be checked: the ladder rules (unique ranks, rising thresholds, exactly
//! one default tier, the default lowest) span every tier of a platform. So each reconcile of a
//! `Tier` gathers its siblings (the `Tier` resources of the same platform, from the store),
//! turns them into one ladder write with the tiers managed through the API, and hands it to
//! the cluster domain's `save_ladder`, which checks the resulting ladder before writing
//! anything. While the set breaks a rule, nothing is written and every tier of the set reports
//! `Ready=False` (`LadderInvalid`) with the rule; the controller wakes the siblings of a
//! changed tier so they all say so at once.

use std::sync::Arc;

use kube::{Resource, ResourceExt};
use sbm_cluster::domain::TierError;
use sbm_cluster::domain::membership::{self, Ladder};
use sbm_cluster::domain::tiers::{self, Change};
use sea_orm::{DatabaseConnection, TransactionTrait};
use serde::Serialize;

use super::Result;
use super::context::Context;
use super::dbkind::{DbKind, Outcome};
use crate::crd::{DeletionPolicy, Tier};

/// The status fields a synced `Tier` adds.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TierSynced {
    pub tier_id: String,
}

/// The `Tier` resources of `t`'s platform that take part in the ladder: not being deleted,
/// the oldest claim on each code (younger duplicates are conflicts of their own). `t` itself is
/// in the set even when the store has not seen it yet.
pub fn siblings(ctx: &Context, t: &Tier) -> Vec<Arc<Tier>> {
    let mut all: Vec<Arc<Tier>> = ctx
        .stores
        .tiers
        .state()
        .into_iter()
        .filter(|o| {
            o.namespace() == t.namespace()
                && o.spec.platform_ref == t.spec.platform_ref
                && o.meta().deletion_timestamp.is_none()
                && o.uid() != t.uid()
        })
        .collect();
    if t.meta().deletion_timestamp.is_none() {
        all.push(Arc::new(t.clone()));
    }
    all.sort_by_key(|a| (a.creation_timestamp(), a.name_any()));
    let mut seen: Vec<String> = Vec::new();
    all.retain(|o| {
        if seen.contains(&o.spec.code) {
            false
        } else {
            seen.push(o.spec.code.clone());
            true
        }
    });
    all
}

fn blocked(reason: &'static str, message: String, conflict: bool) -> Outcome<TierSynced> {
    Outcome::Blocked {
        reason,
        message,
        conflict,
    }
}

impl DbKind for Tier {
    const KIND: &'static str = "Tier";
    type Synced = TierSynced;

    fn platform(&self) -> &str {
        &self.spec.platform_ref.name
    }

    async fn converge(self: Arc<Self>, ctx: Arc<Context>, db: DatabaseConnection) -> Result<Outcome<TierSynced>> {
        let me = self;
        let now = sbm_common::clock::Clock::default().now();
        let set = siblings(&ctx, &me);
        if !set.iter().any(|s| s.uid() == me.uid()) {
            let older = ctx.stores.tiers.state().into_iter().find(|o| {
                o.uid() != me.uid()
                    && o.namespace() == me.namespace()
                    && o.spec.platform_ref == me.spec.platform_ref
                    && o.meta().deletion_timestamp.is_none()
                    && o.spec.code == me.spec.code
            });
            return Ok(blocked(
                "CodeClaimed",
                format!(
                    "tier code {} is already claimed by Tier {}",
                    me.spec.code,
                    older.map(|o| o.name_any()).unwrap_or_default()
                ),
                true,
            ));
        }
        // Every tier of the set must be valid on its own before the set is looked at.
        for s in &set {
            let problems = s.spec.to_domain().validate();
            if !problems.is_empty() {
                let msg: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect();
                return Ok(if s.uid() == me.uid() {
                    blocked("Invalid", msg.join("; "), false)
                } else {
                    blocked(
                        "LadderInvalid",
                        format!(
                            "Tier {} of this ladder is invalid ({}); nothing is written",
                            s.name_any(),
                            msg.join("; ")
                        ),
                        false,
                    )
                });
            }
        }
        let txn = db.begin().await.map_err(TierError::from)?;
        let mut changes = Vec::new();
        let mut my_row = None;
        for s in &set {
            let desired = s.spec.to_domain();
            let s_uid = s.uid().unwrap_or_default();
            match tiers::find_by_code(&txn, &s.spec.code).await? {
                None => changes.push(Change::Create {
                    spec: desired,
                    managed_by: Some(s_uid),
                }),
                Some(row) => {
                    let owner = tiers::managed_by(&txn, &row.id).await?;
                    if owner.is_none() && row.deleted_at.is_none() {
                        let msg = format!("tier code {} exists and is managed through the API", s.spec.code);
                        return Ok(if s.uid() == me.uid() {
                            blocked("CodeExists", msg, true)
                        } else {
                            blocked(
                                "LadderInvalid",
                                format!("Tier {}: {msg}; nothing is written", s.name_any()),
                                false,
                            )
                        });
                    }
                    if owner.as_deref() != Some(s_uid.as_str()) && row.deleted_at.is_none() {
                        // Its owner is gone: this resource takes the row over.
                        tiers::set_managed(&txn, &row.id, Some(&s_uid), now).await?;
                    }
                    if s.uid() == me.uid() {
                        my_row = Some(row.id.clone());
                    }
                    if row.deleted_at.is_some() {
                        changes.push(Change::Restore {
                            id: row.id,
                            spec: desired,
                            managed_by: Some(s_uid),
                        });
                    } else if row.spec != desired {
                        changes.push(Change::Update {
                            id: row.id,
                            spec: desired,
                        });
                    }
                }
            }
        }
        // Tiers of this platform being deleted with `Delete` leave the ladder in the same write,
        // so swapping the default tier by replacing one resource with another lands at once.
        for gone in ctx.stores.tiers.state().into_iter().filter(|o| {
            o.namespace() == me.namespace()
                && o.spec.platform_ref == me.spec.platform_ref
                && o.meta().deletion_timestamp.is_some()
                && o.spec.deletion_policy == DeletionPolicy::Delete
        }) {
            for row in tiers::managed_rows(&txn, &gone.uid().unwrap_or_default()).await? {
                if row.deleted_at.is_none() && !set.iter().any(|s| s.spec.code == row.spec.code) {
                    changes.push(Change::Delete { id: row.id });
                }
            }
        }
        if changes.is_empty() {
            txn.commit().await.map_err(TierError::from)?;
            return Ok(Outcome::Synced(TierSynced {
                tier_id: my_row.unwrap_or_default(),
            }));
        }
        let n = changes.len();
        match tiers::save_ladder(&txn, changes, now).await {
            Ok(_) => {}
            Err(TierError::Ladder(v)) => {
                txn.rollback().await.map_err(TierError::from)?;
                return Ok(blocked(
                    "LadderInvalid",
                    format!("{v} (the {n} pending change(s) of this platform's Tier resources are not written)"),
                    false,
                ));
            }
            Err(e) => return Err(e.into()),
        }
        txn.commit().await.map_err(TierError::from)?;
        tracing::info!(platform = %me.spec.platform_ref.name, changes = n, "tier ladder written");
        ctx.event(me.as_ref(), false, "LadderWritten", format!("{n} tier row(s) written"))
            .await;
        let id = match my_row {
            Some(id) => id,
            None => tiers::find_by_code(&db, &me.spec.code)
                .await?
                .map(|t| t.id)
                .unwrap_or_default(),
        };
        Ok(Outcome::Synced(TierSynced { tier_id: id }))
    }

    async fn clean_up(self: Arc<Self>, _ctx: Arc<Context>, db: DatabaseConnection) -> Result<()> {
        let now = sbm_common::clock::Clock::default().now();
        let uid = self.uid().unwrap_or_default();
        for row in tiers::managed_rows(&db, &uid).await? {
            match self.spec.deletion_policy {
                DeletionPolicy::Retain if row.deleted_at.is_none() => {
                    tiers::set_managed(&db, &row.id, None, now).await?
                }
                DeletionPolicy::Retain => {}
                DeletionPolicy::Delete => {
                    let txn = db.begin().await.map_err(TierError::from)?;
                    // A sibling's set write may have deleted it already.
                    if row.deleted_at.is_none() {
                        tiers::save_ladder(&txn, vec![Change::Delete { id: row.id.clone() }], now).await?;
                    }
                    // Its members move to the default tier of what is left.
                    if tiers::holders(&txn, &row.id).await? > 0
                        && let Some(to) = Ladder::load(&txn).await?.default_tier().cloned()
                    {
                        membership::reassign(&txn, &row, &to, "operator", now).await?;
                    }
                    txn.commit().await.map_err(TierError::from)?;
                }
            }
        }
        Ok(())
    }
}
