//! Point rules in the database, and turning a trigger into credits through them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sbm_common::db::{exec, query_all, query_one};
use sbm_common::{ApiError, ApiResult};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::ledger::Credit;
use super::rules::{RuleKind, RuleOutcome, RuleSpec, StoredRule, Trigger, award_day, evaluate};

/// A stored rule as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PointRule {
    pub id: String,
    #[serde(flatten)]
    pub spec: RuleSpec,
    /// Owned by the Kubernetes operator: read-only through the API.
    pub managed: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Columns of a rule row.
pub const COLS: &str = "id, spec, managed, created_at, updated_at";

/// A rule row as stored (the spec as JSON text).
#[derive(Debug, sea_orm::FromQueryResult)]
pub struct RuleRow {
    id: String,
    spec: String,
    managed: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<RuleRow> for PointRule {
    type Error = ApiError;
    fn try_from(r: RuleRow) -> ApiResult<Self> {
        Ok(PointRule {
            id: r.id,
            spec: serde_json::from_str(&r.spec).map_err(ApiError::internal)?,
            managed: r.managed,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

fn from_row(r: &sea_orm::QueryResult) -> ApiResult<PointRule> {
    <RuleRow as sea_orm::FromQueryResult>::from_query_result(r, "")?.try_into()
}

/// One rule or 404.
pub async fn get_rule(db: &impl ConnectionTrait, id: &str) -> ApiResult<PointRule> {
    let row = query_one(
        db,
        &format!("SELECT {COLS} FROM point_rules WHERE id = ?"),
        vec![id.into()],
    )
    .await?
    .ok_or_else(|| ApiError::not_found("Point rule"))?;
    from_row(&row)
}

/// The rule with a code, if any.
pub async fn find_by_code(db: &impl ConnectionTrait, code: &str) -> ApiResult<Option<PointRule>> {
    let row = query_one(
        db,
        &format!("SELECT {COLS} FROM point_rules WHERE code = ?"),
        vec![code.into()],
    )
    .await?;
    row.as_ref().map(from_row).transpose()
}

fn check(spec: &RuleSpec) -> ApiResult<()> {
    let errors = spec.validate();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// Creates a rule; `managed_by` marks it as the operator's.
pub async fn insert_rule(db: &impl ConnectionTrait, spec: &RuleSpec, managed_by: Option<&str>) -> ApiResult<PointRule> {
    check(spec)?;
    if find_by_code(db, &spec.code).await?.is_some() {
        return Err(ApiError::field("code", "is already used by another rule").with_status(409));
    }
    let id = uuid::Uuid::now_v7().to_string();
    let now = Utc::now();
    exec(
        db,
        "INSERT INTO point_rules (id, code, name, kind, spec, active, priority, managed, managed_by_uid, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        vec![
            id.clone().into(),
            spec.code.clone().into(),
            spec.name.clone().into(),
            kind_str(spec.kind).into(),
            serde_json::to_string(spec).map_err(ApiError::internal)?.into(),
            spec.active.into(),
            spec.priority.into(),
            managed_by.is_some().into(),
            managed_by.map(str::to_string).into(),
            now.into(),
            now.into(),
        ],
    )
    .await?;
    get_rule(db, &id).await
}

/// Replaces a rule's spec (the code may change if unused).
pub async fn update_rule(db: &impl ConnectionTrait, id: &str, spec: &RuleSpec) -> ApiResult<PointRule> {
    check(spec)?;
    if let Some(other) = find_by_code(db, &spec.code).await?
        && other.id != id
    {
        return Err(ApiError::field("code", "is already used by another rule").with_status(409));
    }
    exec(
        db,
        "UPDATE point_rules SET code = ?, name = ?, kind = ?, spec = ?, active = ?, priority = ?, updated_at = ? WHERE id = ?",
        vec![
            spec.code.clone().into(),
            spec.name.clone().into(),
            kind_str(spec.kind).into(),
            serde_json::to_string(spec).map_err(ApiError::internal)?.into(),
            spec.active.into(),
            spec.priority.into(),
            Utc::now().into(),
            id.into(),
        ],
    )
    .await?;
    get_rule(db, id).await
}

/// Deletes a rule.
pub async fn delete_rule(db: &impl ConnectionTrait, id: &str) -> ApiResult<()> {
    exec(db, "DELETE FROM point_rules WHERE id = ?", vec![id.into()]).await?;
    Ok(())
}

pub fn kind_str(k: RuleKind) -> &'static str {
    match k {
        RuleKind::Purchase => "purchase",
        RuleKind::Action => "action",
    }
}

/// The member's tier code. Tiers arrive with the cluster service; until then nobody has one.
pub async fn tier_of(_db: &impl ConnectionTrait, _member: &str) -> ApiResult<Option<String>> {
    Ok(None)
}

/// What rules give for a trigger: the per-rule breakdown and the credits to book.
pub struct Computed {
    pub outcomes: Vec<RuleOutcome>,
    pub credits: Vec<Credit>,
    pub award_day: String,
    pub tier: Option<String>,
}

impl Computed {
    pub fn total(&self) -> i64 {
        self.credits.iter().map(|c| c.points).sum()
    }
    pub fn breakdown(&self) -> Value {
        serde_json::to_value(&self.outcomes).unwrap_or(Value::Null)
    }
}

/// Evaluates the stored rules for a member and trigger (the same path for earn and simulate).
pub async fn compute(
    db: &impl ConnectionTrait,
    member: Option<&str>,
    tier_override: Option<String>,
    trigger: &Trigger,
    now: DateTime<Utc>,
) -> ApiResult<Computed> {
    let kind = match trigger {
        Trigger::Purchase(_) => "purchase",
        Trigger::Action(_) => "action",
    };
    let rows = query_all(db, "SELECT id, spec FROM point_rules WHERE kind = ?", vec![kind.into()]).await?;
    let mut rules = Vec::with_capacity(rows.len());
    for r in rows {
        let spec: String = r.try_get("", "spec")?;
        rules.push(StoredRule {
            id: r.try_get("", "id")?,
            spec: serde_json::from_str(&spec).map_err(ApiError::internal)?,
        });
    }
    let day = award_day(trigger, now);
    let mut used = HashMap::new();
    let tier = match (tier_override, member) {
        (Some(t), _) => Some(t),
        (None, Some(m)) => tier_of(db, m).await?,
        (None, None) => None,
    };
    if let Some(m) = member {
        let rows = query_all(
            db,
            "SELECT rule_id, CAST(SUM(points) AS BIGINT) AS used FROM point_rule_awards WHERE member_id = ? AND award_day = ? GROUP BY rule_id",
            vec![m.into(), day.clone().into()],
        )
        .await?;
        for r in rows {
            used.insert(r.try_get::<String>("", "rule_id")?, r.try_get::<i64>("", "used")?);
        }
    }
    let outcomes = evaluate(&rules, trigger, tier.as_deref(), now, &used);
    let credits = outcomes
        .iter()
        .filter(|o| o.applied)
        .map(|o| Credit {
            points: o.points,
            expires_at: o.expires_at,
            rule_id: Some(o.rule_id.clone()),
        })
        .collect();
    Ok(Computed {
        outcomes,
        credits,
        award_day: day,
        tier,
    })
}

/// The uid of the `PointRule` resource that owns a rule row, if any.
pub async fn managed_by(db: &impl ConnectionTrait, id: &str) -> ApiResult<Option<String>> {
    let row = query_one(
        db,
        "SELECT managed_by_uid FROM point_rules WHERE id = ?",
        vec![id.into()],
    )
    .await?;
    Ok(row
        .map(|r| r.try_get::<Option<String>>("", "managed_by_uid"))
        .transpose()?
        .flatten())
}

/// Marks a rule as owned by a resource (`Some(uid)`) or hands it back to the API (`None`).
pub async fn set_managed(db: &impl ConnectionTrait, id: &str, uid: Option<&str>) -> ApiResult<()> {
    exec(
        db,
        "UPDATE point_rules SET managed = ?, managed_by_uid = ?, updated_at = ? WHERE id = ?",
        vec![
            uid.is_some().into(),
            uid.map(str::to_string).into(),
            Utc::now().into(),
            id.into(),
        ],
    )
    .await?;
    Ok(())
}
