//! Catalogs and rewards owned by the Kubernetes operator (a `RewardCatalog` resource). The
//! operator owns configuration only: remaining stock, codes and redemptions stay the service's.
//!
//! [`converge`] makes the rows match a resource and writes nothing when they already do: it
//! compares configuration columns, never `stockClaimed`. Rewards are keyed by code and each gets
//! its own status, so one bad item does not hold back the rest. A reward that leaves the list is
//! archived (soft delete), never removed: redemptions point at it.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde::Serialize;

use super::catalogs::{self, Catalog, CatalogSpec};
use super::codes;
use super::error::{CatalogError, CodeError, RewardError};
use super::rewards::{self, CodeMode, Reward, RewardSpec};
use crate::entity::{reward_catalogs, reward_codes, rewards as reward_rows};

/// The batch name of codes the operator generated.
pub const GENERATED_BATCH: &str = "operator:generated";

/// Where a managed pool reward's codes come from (never listed in the resource).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeSource {
    /// Keep at least `count` codes generated from `pattern` (only the shortfall is generated).
    Generate { pattern: String, count: usize },
    /// Codes read from a Secret by the operator (one per line), imported once under `batch`
    /// (the operator names the batch after the content, so new content is a new batch); codes
    /// already in a pool are left alone.
    Import { batch: String, codes: Vec<String> },
}

/// One reward of a resource.
#[derive(Debug, Clone)]
pub struct ManagedReward {
    /// `catalogId` is ignored: the resource's catalog is used.
    pub spec: RewardSpec,
    pub codes: Option<CodeSource>,
}

/// How one reward of the list fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemStatus {
    pub code: String,
    /// `Synced`, or why not: `Invalid`, `CodeTaken`, `StockBelowClaimed`, `CodesFailed`.
    pub state: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reward_id: Option<String>,
    /// Codes available in its pool (pool rewards).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub codes_available: Option<u64>,
}

/// What [`converge`] did.
#[derive(Debug, Clone, Default)]
pub struct Converged {
    pub catalog_id: String,
    /// Rows inserted, updated or archived (0 on a steady resync).
    pub written: u64,
    pub items: Vec<ItemStatus>,
    /// Codes of rewards archived because they left the list.
    pub archived: Vec<String>,
}

/// Why a resource cannot be applied at all.
#[derive(Debug, thiserror::Error)]
pub enum ManagedError {
    #[error("catalog code {0} exists and is managed through the API")]
    CodeExists(String),
    #[error("catalog code {0} is claimed by another RewardCatalog")]
    CodeClaimed(String),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Reward(#[from] RewardError),
    #[error(transparent)]
    Db(#[from] sea_orm::DbErr),
}

async fn catalog_row(db: &impl ConnectionTrait, code: &str) -> Result<Option<reward_catalogs::Model>, sea_orm::DbErr> {
    reward_catalogs::Entity::find()
        .filter(reward_catalogs::Column::Code.eq(code))
        .one(db)
        .await
}

/// Writes the catalog row for `spec`, owned by `uid`; returns its id and whether it wrote.
async fn converge_catalog(
    db: &impl ConnectionTrait,
    uid: &str,
    spec: &CatalogSpec,
    now: DateTime<Utc>,
) -> Result<(String, bool), ManagedError> {
    spec.validate()?;
    let Some(existing) = catalog_row(db, &spec.code).await? else {
        let mut r = catalogs::managed_row(uuid::Uuid::now_v7().to_string(), spec, now);
        r.managed = true;
        r.managed_by_uid = Some(uid.to_string());
        reward_catalogs::Entity::insert(r.clone().into_active_model())
            .exec_without_returning(db)
            .await?;
        return Ok((r.id, true));
    };
    match existing.managed_by_uid.as_deref() {
        None if !existing.managed => return Err(ManagedError::CodeExists(spec.code.clone())),
        Some(owner) if owner != uid && existing.deleted_at.is_none() => {
            return Err(ManagedError::CodeClaimed(spec.code.clone()));
        }
        _ => {}
    }
    let id = existing.id.clone();
    let current = Catalog::try_from(existing.clone())?;
    let same = current.spec == *spec
        && existing.deleted_at.is_none()
        && existing.managed
        && existing.managed_by_uid.as_deref() == Some(uid);
    if same {
        return Ok((id, false));
    }
    let mut r = catalogs::managed_row(id.clone(), spec, now);
    r.created_at = existing.created_at;
    r.managed = true;
    r.managed_by_uid = Some(uid.to_string());
    r.into_active_model().reset_all().update(db).await?;
    Ok((id, true))
}

/// Makes the catalog `spec` and its `rewards` match a resource (`uid`).
pub async fn converge(
    db: &impl ConnectionTrait,
    uid: &str,
    spec: &CatalogSpec,
    rewards_list: &[ManagedReward],
    now: DateTime<Utc>,
) -> Result<Converged, ManagedError> {
    let (catalog_id, wrote) = converge_catalog(db, uid, spec, now).await?;
    let mut out = Converged {
        catalog_id: catalog_id.clone(),
        written: u64::from(wrote),
        ..Default::default()
    };
    for item in rewards_list {
        let mut s = item.spec.clone();
        s.catalog_id = catalog_id.clone();
        let status = converge_reward(db, &catalog_id, uid, &s, item.codes.as_ref(), now, &mut out.written).await?;
        out.items.push(status);
    }
    // Rewards that left the list are archived.
    let keep: Vec<&str> = rewards_list.iter().map(|r| r.spec.code.as_str()).collect();
    let gone = reward_rows::Entity::find()
        .filter(reward_rows::Column::CatalogId.eq(&catalog_id))
        .filter(reward_rows::Column::Managed.eq(true))
        .filter(reward_rows::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    for r in gone.into_iter().filter(|r| !keep.contains(&r.code.as_str())) {
        rewards::archive(db, &r.id, now).await?;
        out.written += 1;
        out.archived.push(r.code);
    }
    Ok(out)
}

fn item(code: &str, state: &str, message: impl Into<String>) -> ItemStatus {
    ItemStatus {
        code: code.to_string(),
        state: state.into(),
        message: message.into(),
        reward_id: None,
        codes_available: None,
    }
}

async fn converge_reward(
    db: &impl ConnectionTrait,
    catalog_id: &str,
    uid: &str,
    s: &RewardSpec,
    source: Option<&CodeSource>,
    now: DateTime<Utc>,
    written: &mut u64,
) -> Result<ItemStatus, ManagedError> {
    if let Err(RewardError::Invalid(errors)) = s.validate() {
        let msg: Vec<String> = errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        return Ok(item(&s.code, "Invalid", msg.join("; ")));
    }
    if source.is_some() && s.code_mode != CodeMode::Pool {
        return Ok(item(
            &s.code,
            "Invalid",
            "codes: only a reward with codeMode `pool` takes codes",
        ));
    }
    let existing = reward_rows::Entity::find()
        .filter(reward_rows::Column::Code.eq(&s.code))
        .one(db)
        .await?;
    let id = match existing {
        None => {
            let r = rewards::insert(db, s, Some(uid), now).await?;
            *written += 1;
            r.id
        }
        Some(row) if !row.managed || row.catalog_id != catalog_id => {
            let why = if row.managed {
                "exists in another managed catalog"
            } else {
                "exists and is managed through the API"
            };
            return Ok(item(&s.code, "CodeTaken", format!("reward code {} {why}", s.code)));
        }
        Some(row) => {
            let current = Reward::try_from(row.clone())?;
            let same = current.spec == *s && row.deleted_at.is_none() && row.managed_by_uid.as_deref() == Some(uid);
            if !same {
                match rewards::write_config(db, &row.id, s, row.created_at, Some(Some(uid)), now).await {
                    Ok(()) => {}
                    Err(RewardError::StockBelowClaimed { claimed }) => {
                        return Ok(item(
                            &s.code,
                            "StockBelowClaimed",
                            format!("stockTotal {:?} is below the {claimed} already claimed", s.stock_total),
                        ));
                    }
                    Err(e) => return Err(e.into()),
                }
                if row.deleted_at.is_some() {
                    reward_rows::Entity::update_many()
                        .col_expr(reward_rows::Column::DeletedAt, Expr::value(None::<DateTime<Utc>>))
                        .filter(reward_rows::Column::Id.eq(&row.id))
                        .exec(db)
                        .await?;
                }
                *written += 1;
            }
            row.id
        }
    };
    let mut status = item(&s.code, "Synced", "");
    status.reward_id = Some(id.clone());
    if let Some(src) = source {
        match fill_pool(db, &id, src, now).await {
            Ok(n) => *written += n,
            Err(e) => {
                status.state = "CodesFailed".into();
                status.message = e.to_string();
            }
        }
    }
    if s.code_mode == CodeMode::Pool {
        status.codes_available = Some(count_codes(db, &id, Some("available"), None).await?);
    }
    Ok(status)
}

/// Codes of a reward, by status and batch.
pub async fn count_codes(
    db: &impl ConnectionTrait,
    reward_id: &str,
    status: Option<&str>,
    batch: Option<&str>,
) -> Result<u64, sea_orm::DbErr> {
    use sea_orm::PaginatorTrait;
    let mut q = reward_codes::Entity::find().filter(reward_codes::Column::RewardId.eq(reward_id));
    if let Some(s) = status {
        q = q.filter(reward_codes::Column::Status.eq(s));
    }
    if let Some(b) = batch {
        q = q.filter(reward_codes::Column::Batch.eq(b));
    }
    q.count(db).await
}

/// Brings a pool up to its source; returns the codes added.
async fn fill_pool(
    db: &impl ConnectionTrait,
    reward_id: &str,
    source: &CodeSource,
    now: DateTime<Utc>,
) -> Result<u64, CodeError> {
    match source {
        CodeSource::Generate { pattern, count } => {
            let have = count_codes(db, reward_id, None, Some(GENERATED_BATCH)).await? as usize;
            if have >= *count {
                return Ok(0);
            }
            let r = codes::generate(db, reward_id, pattern, count - have, Some(GENERATED_BATCH), now).await?;
            Ok(r.generated)
        }
        CodeSource::Import { batch, codes: list } => {
            if count_codes(db, reward_id, None, Some(batch)).await? > 0 {
                return Ok(0);
            }
            let numbered = list.iter().cloned().enumerate().map(|(i, c)| (i + 1, c)).collect();
            let r = codes::import(db, reward_id, numbered, Some(batch), now).await?;
            Ok(r.imported)
        }
    }
}

/// What happens to a resource's rows when it is deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetGo {
    /// The rows stay, handed to the API (no longer managed).
    Retain,
    /// The catalog and its rewards are archived (soft delete).
    Archive,
}

/// Lets the rows of resource `uid` go.
pub async fn release(
    db: &impl ConnectionTrait,
    uid: &str,
    how: LetGo,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let Some(cat) = reward_catalogs::Entity::find()
        .filter(reward_catalogs::Column::ManagedByUid.eq(uid))
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let rewards_of = || {
        reward_rows::Entity::update_many()
            .filter(reward_rows::Column::CatalogId.eq(&cat.id))
            .filter(reward_rows::Column::Managed.eq(true))
    };
    match how {
        LetGo::Retain => {
            rewards_of()
                .col_expr(reward_rows::Column::Managed, Expr::value(false))
                .col_expr(reward_rows::Column::ManagedByUid, Expr::value(None::<String>))
                .col_expr(reward_rows::Column::UpdatedAt, Expr::value(now))
                .exec(db)
                .await?;
            reward_catalogs::Entity::update_many()
                .col_expr(reward_catalogs::Column::Managed, Expr::value(false))
                .col_expr(reward_catalogs::Column::ManagedByUid, Expr::value(None::<String>))
                .col_expr(reward_catalogs::Column::UpdatedAt, Expr::value(now))
                .filter(reward_catalogs::Column::Id.eq(&cat.id))
                .exec(db)
                .await?;
        }
        LetGo::Archive => {
            rewards_of()
                .filter(reward_rows::Column::DeletedAt.is_null())
                .col_expr(reward_rows::Column::DeletedAt, Expr::value(now))
                .col_expr(reward_rows::Column::UpdatedAt, Expr::value(now))
                .exec(db)
                .await?;
            reward_catalogs::Entity::update_many()
                .col_expr(reward_catalogs::Column::DeletedAt, Expr::value(now))
                .col_expr(reward_catalogs::Column::UpdatedAt, Expr::value(now))
                .filter(reward_catalogs::Column::Id.eq(&cat.id))
                .filter(reward_catalogs::Column::DeletedAt.is_null())
                .exec(db)
                .await?;
        }
    }
    Ok(())
}
