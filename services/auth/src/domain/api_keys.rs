//! API keys for POS systems and integrations: shown once, stored hashed, recognisable prefix,
//! scopes, plan, expiry, rotation and revocation. Keys owned by the Kubernetes operator
//! (`managed`) are changed only through [`managed`].

use chrono::{DateTime, Utc};
use sbm_common::identity::{API_KEY_PREFIX, Plan, hash_api_key};
use sbm_common::query::{DEFAULT_LIMIT, contains_ci};
use sbm_common::{FieldError, Filter, ListError, ListQuery, ListSpec, Page, Validator};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Unchanged, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::ApiKeyError;
use super::sessions::random_token;
use crate::entity::api_keys as key;

/// A fresh key: `sbmk_` and 40 random URL-safe characters (240 bits).
pub fn new_key() -> String {
    format!("{API_KEY_PREFIX}{}", random_token(30))
}

/// The part of a key shown in lists, to recognise it.
fn prefix(k: &str) -> String {
    k.chars().take(12).collect()
}

/// A key's settings, for creation and for the operator's re-apply.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = CreateApiKey)]
pub struct NewApiKey {
    pub name: String,
    /// Scopes: the API-key permissions of the services (today `members:read`, `members:write`,
    /// `members:delete`, `points:read`, `points:write`).
    pub scopes: Vec<String>,
    pub plan: Plan,
    /// Required for `enterprise`, refused otherwise.
    pub rate_limit_per_hour: Option<i64>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Changes to a key; absent fields stay.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = UpdateApiKey)]
pub struct ApiKeyChanges {
    pub name: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub plan: Option<Plan>,
    pub rate_limit_per_hour: Option<i64>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Who created a key: a staff member through the API, or an operator resource.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    Staff(&'a str),
    Operator { uid: &'a str },
}

struct Check<'a> {
    /// The scopes keys may carry: every service's API-key permissions.
    allowed_scopes: &'a [&'a str],
    name: Option<&'a str>,
    scopes: Option<&'a [String]>,
    plan: Plan,
    limit: Option<i64>,
    expires: Option<DateTime<Utc>>,
}

fn check(c: Check<'_>, now: DateTime<Utc>) -> Result<(), ApiKeyError> {
    let mut v = Validator::new();
    if let Some(n) = c.name {
        v.text("name", n, 100);
    }
    if let Some(s) = c.scopes {
        if s.is_empty() || s.len() > 100 {
            v.add("scopes", "must name 1 to 100 scopes");
        }
        for sc in s {
            if !c.allowed_scopes.contains(&sc.as_str()) {
                v.add(
                    "scopes",
                    format!("unknown scope `{sc}`; allowed: {}", c.allowed_scopes.join(", ")),
                );
            }
        }
    }
    match (c.plan, c.limit) {
        (Plan::Enterprise, None) => v.add("rateLimitPerHour", "is required for the enterprise plan"),
        (Plan::Enterprise, Some(n)) if !(1..=10_000_000).contains(&n) => {
            v.add("rateLimitPerHour", "must be between 1 and 10000000")
        }
        (Plan::Standard | Plan::Premium, Some(_)) => {
            v.add("rateLimitPerHour", "only the enterprise plan takes a custom limit")
        }
        _ => {}
    }
    if let Some(e) = c.expires {
        v.check(e > now, "expiresAt", "must be in the future");
        v.instant("expiresAt", &e);
    }
    v.into_result().map_err(ApiKeyError::Invalid)
}

/// Inserts a key row for `plaintext` (not checked: the API checks first, the operator's
/// resource is checked by its schema).
async fn insert(
    db: &impl ConnectionTrait,
    plaintext: &str,
    spec: NewApiKey,
    owner: Owner<'_>,
    now: DateTime<Utc>,
) -> Result<key::Model, ApiKeyError> {
    let (created_by, managed_by_uid) = match owner {
        Owner::Staff(id) => (Some(id.to_string()), None),
        Owner::Operator { uid } => (None, Some(uid.to_string())),
    };
    Ok(key::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        name: Set(spec.name.trim().to_string()),
        prefix: Set(prefix(plaintext)),
        key_hash: Set(hash_api_key(plaintext)),
        scopes: Set(serde_json::to_string(&spec.scopes)?),
        plan: Set(spec.plan.as_str().to_string()),
        rate_limit_per_hour: Set(spec.rate_limit_per_hour),
        expires_at: Set(spec.expires_at),
        revoked_at: Set(None),
        last_used_at: Set(None),
        managed: Set(managed_by_uid.is_some()),
        managed_by_uid: Set(managed_by_uid),
        created_by: Set(created_by),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// A key row with its plaintext, which is never stored.
#[derive(Debug)]
pub struct KeyWithSecret {
    pub row: key::Model,
    pub key: String,
}

/// Creates a key for a staff member; the plaintext is returned once.
pub async fn create(
    db: &impl ConnectionTrait,
    spec: NewApiKey,
    created_by: &str,
    allowed_scopes: &[&str],
    now: DateTime<Utc>,
) -> Result<KeyWithSecret, ApiKeyError> {
    check(
        Check {
            allowed_scopes,
            name: Some(&spec.name),
            scopes: Some(&spec.scopes),
            plan: spec.plan,
            limit: spec.rate_limit_per_hour,
            expires: spec.expires_at,
        },
        now,
    )?;
    let plaintext = new_key();
    let row = insert(db, &plaintext, spec, Owner::Staff(created_by), now).await?;
    tracing::info!(api_key_id = %row.id, "API key created");
    Ok(KeyWithSecret { row, key: plaintext })
}

/// One key.
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<key::Model, ApiKeyError> {
    key::Entity::find_by_id(id).one(db).await?.ok_or(ApiKeyError::NotFound)
}

/// A key the API may change: it exists and the operator does not own it.
async fn editable(db: &impl ConnectionTrait, id: &str) -> Result<key::Model, ApiKeyError> {
    let k = get(db, id).await?;
    if k.managed {
        return Err(ApiKeyError::Managed);
    }
    Ok(k)
}

/// Changes name, scopes, plan, limit or expiry of a live key. Moving off `enterprise` drops
/// the custom limit.
pub async fn update(
    db: &impl ConnectionTrait,
    id: &str,
    changes: ApiKeyChanges,
    allowed_scopes: &[&str],
    now: DateTime<Utc>,
) -> Result<key::Model, ApiKeyError> {
    let cur = editable(db, id).await?;
    if cur.revoked_at.is_some() {
        return Err(ApiKeyError::RevokedUpdate);
    }
    let plan = changes.plan.unwrap_or(Plan::parse(&cur.plan).unwrap_or(Plan::Standard));
    let limit = if changes.plan.is_some() && plan != Plan::Enterprise {
        None
    } else {
        changes.rate_limit_per_hour.or(cur.rate_limit_per_hour)
    };
    check(
        Check {
            allowed_scopes,
            name: changes.name.as_deref(),
            scopes: changes.scopes.as_deref(),
            plan,
            limit,
            expires: changes.expires_at,
        },
        now,
    )?;
    let mut row = key::ActiveModel {
        id: Unchanged(id.to_string()),
        updated_at: Set(now),
        plan: Set(plan.as_str().to_string()),
        rate_limit_per_hour: Set(limit),
        ..Default::default()
    };
    if let Some(n) = changes.name {
        row.name = Set(n.trim().to_string());
    }
    if let Some(s) = changes.scopes {
        row.scopes = Set(serde_json::to_string(&s)?);
    }
    if let Some(e) = changes.expires_at {
        row.expires_at = Set(Some(e));
    }
    Ok(row.update(db).await?)
}

/// The one path for changes to a key's secret: the key must exist and be the API's; `change`
/// sets what changes (nothing is written when it sets nothing) and says what to return.
async fn change_secret<T>(
    db: &impl ConnectionTrait,
    id: &str,
    now: DateTime<Utc>,
    change: impl FnOnce(&key::Model, &mut key::ActiveModel) -> Result<T, ApiKeyError>,
) -> Result<(key::Model, T), ApiKeyError> {
    let cur = editable(db, id).await?;
    let mut row = key::ActiveModel {
        id: Unchanged(id.to_string()),
        ..Default::default()
    };
    let out = change(&cur, &mut row)?;
    if !row.is_changed() {
        return Ok((cur, out));
    }
    row.updated_at = Set(now);
    Ok((row.update(db).await?, out))
}

/// Revokes a key at once (revoking a revoked key changes nothing).
pub async fn revoke(db: &impl ConnectionTrait, id: &str, now: DateTime<Utc>) -> Result<key::Model, ApiKeyError> {
    let (row, ()) = change_secret(db, id, now, |cur, row| {
        if cur.revoked_at.is_none() {
            row.revoked_at = Set(Some(now));
        }
        Ok(())
    })
    .await?;
    tracing::info!(api_key_id = %id, "API key revoked");
    Ok(row)
}

/// Replaces a live key's secret: the old key stops working at once, the new one is returned once.
pub async fn rotate(db: &impl ConnectionTrait, id: &str, now: DateTime<Utc>) -> Result<KeyWithSecret, ApiKeyError> {
    let (row, key) = change_secret(db, id, now, |cur, row| {
        if cur.revoked_at.is_some() {
            return Err(ApiKeyError::RevokedRotate);
        }
        let k = new_key();
        row.key_hash = Set(hash_api_key(&k));
        row.prefix = Set(prefix(&k));
        Ok(k)
    })
    .await?;
    tracing::info!(api_key_id = %id, "API key rotated");
    Ok(KeyWithSecret { row, key })
}

const LIST: ListSpec<key::Column> = ListSpec {
    default_limit: DEFAULT_LIMIT,
    sort: &[
        ("createdAt", key::Column::CreatedAt),
        ("name", key::Column::Name),
        ("lastUsedAt", key::Column::LastUsedAt),
    ],
    default_sort: key::Column::CreatedAt,
    tiebreak: key::Column::Id,
    // Search is the condition below: a substring of the name, or the start of the prefix.
    search: &[],
    filters: &[Filter::Enum(
        "plan",
        key::Column::Plan,
        &["standard", "premium", "enterprise"],
    )],
};

/// A key's state at `now`, as a condition (`status` is derived, not stored).
fn status_is(status: &str, now: DateTime<Utc>) -> Result<Condition, ListError> {
    let live = Condition::all().add(key::Column::RevokedAt.is_null());
    Ok(match status {
        "revoked" => Condition::all().add(key::Column::RevokedAt.is_not_null()),
        "expired" => live
            .add(key::Column::ExpiresAt.is_not_null())
            .add(key::Column::ExpiresAt.lte(now)),
        "active" => live.add(
            Condition::any()
                .add(key::Column::ExpiresAt.is_null())
                .add(key::Column::ExpiresAt.gt(now)),
        ),
        other => {
            return Err(ListError::Invalid(vec![FieldError::new(
                "status",
                format!("unknown value `{other}`; allowed: active, revoked, expired"),
            )]));
        }
    })
}

/// A page of keys: `search` (name, prefix), filters `status` (active, revoked, expired at
/// `now`) and `plan`.
pub async fn list(db: &impl ConnectionTrait, q: &ListQuery, now: DateTime<Utc>) -> Result<Page<key::Model>, ListError> {
    let mut select = key::Entity::find();
    if let Some(status) = q.filter("status") {
        select = select.filter(status_is(status, now)?);
    }
    if let Some(text) = &q.search {
        select = select.filter(
            Condition::any()
                .add(contains_ci(Expr::col(key::Column::Name), text))
                .add(key::Column::Prefix.starts_with(text)),
        );
    }
    q.page(db, select, &LIST).await
}

/// API keys owned by the operator (an `ApiKey` resource, identified by its uid).
pub mod managed {
    use chrono::{DateTime, Utc};
    use sbm_common::identity::hash_api_key;
    use sea_orm::sea_query::Expr;
    use sea_orm::{
        ActiveModelTrait, ActiveValue::Unchanged, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    };

    use super::{NewApiKey, Owner, insert, prefix};
    use crate::domain::error::ApiKeyError;
    use crate::entity::api_keys as key;

    /// The row of the resource with this uid.
    pub async fn find(db: &impl ConnectionTrait, uid: &str) -> Result<Option<key::Model>, ApiKeyError> {
        Ok(key::Entity::find()
            .filter(key::Column::ManagedByUid.eq(uid))
            .one(db)
            .await?)
    }

    /// Creates the row for a key whose plaintext lives in the resource's Secret; returns its id.
    pub async fn create(
        db: &impl ConnectionTrait,
        uid: &str,
        plaintext: &str,
        spec: NewApiKey,
        now: DateTime<Utc>,
    ) -> Result<String, ApiKeyError> {
        Ok(insert(db, plaintext, spec, Owner::Operator { uid }, now).await?.id)
    }

    /// Puts the row back to what the resource says (drift repair and spec changes), with the
    /// hash of the key in the Secret. Writes nothing when `row` already says it; returns
    /// whether it wrote.
    pub async fn sync(
        db: &impl ConnectionTrait,
        row: &key::Model,
        plaintext: &str,
        spec: NewApiKey,
        now: DateTime<Utc>,
    ) -> Result<bool, ApiKeyError> {
        let scopes = serde_json::to_string(&spec.scopes)?;
        let hash = hash_api_key(plaintext);
        let same = row.name == spec.name
            && row.scopes == scopes
            && row.plan == spec.plan.as_str()
            && row.rate_limit_per_hour == spec.rate_limit_per_hour
            && row.expires_at == spec.expires_at
            && row.key_hash == hash
            && row.prefix == prefix(plaintext)
            && row.revoked_at.is_none()
            && row.managed;
        if same {
            return Ok(false);
        }
        key::ActiveModel {
            id: Unchanged(row.id.clone()),
            name: Set(spec.name),
            scopes: Set(scopes),
            plan: Set(spec.plan.as_str().to_string()),
            rate_limit_per_hour: Set(spec.rate_limit_per_hour),
            expires_at: Set(spec.expires_at),
            key_hash: Set(hash),
            prefix: Set(prefix(plaintext)),
            revoked_at: Set(None),
            managed: Set(true),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(db)
        .await?;
        Ok(true)
    }

    /// `Delete` policy: the key stops working and its row goes.
    pub async fn delete(db: &impl ConnectionTrait, uid: &str) -> Result<(), ApiKeyError> {
        key::Entity::delete_many()
            .filter(key::Column::ManagedByUid.eq(uid))
            .exec(db)
            .await?;
        Ok(())
    }

    /// `Retain` policy: the key keeps working and staff manage it through the API from now on.
    pub async fn release(db: &impl ConnectionTrait, uid: &str, now: DateTime<Utc>) -> Result<(), ApiKeyError> {
        key::Entity::update_many()
            .col_expr(key::Column::Managed, Expr::value(false))
            .col_expr(key::Column::ManagedByUid, Expr::value(Option::<String>::None))
            .col_expr(key::Column::UpdatedAt, Expr::value(now))
            .filter(key::Column::ManagedByUid.eq(uid))
            .exec(db)
            .await?;
        Ok(())
    }
}
