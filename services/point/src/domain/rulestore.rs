//! Point rules in the database, and turning a trigger into credits through them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, Func};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use sbm_common::{Filter, ListQuery, ListSpec, Page};

use super::error::{RuleError, Unique, violated};
use super::ledger::Credit;
use super::rules::{RuleKind, RuleOutcome, RuleSpec, StoredRule, Trigger, award_day, evaluate};
use crate::entity::{point_rule_awards as awards, point_rules as rules};

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

impl TryFrom<rules::Model> for PointRule {
    type Error = RuleError;
    fn try_from(r: rules::Model) -> Result<Self, RuleError> {
        Ok(PointRule {
            spec: parse_spec(&r.id, &r.spec)?,
            id: r.id,
            managed: r.managed,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

fn parse_spec(id: &str, spec: &str) -> Result<RuleSpec, RuleError> {
    serde_json::from_str(spec).map_err(|e| RuleError::Corrupt {
        id: id.to_string(),
        cause: e.to_string(),
    })
}

fn spec_json(spec: &RuleSpec) -> Result<String, RuleError> {
    serde_json::to_string(spec).map_err(|e| RuleError::Corrupt {
        id: spec.code.clone(),
        cause: e.to_string(),
    })
}

/// The rule list: filters `kind`, `active`, `managed`; `search` in codes and names; sort
/// `priority`, `code`, `createdAt`, `updatedAt`.
pub const LIST: ListSpec<rules::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("priority", rules::Column::Priority),
        ("code", rules::Column::Code),
        ("createdAt", rules::Column::CreatedAt),
        ("updatedAt", rules::Column::UpdatedAt),
    ],
    default_sort: rules::Column::CreatedAt,
    tiebreak: rules::Column::Id,
    search: &[rules::Column::Code, rules::Column::Name],
    filters: &[
        Filter::Enum("kind", rules::Column::Kind, &["purchase", "action"]),
        Filter::Bool("active", rules::Column::Active),
        Filter::Bool("managed", rules::Column::Managed),
    ],
};

/// One page of rules.
pub async fn list(db: &impl ConnectionTrait, q: &ListQuery) -> Result<Page<PointRule>, RuleError> {
    let page = q.page(db, rules::Entity::find(), &LIST).await?;
    let data = page
        .data
        .into_iter()
        .map(PointRule::try_from)
        .collect::<Result<_, _>>()?;
    Ok(Page { meta: page.meta, data })
}

/// One rule.
pub async fn get_rule(db: &impl ConnectionTrait, id: &str) -> Result<PointRule, RuleError> {
    rules::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(RuleError::NotFound)?
        .try_into()
}

/// The rule with a code, if any.
pub async fn find_by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<PointRule>, RuleError> {
    rules::Entity::find()
        .filter(rules::Column::Code.eq(code))
        .one(db)
        .await?
        .map(PointRule::try_from)
        .transpose()
}

fn check(spec: &RuleSpec) -> Result<(), RuleError> {
    let errors = spec.validate();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(RuleError::Invalid(errors))
    }
}

/// A unique violation on the code is [`RuleError::CodeTaken`] (a concurrent create won).
fn code_taken(e: sea_orm::DbErr) -> RuleError {
    if violated(&e) == Some(Unique::RuleCode) {
        RuleError::CodeTaken
    } else {
        e.into()
    }
}

/// Creates a rule; `managed_by` marks it as the operator's.
pub async fn insert_rule(
    db: &impl ConnectionTrait,
    spec: &RuleSpec,
    managed_by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<PointRule, RuleError> {
    check(spec)?;
    if find_by_code(db, &spec.code).await?.is_some() {
        return Err(RuleError::CodeTaken);
    }
    let row = rules::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        code: Set(spec.code.clone()),
        name: Set(spec.name.clone()),
        kind: Set(kind_str(spec.kind).to_string()),
        spec: Set(spec_json(spec)?),
        active: Set(spec.active),
        priority: Set(spec.priority),
        managed: Set(managed_by.is_some()),
        managed_by_uid: Set(managed_by.map(str::to_string)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(code_taken)?;
    row.try_into()
}

/// Replaces a rule's spec (the code may change if unused).
pub async fn update_rule(
    db: &impl ConnectionTrait,
    id: &str,
    spec: &RuleSpec,
    now: DateTime<Utc>,
) -> Result<PointRule, RuleError> {
    check(spec)?;
    if let Some(other) = find_by_code(db, &spec.code).await?
        && other.id != id
    {
        return Err(RuleError::CodeTaken);
    }
    let row = rules::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id.to_string()),
        code: Set(spec.code.clone()),
        name: Set(spec.name.clone()),
        kind: Set(kind_str(spec.kind).to_string()),
        spec: Set(spec_json(spec)?),
        active: Set(spec.active),
        priority: Set(spec.priority),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await
    .map_err(|e| match e {
        sea_orm::DbErr::RecordNotFound(_) | sea_orm::DbErr::RecordNotUpdated => RuleError::NotFound,
        e => code_taken(e),
    })?;
    row.try_into()
}

/// Deletes a rule.
pub async fn delete_rule(db: &impl ConnectionTrait, id: &str) -> Result<(), RuleError> {
    rules::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// A rule that the API may change: [`RuleError::Managed`] when the operator owns it.
pub async fn get_unmanaged(db: &impl ConnectionTrait, id: &str) -> Result<PointRule, RuleError> {
    let rule = get_rule(db, id).await?;
    if rule.managed {
        return Err(RuleError::Managed);
    }
    Ok(rule)
}

/// Deletes a rule the API may change, returning it as it was.
pub async fn delete_unmanaged(db: &impl ConnectionTrait, id: &str) -> Result<PointRule, RuleError> {
    let rule = get_unmanaged(db, id).await?;
    delete_rule(db, id).await?;
    Ok(rule)
}

/// The stored spelling of a rule kind.
pub fn kind_str(k: RuleKind) -> &'static str {
    match k {
        RuleKind::Purchase => "purchase",
        RuleKind::Action => "action",
    }
}

/// The member's tier code, as the cluster service keeps it (the default tier until the member
/// climbs). Point sits above cluster in the dependency direction, so it reads cluster's domain.
pub async fn tier_of(db: &impl ConnectionTrait, member: &str) -> Result<Option<String>, RuleError> {
    sbm_cluster::domain::membership::tier_code(db, member)
        .await
        .map_err(|e| match e {
            sbm_cluster::domain::TierError::Db(e) => RuleError::Db(e),
            e => RuleError::Db(sea_orm::DbErr::Custom(e.to_string())),
        })
}

/// What rules give for a trigger: the per-rule breakdown and the credits to book.
#[derive(Debug, Clone)]
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
) -> Result<Computed, RuleError> {
    let kind = match trigger {
        Trigger::Purchase(_) => RuleKind::Purchase,
        Trigger::Action(_) => RuleKind::Action,
    };
    let rows: Vec<(String, String)> = rules::Entity::find()
        .select_only()
        .columns([rules::Column::Id, rules::Column::Spec])
        .filter(rules::Column::Kind.eq(kind_str(kind)))
        .into_tuple()
        .all(db)
        .await?;
    let mut stored = Vec::with_capacity(rows.len());
    for (id, spec) in rows {
        stored.push(StoredRule {
            spec: parse_spec(&id, &spec)?,
            id,
        });
    }
    let day = award_day(trigger, now);
    // The member's tier is looked up only when a rule multiplies by tier: most earns skip it.
    let by_tier = stored.iter().any(|s| !s.spec.tier_multipliers.is_empty());
    let tier = match (tier_override, member) {
        (Some(t), _) => Some(t),
        (None, Some(m)) if by_tier => tier_of(db, m).await?,
        _ => None,
    };
    let mut used = HashMap::new();
    if let Some(m) = member {
        let rows: Vec<(String, i64)> = awards::Entity::find()
            .select_only()
            .column(awards::Column::RuleId)
            .column_as(
                Expr::expr(Func::cast_as(
                    Func::sum(Expr::col(awards::Column::Points)),
                    Alias::new("BIGINT"),
                )),
                "used",
            )
            .filter(awards::Column::MemberId.eq(m))
            .filter(awards::Column::AwardDay.eq(day.clone()))
            .group_by(awards::Column::RuleId)
            .into_tuple()
            .all(db)
            .await?;
        used.extend(rows);
    }
    let outcomes = evaluate(&stored, trigger, tier.as_deref(), now, &used);
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
pub async fn managed_by(db: &impl ConnectionTrait, id: &str) -> Result<Option<String>, RuleError> {
    let uid: Option<Option<String>> = rules::Entity::find_by_id(id)
        .select_only()
        .column(rules::Column::ManagedByUid)
        .into_tuple()
        .one(db)
        .await?;
    Ok(uid.flatten())
}

/// The rule rows a `PointRule` resource (by uid) owns: one, unless its code was changed under
/// it (the CRD forbids that; an older CRD or a direct edit of etcd does not).
pub async fn managed_rows(db: &impl ConnectionTrait, uid: &str) -> Result<Vec<PointRule>, RuleError> {
    rules::Entity::find()
        .filter(rules::Column::ManagedByUid.eq(uid))
        .all(db)
        .await?
        .into_iter()
        .map(PointRule::try_from)
        .collect()
}

/// Every row a `PointRule` resource owns, with its owner's uid.
pub async fn all_managed(db: &impl ConnectionTrait) -> Result<Vec<(String, PointRule)>, RuleError> {
    rules::Entity::find()
        .filter(rules::Column::ManagedByUid.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            let uid = m.managed_by_uid.clone().unwrap_or_default();
            PointRule::try_from(m).map(|r| (uid, r))
        })
        .collect()
}

/// Marks a rule as owned by a resource (`Some(uid)`) or hands it back to the API (`None`).
pub async fn set_managed(
    db: &impl ConnectionTrait,
    id: &str,
    uid: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), RuleError> {
    rules::Entity::update_many()
        .col_expr(rules::Column::Managed, Expr::value(uid.is_some()))
        .col_expr(rules::Column::ManagedByUid, Expr::value(uid.map(str::to_string)))
        .col_expr(rules::Column::UpdatedAt, Expr::value(now))
        .filter(rules::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
