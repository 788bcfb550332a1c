//! What notification knows of members, built from events alone (`member.registered`,
//! `.updated`, `.anonymized` from auth; `tier.changed`, `member.interests_updated` from
//! cluster): the address and language mail goes out in, the locale the inbox defaults to, and
//! the audiences broadcasts pick from.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;

use sbm_common::outbox::Event;
use sbm_common::query::Locale;

use crate::entity::notification_members as rows;

use super::inbound::{
    MEMBER_ANONYMIZED, MEMBER_INTERESTS_UPDATED as INTERESTS_UPDATED, MEMBER_REGISTERED, MEMBER_UPDATED,
};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Contact {
    member_id: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    first_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Tier {
    member_id: String,
    to_tier_code: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Interests {
    member_id: String,
    interest_codes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Anonymized {
    member_id: String,
}

/// A member as notification knows it.
pub type Member = rows::Model;

/// The member's language for texts (English when unknown).
pub fn locale(m: &Member) -> Locale {
    match m.locale.as_str() {
        "th" => Locale::Th,
        "cn" | "zh" => Locale::Cn,
        _ => Locale::En,
    }
}

fn blank(member_id: &str, now: DateTime<Utc>) -> rows::ActiveModel {
    rows::ActiveModel {
        member_id: Set(member_id.to_string()),
        email: Set(None),
        locale: Set("en".into()),
        first_name: Set(String::new()),
        tier_code: Set(None),
        interests: Set("[]".into()),
        active: Set(true),
        updated_at: Set(now),
    }
}

/// Makes sure a row exists for `member_id` (events about a member may come before its
/// registration was seen, for members registered before notification ran).
async fn ensure(db: &impl ConnectionTrait, member_id: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    rows::Entity::insert(blank(member_id, now))
        .on_conflict(OnConflict::column(rows::Column::MemberId).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Applies an event to the directory; other topics change nothing.
pub async fn apply(db: &impl ConnectionTrait, event: &Event, now: DateTime<Utc>) -> anyhow::Result<()> {
    let p = event.payload.clone();
    match event.topic.as_str() {
        MEMBER_REGISTERED | MEMBER_UPDATED => {
            // Events from before they carried contact facts leave them as they are.
            let has_email = p.get("email").is_some();
            let c: Contact = serde_json::from_value(p)?;
            ensure(db, &c.member_id, now).await?;
            let mut update = rows::Entity::update_many().col_expr(rows::Column::UpdatedAt, Expr::value(now));
            if has_email {
                update = update.col_expr(rows::Column::Email, Expr::value(c.email));
            }
            if let Some(l) = c.locale {
                update = update.col_expr(rows::Column::Locale, Expr::value(l));
            }
            if let Some(f) = c.first_name {
                update = update.col_expr(rows::Column::FirstName, Expr::value(f));
            }
            update.filter(rows::Column::MemberId.eq(c.member_id)).exec(db).await?;
        }
        MEMBER_ANONYMIZED => {
            let a: Anonymized = serde_json::from_value(p)?;
            ensure(db, &a.member_id, now).await?;
            rows::Entity::update_many()
                .col_expr(rows::Column::Email, Expr::value(Option::<String>::None))
                .col_expr(rows::Column::FirstName, Expr::value(""))
                .col_expr(rows::Column::Active, Expr::value(false))
                .col_expr(rows::Column::UpdatedAt, Expr::value(now))
                .filter(rows::Column::MemberId.eq(a.member_id))
                .exec(db)
                .await?;
        }
        super::inbound::TIER_CHANGED => {
            let t: Tier = serde_json::from_value(p)?;
            ensure(db, &t.member_id, now).await?;
            rows::Entity::update_many()
                .col_expr(rows::Column::TierCode, Expr::value(t.to_tier_code))
                .col_expr(rows::Column::UpdatedAt, Expr::value(now))
                .filter(rows::Column::MemberId.eq(t.member_id))
                .exec(db)
                .await?;
        }
        INTERESTS_UPDATED => {
            let i: Interests = serde_json::from_value(p)?;
            ensure(db, &i.member_id, now).await?;
            rows::Entity::update_many()
                .col_expr(
                    rows::Column::Interests,
                    Expr::value(serde_json::to_string(&i.interest_codes)?),
                )
                .col_expr(rows::Column::UpdatedAt, Expr::value(now))
                .filter(rows::Column::MemberId.eq(i.member_id))
                .exec(db)
                .await?;
        }
        _ => {}
    }
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, member_id: &str) -> Result<Option<Member>, DbErr> {
    rows::Entity::find_by_id(member_id).one(db).await
}

/// One chunk of an audience, in member id order after `after`: every active member, those in
/// some tiers, those with some interests, or a list of member ids (of those notification
/// knows).
pub struct Chunk {
    pub members: Vec<Member>,
    /// The last member id looked at (the next chunk starts after it).
    pub last: Option<String>,
    /// Whether more may follow.
    pub full: bool,
}

pub async fn audience(
    db: &impl ConnectionTrait,
    kind: &str,
    targets: &[String],
    after: Option<&str>,
    limit: u64,
) -> Result<Chunk, DbErr> {
    let mut select = rows::Entity::find().filter(rows::Column::Active.eq(true));
    if let Some(a) = after {
        select = select.filter(rows::Column::MemberId.gt(a));
    }
    select = match kind {
        "tiers" => select.filter(rows::Column::TierCode.is_in(targets.iter().cloned())),
        "members" => select.filter(rows::Column::MemberId.is_in(targets.iter().cloned())),
        "interests" => {
            // Interests are a small JSON array per member: match each code as a quoted item.
            let mut any = Condition::any();
            for code in targets {
                any = any.add(rows::Column::Interests.contains(format!("\"{code}\"")));
            }
            select.filter(any)
        }
        _ => select,
    };
    let mut members = select.order_by_asc(rows::Column::MemberId).limit(limit).all(db).await?;
    let last = members.last().map(|m| m.member_id.clone());
    let full = members.len() as u64 == limit;
    if kind == "interests" {
        // The text match above narrows; this is exact.
        members.retain(|m| {
            serde_json::from_str::<Vec<String>>(&m.interests)
                .unwrap_or_default()
                .iter()
                .any(|i| targets.contains(i))
        });
    }
    Ok(Chunk { members, last, full })
}
