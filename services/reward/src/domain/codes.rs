//! Code pools of rewards with `codeMode: pool`: imported (a JSON list or a CSV file) or generated
//! from a pattern, listed, looked up at the till and voided.
//!
//! States: `available` → `assigned` (a redemption took it) → `used` (at the till);
//! `available` or `assigned` → `void` (staff, or a cancelled redemption; a redemption whose code
//! was voided can no longer be used, only cancelled); `assigned` → `expired` (the redemption
//! expired). A code is unique across every reward, so a code read at
//! the till names one voucher.

use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::query::Filter;
use sbm_common::{ListQuery, ListSpec, Page, Validator};

use super::error::CodeError;
use super::rewards::{self, CodeMode};
use crate::entity::reward_codes as codes;

/// Characters generated codes use: no `0`/`O`, `1`/`I`/`L`, `5`/`S`, `2`/`Z` or `8`/`B` to
/// confuse at a till.
pub const ALPHABET: &[u8] = b"34679ACDEFGHJKMNPQRTUVWXY";
/// The most codes one import or one generation takes.
pub const MAX_PER_REQUEST: usize = 100_000;
/// The fewest random characters a pattern must hold (25^6 ≈ 244 million codes).
pub const MIN_RANDOM: usize = 6;
/// Invalid codes reported one by one (the rest are counted).
const REPORTED: usize = 20;
/// Rows per insert statement.
const CHUNK: usize = 500;

/// A code of a pool.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Code {
    pub id: String,
    pub reward_id: String,
    pub code: String,
    /// `available`, `assigned`, `used`, `void` or `expired`.
    pub status: String,
    pub redemption_id: Option<String>,
    pub member_id: Option<String>,
    pub batch: Option<String>,
    pub created_at: DateTime<Utc>,
    pub assigned_at: Option<DateTime<Utc>>,
    pub used_at: Option<DateTime<Utc>>,
    pub voided_at: Option<DateTime<Utc>>,
}

impl From<codes::Model> for Code {
    fn from(r: codes::Model) -> Self {
        Code {
            id: r.id,
            reward_id: r.reward_id,
            code: r.code,
            status: r.status,
            redemption_id: r.redemption_id,
            member_id: r.member_id,
            batch: r.batch,
            created_at: r.created_at,
            assigned_at: r.assigned_at,
            used_at: r.used_at,
            voided_at: r.voided_at,
        }
    }
}

/// A code an import refused, and why.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvalidCode {
    /// 1-based: the position in the JSON list, or the CSV line.
    pub line: usize,
    pub code: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub imported: u64,
    /// Codes already in a pool (this one or another reward's), or repeated in the upload.
    pub duplicates: u64,
    pub invalid: u64,
    /// The first 20 invalid codes.
    pub invalid_codes: Vec<InvalidCode>,
    pub batch: Option<String>,
}

/// Why `code` cannot be a pool code, if it cannot.
pub fn check_code(code: &str) -> Result<(), &'static str> {
    if code.is_empty() || code.len() > 64 {
        return Err("must be 1 to 64 characters");
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("may hold only letters, digits, `-` and `_`");
    }
    Ok(())
}

/// The live pool reward `reward_id` (codes belong to the service, so managed rewards take them
/// too).
async fn pool_reward(db: &impl ConnectionTrait, reward_id: &str) -> Result<(), CodeError> {
    let r = rewards::get(db, reward_id).await.map_err(|e| match e {
        super::RewardError::NotFound => CodeError::RewardNotFound,
        other => other.into(),
    })?;
    if r.deleted_at.is_some() {
        return Err(CodeError::RewardNotFound);
    }
    if r.spec.code_mode != CodeMode::Pool {
        return Err(CodeError::NotPool);
    }
    Ok(())
}

fn check_batch(batch: Option<&str>) -> Result<(), CodeError> {
    if let Some(b) = batch {
        let mut v = Validator::new();
        v.text("batch", b, 64);
        v.into_result().map_err(CodeError::Invalid)?;
    }
    Ok(())
}

/// Inserts `list` (distinct, valid) and returns how many went in; the rest were already taken.
async fn insert_new(
    db: &impl ConnectionTrait,
    reward_id: &str,
    list: &[String],
    batch: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, CodeError> {
    let mut inserted = 0;
    for chunk in list.chunks(CHUNK) {
        let rows = chunk.iter().map(|c| {
            codes::Model {
                id: uuid::Uuid::now_v7().to_string(),
                reward_id: reward_id.to_string(),
                code: c.clone(),
                status: "available".into(),
                redemption_id: None,
                member_id: None,
                batch: batch.map(str::to_string),
                created_at: now,
                assigned_at: None,
                used_at: None,
                voided_at: None,
                updated_at: now,
            }
            .into_active_model()
        });
        inserted += codes::Entity::insert_many(rows)
            .on_conflict(OnConflict::column(codes::Column::Code).do_nothing().to_owned())
            .exec_without_returning(db)
            .await?;
    }
    Ok(inserted)
}

/// Imports `list` (in order; `line` numbers are 1-based positions) into the reward's pool.
pub async fn import(
    db: &impl ConnectionTrait,
    reward_id: &str,
    list: Vec<(usize, String)>,
    batch: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ImportReport, CodeError> {
    pool_reward(db, reward_id).await?;
    check_batch(batch)?;
    if list.len() > MAX_PER_REQUEST {
        return Err(CodeError::Invalid(vec![sbm_common::error::FieldError::new(
            "codes",
            format!("at most {MAX_PER_REQUEST} codes per import"),
        )]));
    }
    let mut report = ImportReport {
        batch: batch.map(str::to_string),
        ..Default::default()
    };
    let mut seen = std::collections::HashSet::new();
    let mut fresh = Vec::new();
    for (line, raw) in list {
        let code = raw.trim().to_string();
        match check_code(&code) {
            Err(reason) => {
                report.invalid += 1;
                if report.invalid_codes.len() < REPORTED {
                    report.invalid_codes.push(InvalidCode {
                        line,
                        code: code.chars().take(80).collect(),
                        reason: reason.into(),
                    });
                }
            }
            Ok(()) if !seen.insert(code.clone()) => report.duplicates += 1,
            Ok(()) => fresh.push(code),
        }
    }
    let inserted = insert_new(db, reward_id, &fresh, batch, now).await?;
    report.imported = inserted;
    report.duplicates += fresh.len() as u64 - inserted;
    Ok(report)
}

/// What a generation did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GenerateReport {
    pub generated: u64,
    pub batch: Option<String>,
}

/// Checks a pattern: `#` stands for one random character of [`ALPHABET`]; the rest (capital
/// letters, digits, `-`, `_`) is kept.
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    let random = pattern.chars().filter(|c| *c == '#').count();
    if pattern.len() > 64 {
        return Err("must be at most 64 characters".into());
    }
    if random < MIN_RANDOM {
        return Err(format!("needs at least {MIN_RANDOM} `#` (random characters)"));
    }
    if !pattern
        .chars()
        .all(|c| c == '#' || c == '-' || c == '_' || c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Err("may hold only `#`, capital letters, digits, `-` and `_`".into());
    }
    Ok(())
}

fn fill(pattern: &str, n: usize) -> Vec<String> {
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| {
            pattern
                .chars()
                .map(|c| {
                    if c == '#' {
                        char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())])
                    } else {
                        c
                    }
                })
                .collect()
        })
        .collect()
}

/// Generates `count` new codes from `pattern`, each unique across every pool (collisions are
/// drawn again, a few rounds at most).
pub async fn generate(
    db: &impl ConnectionTrait,
    reward_id: &str,
    pattern: &str,
    count: usize,
    batch: Option<&str>,
    now: DateTime<Utc>,
) -> Result<GenerateReport, CodeError> {
    let mut v = Validator::new();
    if let Err(e) = check_pattern(pattern) {
        v.add("pattern", e);
    }
    v.check(
        (1..=MAX_PER_REQUEST).contains(&count),
        "count",
        "must be between 1 and 100000",
    );
    v.into_result().map_err(CodeError::Invalid)?;
    pool_reward(db, reward_id).await?;
    check_batch(batch)?;
    let mut left = count;
    for _ in 0..8 {
        if left == 0 {
            break;
        }
        let mut fresh = fill(pattern, left);
        fresh.sort_unstable();
        fresh.dedup();
        left -= insert_new(db, reward_id, &fresh, batch, now).await? as usize;
    }
    if left > 0 {
        return Err(CodeError::PatternExhausted(count));
    }
    Ok(GenerateReport {
        generated: count as u64,
        batch: batch.map(str::to_string),
    })
}

/// A pool's codes: filters `status`, `batch`; `search` in the code; sort `createdAt`
/// (default), `code`, `status`, `assignedAt`.
pub const LIST: ListSpec<codes::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("createdAt", codes::Column::CreatedAt),
        ("code", codes::Column::Code),
        ("status", codes::Column::Status),
        ("assignedAt", codes::Column::AssignedAt),
    ],
    default_sort: codes::Column::CreatedAt,
    tiebreak: codes::Column::Id,
    search: &[codes::Column::Code],
    filters: &[
        Filter::Enum(
            "status",
            codes::Column::Status,
            &["available", "assigned", "used", "void", "expired"],
        ),
        Filter::Text("batch", codes::Column::Batch),
        Filter::Text("memberId", codes::Column::MemberId),
    ],
};

pub async fn list(db: &impl ConnectionTrait, reward_id: &str, q: &ListQuery) -> Result<Page<Code>, CodeError> {
    rewards::get(db, reward_id).await.map_err(|e| match e {
        super::RewardError::NotFound => CodeError::RewardNotFound,
        other => other.into(),
    })?;
    let select = codes::Entity::find().filter(codes::Column::RewardId.eq(reward_id));
    let page = q.page(db, select, &LIST).await?;
    Ok(Page {
        meta: page.meta,
        data: page.data.into_iter().map(Code::from).collect(),
    })
}

/// A code by its text, as read at the till (as typed, then in capitals: generated codes are
/// capitals, and people type what they read).
pub async fn lookup(db: &impl ConnectionTrait, code: &str) -> Result<Code, CodeError> {
    for text in [code.to_string(), code.to_ascii_uppercase()] {
        if let Some(c) = codes::Entity::find()
            .filter(codes::Column::Code.eq(text))
            .one(db)
            .await?
        {
            return Ok(c.into());
        }
    }
    Err(CodeError::NotFound)
}

/// Voids an available or assigned code (it can then never be assigned or used).
pub async fn void(db: &impl ConnectionTrait, code: &str, now: DateTime<Utc>) -> Result<Code, CodeError> {
    let c = lookup(db, code).await?;
    let done = codes::Entity::update_many()
        .col_expr(codes::Column::Status, Expr::value("void"))
        .col_expr(codes::Column::VoidedAt, Expr::value(now))
        .col_expr(codes::Column::UpdatedAt, Expr::value(now))
        .filter(codes::Column::Id.eq(&c.id))
        .filter(codes::Column::Status.is_in(["available", "assigned"]))
        .exec(db)
        .await?;
    let after: Code = codes::Entity::find_by_id(&c.id)
        .one(db)
        .await?
        .ok_or(CodeError::NotFound)?
        .into();
    if done.rows_affected == 0 {
        return Err(CodeError::NotVoidable(after.status));
    }
    Ok(after)
}
