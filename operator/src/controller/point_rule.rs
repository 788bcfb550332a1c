//! `PointRule`: a managed row in the platform's `point_rules`, tied to the resource's uid.

use std::sync::Arc;

use kube::{Resource, ResourceExt};
use sbm_point::domain::rulestore;
use sea_orm::DatabaseConnection;
use serde::Serialize;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;

use super::Result;
use super::context::Context;
use super::dbkind::{DbKind, Outcome};
use super::status::condition;
use crate::crd::{DeletionPolicy, PointRule};

/// The status fields a synced `PointRule` adds.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleSynced {
    pub rule_id: String,
    /// `tierMultipliers` codes that name no live tier (the `ReferencesResolved` condition).
    #[serde(skip)]
    pub unknown_tiers: Vec<String>,
}

/// Applies the deletion policy to one row.
async fn let_go(db: &DatabaseConnection, policy: DeletionPolicy, id: &str) -> Result<()> {
    let now = sbm_common::clock::Clock::default().now();
    match policy {
        DeletionPolicy::Delete => rulestore::delete_rule(db, id).await?,
        DeletionPolicy::Retain => rulestore::set_managed(db, id, None, now).await?,
    }
    Ok(())
}

impl DbKind for PointRule {
    const KIND: &'static str = "PointRule";
    type Synced = RuleSynced;

    fn platform(&self) -> &str {
        &self.spec.platform_ref.name
    }

    async fn converge(self: Arc<Self>, ctx: Arc<Context>, db: DatabaseConnection) -> Result<Outcome<RuleSynced>> {
        let pr = self;
        let uid = pr.uid().unwrap_or_default();
        let code = &pr.spec.rule.code;
        let now = sbm_common::clock::Clock::default().now();
        let problems = pr.spec.rule.validate();
        if !problems.is_empty() {
            let msg: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.field, p.message)).collect();
            return Ok(Outcome::Blocked {
                reason: "Invalid",
                message: msg.join("; "),
                conflict: false,
            });
        }
        // A row this resource owns under another code (its code was changed although the CRD
        // forbids it) is not left awarding points: it goes as if its resource had been deleted.
        for stale in rulestore::managed_rows(&db, &uid).await? {
            if &stale.spec.code != code {
                let_go(&db, pr.spec.deletion_policy, &stale.id).await?;
                let note = format!("point rule {} no longer matches this resource's code", stale.spec.code);
                ctx.event(pr.as_ref(), false, "Retired", note).await;
            }
        }
        // Oldest claim on a code wins (read from the store: no list per reconcile).
        let ns = pr.namespace();
        let older = ctx.stores.rules.state().into_iter().find(|o| {
            o.uid() != pr.uid()
                && o.namespace() == ns
                && o.meta().deletion_timestamp.is_none()
                && o.spec.platform_ref == pr.spec.platform_ref
                && &o.spec.rule.code == code
                && (o.creation_timestamp(), o.name_any()) < (pr.creation_timestamp(), pr.name_any())
        });
        if let Some(o) = older {
            return Ok(Outcome::Blocked {
                reason: "CodeClaimed",
                message: format!("rule code {code} is already claimed by PointRule {}", o.name_any()),
                conflict: true,
            });
        }
        let row = match rulestore::find_by_code(&db, code).await? {
            None => {
                let row = rulestore::insert_rule(&db, &pr.spec.rule, Some(&uid), now).await?;
                ctx.event(pr.as_ref(), false, "Created", format!("point rule {code} created"))
                    .await;
                row
            }
            Some(existing) => {
                let owner = rulestore::managed_by(&db, &existing.id).await?;
                if owner.is_none() {
                    return Ok(Outcome::Blocked {
                        reason: "CodeExists",
                        message: format!("rule code {code} exists and is managed through the API"),
                        conflict: true,
                    });
                }
                if owner.as_deref() != Some(uid.as_str()) {
                    // Its owner is gone or younger: this resource takes the row over.
                    rulestore::set_managed(&db, &existing.id, Some(&uid), now).await?;
                }
                if existing.spec != pr.spec.rule {
                    tracing::info!(rule = %code, "point rule differs from its resource; restoring");
                    ctx.event(
                        pr.as_ref(),
                        false,
                        "Restored",
                        format!("point rule {code} put back to its resource"),
                    )
                    .await;
                    rulestore::update_rule(&db, &existing.id, &pr.spec.rule, now).await?
                } else {
                    existing
                }
            }
        };
        // Multipliers for a tier that does not exist are harmless but a typo: say so.
        let live = sbm_cluster::domain::tiers::live_codes(&db).await?;
        let unknown_tiers = pr
            .spec
            .rule
            .tier_multipliers
            .keys()
            .filter(|c| !live.contains(c))
            .cloned()
            .collect();
        Ok(Outcome::Synced(RuleSynced {
            rule_id: row.id,
            unknown_tiers,
        }))
    }

    fn conditions(s: &RuleSynced, generation: Option<i64>) -> Vec<Condition> {
        vec![if s.unknown_tiers.is_empty() {
            condition(
                "ReferencesResolved",
                true,
                "Resolved",
                "every tier it names exists",
                generation,
            )
        } else {
            condition(
                "ReferencesResolved",
                false,
                "TierNotFound",
                &format!(
                    "tierMultipliers name tiers the platform does not have: {}",
                    s.unknown_tiers.join(", ")
                ),
                generation,
            )
        }]
    }

    async fn clean_up(self: Arc<Self>, _ctx: Arc<Context>, db: DatabaseConnection) -> Result<()> {
        for row in rulestore::managed_rows(&db, &self.uid().unwrap_or_default()).await? {
            let_go(&db, self.spec.deletion_policy, &row.id).await?;
        }
        Ok(())
    }
}
