//! A member's notification preferences: which categories reach the inbox (the transactional
//! ones always do), which channels are on, and quiet hours. A member who never set them has
//! the defaults: everything on, no quiet hours.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::Validator;

use super::error::NotificationError;
use super::inbox::Category;
use crate::entity::notification_preferences as prefs;

/// The channels a member may turn on or off.
pub const CHANNELS: [&str; 3] = ["inApp", "email", "push"];

/// Quiet hours: nothing is pushed or mailed between `start` and `end` (the inbox still fills).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuietHours {
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM`; before `start` for hours across midnight.
    pub end: String,
    /// The member's offset from UTC, in minutes (`420` for Bangkok).
    #[serde(default)]
    pub utc_offset_minutes: i32,
}

/// A member's preferences, as read and as written (PUT replaces them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Preferences {
    /// Category -> shown in the inbox. Missing categories keep their default (on);
    /// `transactions` and `system` cannot be turned off.
    #[serde(default)]
    pub categories: BTreeMap<String, bool>,
    /// Channel (`inApp`, `email`, `push`) -> enabled. Missing channels are on.
    #[serde(default)]
    pub channels: BTreeMap<String, bool>,
    #[serde(default)]
    pub quiet_hours: Option<QuietHours>,
}

impl Preferences {
    /// Everything on, no quiet hours, every key present.
    pub fn defaults() -> Self {
        Preferences {
            categories: Category::ALL.iter().map(|c| (c.as_str().to_string(), true)).collect(),
            channels: CHANNELS.iter().map(|c| (c.to_string(), true)).collect(),
            quiet_hours: None,
        }
    }

    /// The defaults with these choices over them.
    fn completed(mut self) -> Self {
        let mut full = Preferences::defaults();
        full.categories.append(&mut self.categories);
        full.channels.append(&mut self.channels);
        full.quiet_hours = self.quiet_hours;
        full
    }

    pub fn validate(&self) -> Result<(), NotificationError> {
        let mut v = Validator::new();
        for (k, on) in &self.categories {
            match Category::parse(k) {
                None => v.add(
                    &format!("categories.{k}"),
                    "is not a category (offers, loyalty, updates, transactions, system)",
                ),
                Some(c) if c.transactional() && !on => {
                    v.add(&format!("categories.{k}"), "is transactional and cannot be turned off")
                }
                Some(_) => {}
            }
        }
        for k in self.channels.keys() {
            v.check(
                CHANNELS.contains(&k.as_str()),
                &format!("channels.{k}"),
                "is not a channel (inApp, email, push)",
            );
        }
        if let Some(q) = &self.quiet_hours {
            for (f, t) in [("quietHours.start", &q.start), ("quietHours.end", &q.end)] {
                v.check(
                    t.len() == 5 && NaiveTime::parse_from_str(t, "%H:%M").is_ok(),
                    f,
                    "must be a time of day, HH:MM",
                );
            }
            v.check(
                (-720..=840).contains(&q.utc_offset_minutes),
                "quietHours.utcOffsetMinutes",
                "must be between -720 and 840",
            );
        }
        v.into_result().map_err(NotificationError::Invalid)
    }

    /// When quiet hours are on at `now`, the time they end (mail waits until then).
    pub fn quiet_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let q = self.quiet_hours.as_ref()?;
        let start = NaiveTime::parse_from_str(&q.start, "%H:%M").ok()?;
        let end = NaiveTime::parse_from_str(&q.end, "%H:%M").ok()?;
        let offset = chrono::Duration::minutes(i64::from(q.utc_offset_minutes));
        let local = (now + offset).naive_utc();
        let t = local.time();
        let inside = if start <= end {
            t >= start && t < end
        } else {
            t >= start || t < end
        };
        if !inside {
            return None;
        }
        let mut end_local = local.date().and_time(end);
        if end_local <= local {
            end_local += chrono::Duration::days(1);
        }
        Some(end_local.and_utc() - offset)
    }

    /// Whether the inbox shows `category`.
    /// (Transactional categories always; the others when their category and the in-app
    /// channel are on.)
    pub fn shows(&self, category: Category) -> bool {
        category.transactional()
            || (self.categories.get(category.as_str()).copied().unwrap_or(true)
                && self.channels.get("inApp").copied().unwrap_or(true))
    }
}

/// The member's preferences (the defaults when never set).
pub async fn get(db: &impl ConnectionTrait, member: &str) -> Result<Preferences, NotificationError> {
    let Some(r) = prefs::Entity::find_by_id(member).one(db).await? else {
        return Ok(Preferences::defaults());
    };
    let corrupt = |e: serde_json::Error| NotificationError::Corrupt {
        id: member.to_string(),
        cause: e.to_string(),
    };
    let p = Preferences {
        categories: serde_json::from_str(&r.categories).map_err(corrupt)?,
        channels: serde_json::from_str(&r.channels).map_err(corrupt)?,
        quiet_hours: match (r.quiet_start, r.quiet_end) {
            (Some(start), Some(end)) => Some(QuietHours {
                start,
                end,
                utc_offset_minutes: r.utc_offset_minutes,
            }),
            _ => None,
        },
    };
    Ok(p.completed())
}

/// Replaces the member's preferences; returns them completed with the defaults.
pub async fn put(
    db: &impl ConnectionTrait,
    member: &str,
    p: Preferences,
    now: DateTime<Utc>,
) -> Result<Preferences, NotificationError> {
    p.validate()?;
    let p = p.completed();
    let row = prefs::Model {
        member_id: member.to_string(),
        categories: serde_json::to_string(&p.categories).unwrap_or_else(|_| "{}".into()),
        channels: serde_json::to_string(&p.channels).unwrap_or_else(|_| "{}".into()),
        quiet_start: p.quiet_hours.as_ref().map(|q| q.start.clone()),
        quiet_end: p.quiet_hours.as_ref().map(|q| q.end.clone()),
        utc_offset_minutes: p.quiet_hours.as_ref().map_or(0, |q| q.utc_offset_minutes),
        updated_at: now,
    };
    let exists = prefs::Entity::find_by_id(member).one(db).await?.is_some();
    let am = row.into_active_model().reset_all();
    if exists {
        am.update(db).await?;
    } else {
        am.insert(db).await?;
    }
    Ok(p)
}
