//! A member's tier projection: where they stand, what the next tier needs, what keeps the
//! current one, and where evaluation would put them at the end of the period. Read-only: it
//! never creates the member's row.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use sbm_common::query::Locale;
use sbm_common::{ListQuery, ListSpec, Page};

use super::error::TierError;
use super::membership::{self, AUTO, Ladder, MANUAL};
use super::tiers::{Metric, Qualification, Tier, WindowKind};
use crate::entity::member_tier_history as history;

/// A tier, briefly.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TierBrief {
    pub id: String,
    pub code: String,
    pub rank: i32,
    #[serde(rename = "name_en")]
    pub name_en: String,
    #[serde(rename = "name_th")]
    pub name_th: String,
    #[serde(rename = "name_cn")]
    pub name_cn: String,
    /// With `?locale=`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub image_url: Option<String>,
}

impl TierBrief {
    fn of(t: &Tier, locale: Option<Locale>) -> Self {
        let s = &t.spec;
        Self {
            id: t.id.clone(),
            code: s.code.clone(),
            rank: s.rank,
            name_en: s.name_en.clone(),
            name_th: s.name_th.clone(),
            name_cn: s.name_cn.clone(),
            name: locale.map(|l| l.pick(&s.name_en, &s.name_th, &s.name_cn).to_string()),
            image_url: s.image_url.clone(),
        }
    }
}

/// A metric summed over a window.
///
/// Documented as `QualifyingMeasure`: the badges' `Measure` (what a badge counts) has the
/// type name too, and utoipa keys schemas by name, so one would replace the other.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = QualifyingMeasure)]
#[serde(rename_all = "camelCase")]
pub struct Measure {
    pub metric: Metric,
    pub window: WindowKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_months: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Window start (`null`: lifetime).
    pub from: Option<DateTime<Utc>>,
    pub to: DateTime<Utc>,
    pub value: i64,
}

/// The staff override in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Override {
    pub tier_code: String,
    pub reason: Option<String>,
    /// `null`: until staff remove it.
    pub expires_at: Option<DateTime<Utc>>,
    pub by: Option<String>,
    pub since: DateTime<Utc>,
}

/// The next tier up and how far away it is.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NextTier {
    pub tier: TierBrief,
    pub qualification: Measure,
    pub threshold: i64,
    /// What is still needed (0 when met: the upgrade is on its way).
    pub needed: i64,
    /// Progress from 0 to 100.
    pub percentage: f64,
}

/// What keeps the current tier at its evaluation.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Keep {
    pub threshold: i64,
    /// The window's value now.
    pub value: i64,
    pub needed: i64,
    pub met: bool,
    /// When evaluation runs (the validity end plus the grace).
    pub evaluates_at: DateTime<Utc>,
}

/// Where the member would stand at the end of the period with no further activity.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Projected {
    pub tier: TierBrief,
    /// When: the evaluation or the override's expiry (`null`: nothing is due).
    pub at: Option<DateTime<Utc>>,
    /// The qualifying value then, counting what rolls out of the window by that date.
    pub value: Option<i64>,
    /// `kept`, `downgrade`, `override_ends` or `no_evaluation`.
    pub outcome: String,
}

/// `GET /tier-projections/{memberId}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TierProjection {
    pub member_id: String,
    pub current_tier: TierBrief,
    /// When the member reached it (`null`: nothing has placed the member yet; they hold the
    /// default tier).
    pub since: Option<DateTime<Utc>>,
    /// When the tier's validity ends (`null`: it does not).
    pub valid_until: Option<DateTime<Utc>>,
    /// `auto` or `manual`.
    pub source: String,
    /// A staff override, if one is in force. It is not a floor: when it ends, evaluation
    /// starts again from the member's activity and may place them lower.
    pub r#override: Option<Override>,
    /// The current tier's metric over its window, now.
    pub qualifying: Measure,
    pub next_tier: Option<NextTier>,
    /// `null` when the tier has no retention (it is kept once reached).
    pub retention: Option<Keep>,
    pub projected: Projected,
}

async fn measure(
    db: &impl ConnectionTrait,
    member: &str,
    q: &Qualification,
    end: DateTime<Utc>,
) -> Result<Measure, TierError> {
    Ok(Measure {
        metric: q.metric,
        window: q.window,
        window_months: q.window_months,
        currency: (q.metric == Metric::PurchaseAmount).then(|| q.currency().to_string()),
        from: q.window_start(end),
        to: end,
        value: membership::value(db, member, q, end).await?,
    })
}

/// The projection for an existing member.
pub async fn project(
    db: &impl ConnectionTrait,
    member: &str,
    locale: Option<Locale>,
    now: DateTime<Utc>,
) -> Result<TierProjection, TierError> {
    sbm_auth::domain::members::get_member(db, member).await?;
    let ladder = Ladder::load(db).await?;
    let default = ladder.default_tier().ok_or(TierError::NoLadder)?.clone();
    let row = membership::state(db, member).await?;
    let current = row
        .as_ref()
        .and_then(|r| ladder.by_id(&r.tier_id))
        .cloned()
        .unwrap_or_else(|| default.clone());
    let manual = row.as_ref().is_some_and(|r| membership::override_active(r, now));
    let qualifying = measure(db, member, &current.spec.qualification, now).await?;
    let next_tier = match ladder.above(current.spec.rank) {
        Some(next) => {
            let m = measure(db, member, &next.spec.qualification, now).await?;
            let threshold = next.spec.qualification.threshold;
            let pct = if threshold <= 0 {
                100.0
            } else {
                ((m.value as f64 / threshold as f64) * 100.0).clamp(0.0, 100.0)
            };
            Some(NextTier {
                tier: TierBrief::of(next, locale),
                needed: (threshold - m.value).max(0),
                percentage: (pct * 100.0).round() / 100.0,
                qualification: m,
                threshold,
            })
        }
        None => None,
    };
    let valid_until = row.as_ref().and_then(|r| r.valid_until);
    let retention = match (&current.spec.retention, valid_until, manual) {
        (Some(r), Some(until), false) => Some(Keep {
            threshold: r.threshold,
            value: qualifying.value,
            needed: (r.threshold - qualifying.value).max(0),
            met: qualifying.value >= r.threshold,
            evaluates_at: membership::evaluates_at(&current, until),
        }),
        _ => None,
    };
    let projected = if manual {
        let expiry = row.as_ref().and_then(|r| r.override_expires_at);
        match expiry {
            None => Projected {
                tier: TierBrief::of(&current, locale),
                at: None,
                value: None,
                outcome: "no_evaluation".into(),
            },
            Some(at) => {
                // When the override ends, the member lands where their activity puts them.
                let mut best = default.clone();
                let mut value = None;
                for t in ladder.climbable().rev() {
                    let v = membership::value(db, member, &t.spec.qualification, at).await?;
                    if v >= t.spec.qualification.threshold {
                        best = t.clone();
                        value = Some(v);
                        break;
                    }
                }
                Projected {
                    tier: TierBrief::of(&best, locale),
                    at: Some(at),
                    value,
                    outcome: "override_ends".into(),
                }
            }
        }
    } else if let (Some(keep), Some(_)) = (&retention, valid_until) {
        let until = valid_until.unwrap_or(keep.evaluates_at);
        let (target, v) =
            membership::evaluation_target(db, member, &ladder, &current, until, keep.evaluates_at).await?;
        Projected {
            tier: TierBrief::of(target.unwrap_or(&current), locale),
            at: Some(keep.evaluates_at),
            value: Some(v),
            outcome: if target.is_some() { "downgrade" } else { "kept" }.into(),
        }
    } else {
        Projected {
            tier: TierBrief::of(&current, locale),
            at: None,
            value: None,
            outcome: "no_evaluation".into(),
        }
    };
    Ok(TierProjection {
        member_id: member.to_string(),
        current_tier: TierBrief::of(&current, locale),
        since: row.as_ref().map(|r| r.since),
        valid_until: if manual {
            row.as_ref().and_then(|r| r.override_expires_at)
        } else {
            valid_until
        },
        source: if manual { MANUAL } else { AUTO }.into(),
        r#override: row.as_ref().filter(|_| manual).map(|r| Override {
            tier_code: current.spec.code.clone(),
            reason: r.override_reason.clone(),
            expires_at: r.override_expires_at,
            by: r.override_by.clone(),
            since: r.since,
        }),
        qualifying,
        next_tier,
        retention,
        projected,
    })
}

/// One change in a member's tier history.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub id: String,
    pub member_id: String,
    pub from_tier_id: Option<String>,
    pub from_tier_code: Option<String>,
    pub to_tier_id: String,
    pub to_tier_code: String,
    /// `up`, `down` or `same`.
    pub direction: String,
    /// `qualified`, `downgrade`, `override`, `override_expired`, `override_removed` or
    /// `reassigned`.
    pub reason: String,
    pub source: String,
    pub qualifying_value: Option<i64>,
    pub note: Option<String>,
    pub created_by: Option<String>,
    pub at: DateTime<Utc>,
}

impl From<history::Model> for HistoryEntry {
    fn from(h: history::Model) -> Self {
        Self {
            id: h.id,
            member_id: h.member_id,
            from_tier_id: h.from_tier_id,
            from_tier_code: h.from_tier_code,
            to_tier_id: h.to_tier_id,
            to_tier_code: h.to_tier_code,
            direction: h.direction,
            reason: h.reason,
            source: h.source,
            qualifying_value: h.qualifying_value,
            note: h.note,
            created_by: h.created_by,
            at: h.at,
        }
    }
}

/// The history list: newest first; filters `reason`, `direction`.
pub const HISTORY: ListSpec<history::Column> = ListSpec {
    default_limit: 20,
    sort: &[("at", history::Column::At)],
    default_sort: history::Column::At,
    tiebreak: history::Column::Id,
    search: &[],
    filters: &[
        sbm_common::Filter::Enum(
            "reason",
            history::Column::Reason,
            &[
                "qualified",
                "downgrade",
                "override",
                "override_expired",
                "override_removed",
                "reassigned",
            ],
        ),
        sbm_common::Filter::Enum("direction", history::Column::Direction, &["up", "down", "same"]),
    ],
};

/// One page of a member's tier history.
pub async fn history(db: &impl ConnectionTrait, member: &str, q: &ListQuery) -> Result<Page<HistoryEntry>, TierError> {
    sbm_auth::domain::members::get_member(db, member).await?;
    let select = history::Entity::find().filter(history::Column::MemberId.eq(member));
    Ok(q.page(db, select, &HISTORY).await?.map(HistoryEntry::from))
}
