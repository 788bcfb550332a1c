//! Mail actions: when an event comes (and its payload meets simple conditions), render a
//! template and send it through a sender to the member, the staff member the event is about,
//! or a fixed address, now or after a delay.

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use sbm_common::query::Filter;
use sbm_common::{ListQuery, ListSpec, Page, Validator};

use crate::domain::{NotificationError, inbound};
use crate::entity::{mail_actions as rows, mail_senders, mail_templates};

/// Who gets the mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Recipient {
    /// The member the event is about (`memberId`), at their address, in their language.
    Member,
    /// The staff member the event is about (its `email`), such as a password reset.
    Staff,
    /// A fixed `address`.
    Address,
}

impl Recipient {
    pub fn as_str(self) -> &'static str {
        match self {
            Recipient::Member => "member",
            Recipient::Staff => "staff",
            Recipient::Address => "address",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "staff" => Recipient::Staff,
            "address" => Recipient::Address,
            _ => Recipient::Member,
        }
    }
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    /// The field is present and not null (`value` is not used).
    Exists,
}

/// One condition on the event's payload: `field` is a dot path (`points`, `reward.code`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Condition {
    pub field: String,
    pub op: Op,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub value: Value,
}

/// What staff send (PATCH sends any subset).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActionSpec {
    pub name: String,
    /// The event topic, such as `points.earned` or `staff.password_reset_requested`.
    pub event: String,
    pub template_id: String,
    pub sender_id: String,
    pub recipient: Recipient,
    /// For `recipient: address`.
    #[serde(default)]
    pub address: Option<String>,
    /// All must hold.
    #[serde(default)]
    pub conditions: Vec<Condition>,
    /// Wait this long after the event (at most 7 days).
    #[serde(default)]
    pub delay_seconds: u32,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Action {
    pub id: String,
    #[serde(flatten)]
    pub spec: ActionSpec,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn to_view(r: rows::Model) -> Result<Action, NotificationError> {
    Ok(Action {
        spec: ActionSpec {
            name: r.name,
            event: r.event,
            template_id: r.template_id,
            sender_id: r.sender_id,
            recipient: Recipient::parse(&r.recipient),
            address: r.address,
            conditions: serde_json::from_str(&r.conditions).map_err(|e| NotificationError::Corrupt {
                id: r.id.clone(),
                cause: e.to_string(),
            })?,
            delay_seconds: u32::try_from(r.delay_seconds).unwrap_or(0),
            active: r.active,
        },
        id: r.id,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

async fn check(db: &impl ConnectionTrait, spec: &ActionSpec) -> Result<(), NotificationError> {
    let mut v = Validator::new();
    v.text("name", &spec.name, 200);
    if !inbound::MAILABLE.contains(&spec.event.as_str()) {
        v.add(
            "event",
            format!(
                "unknown event `{}`; known: {}",
                spec.event,
                inbound::MAILABLE.join(", ")
            ),
        );
    }
    if mail_templates::Entity::find_by_id(spec.template_id.as_str())
        .one(db)
        .await?
        .is_none()
    {
        v.add("templateId", "no such mail template");
    }
    if mail_senders::Entity::find_by_id(spec.sender_id.as_str())
        .one(db)
        .await?
        .is_none()
    {
        v.add("senderId", "no such mail sender");
    }
    // The staff recipient is the address a staff event names: a member event's `email` is the
    // member's, whose own preferences a `member` recipient honours.
    v.check(
        spec.recipient != Recipient::Staff || spec.event.starts_with("staff."),
        "recipient",
        "`staff` is for staff events (staff.*); members are reached with `member`",
    );
    match (spec.recipient, &spec.address) {
        (Recipient::Address, None) => v.add("address", "is required when recipient is `address`"),
        (Recipient::Address, Some(a)) => v.check(
            a.parse::<lettre::Address>().is_ok(),
            "address",
            "must be an email address",
        ),
        (_, Some(_)) => v.add("address", "is only for recipient `address`"),
        _ => {}
    }
    v.check(spec.conditions.len() <= 20, "conditions", "at most 20");
    for (i, c) in spec.conditions.iter().enumerate() {
        v.check(
            !c.field.is_empty() && c.field.len() <= 100,
            &format!("conditions[{i}].field"),
            "must be a dot path into the event's payload",
        );
    }
    v.check(spec.delay_seconds <= 7 * 24 * 3600, "delaySeconds", "at most 7 days");
    v.into_result().map_err(NotificationError::Invalid)
}

fn model(id: String, spec: &ActionSpec, created: DateTime<Utc>, now: DateTime<Utc>) -> rows::Model {
    rows::Model {
        id,
        name: spec.name.trim().to_string(),
        event: spec.event.clone(),
        template_id: spec.template_id.clone(),
        sender_id: spec.sender_id.clone(),
        recipient: spec.recipient.as_str().into(),
        address: spec.address.clone(),
        conditions: serde_json::to_string(&spec.conditions).expect("serializable"),
        delay_seconds: i32::try_from(spec.delay_seconds).unwrap_or(i32::MAX),
        active: spec.active,
        created_at: created,
        updated_at: now,
    }
}

pub async fn create(
    db: &impl ConnectionTrait,
    spec: ActionSpec,
    now: DateTime<Utc>,
) -> Result<Action, NotificationError> {
    check(db, &spec).await?;
    let row = model(uuid::Uuid::now_v7().to_string(), &spec, now, now);
    rows::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(db)
        .await?;
    to_view(row)
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Action, NotificationError> {
    to_view(
        rows::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(NotificationError::Missing("Mail action"))?,
    )
}

/// Applies the fields of `patch` (a JSON object) over the action.
pub async fn patch(
    db: &impl ConnectionTrait,
    id: &str,
    patch: serde_json::Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<Action, NotificationError> {
    let current = get(db, id).await?;
    let spec = super::merge(&current.spec, patch)?;
    check(db, &spec).await?;
    let row = model(id.to_string(), &spec, current.created_at, now);
    // Every column written (a model converts to an all-unchanged active model).
    let mut am = row.clone().into_active_model().reset_all();
    am.id = sea_orm::ActiveValue::Unchanged(id.to_string());
    am.created_at = sea_orm::ActiveValue::Unchanged(current.created_at);
    am.updated_at = Set(now);
    rows::Entity::update(am).exec(db).await?;
    to_view(row)
}

pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<Action, NotificationError> {
    let a = get(db, id).await?;
    rows::Entity::delete_by_id(id).exec(db).await?;
    Ok(a)
}

pub const LIST: ListSpec<rows::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("name", rows::Column::Name),
        ("event", rows::Column::Event),
        ("createdAt", rows::Column::CreatedAt),
    ],
    default_sort: rows::Column::CreatedAt,
    tiebreak: rows::Column::Id,
    search: &[rows::Column::Name, rows::Column::Event],
    filters: &[
        Filter::Text("event", rows::Column::Event),
        Filter::Bool("active", rows::Column::Active),
    ],
};

/// One page of actions: filters `event` and `active`.
pub async fn list(db: &impl ConnectionTrait, q: &ListQuery) -> Result<Page<Action>, NotificationError> {
    let page = q.page(db, rows::Entity::find(), &LIST).await?;
    let data = page.data.into_iter().map(to_view).collect::<Result<_, _>>()?;
    Ok(Page { meta: page.meta, data })
}

/// The active actions for `topic`.
pub async fn for_event(db: &impl ConnectionTrait, topic: &str) -> Result<Vec<Action>, NotificationError> {
    rows::Entity::find()
        .filter(rows::Column::Event.eq(topic))
        .filter(rows::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(to_view)
        .collect()
}

/// Whether every condition holds on `payload`.
pub fn matches(conditions: &[Condition], payload: &Value) -> bool {
    conditions.iter().all(|c| {
        let got = c.field.split('.').try_fold(payload, |v, k| v.get(k));
        let ord = |a: &Value, b: &Value| match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            _ => match (a.as_str(), b.as_str()) {
                (Some(x), Some(y)) => Some(x.cmp(y)),
                _ => None,
            },
        };
        match (c.op, got) {
            (Op::Exists, g) => g.is_some_and(|v| !v.is_null()),
            (Op::Eq, g) => g.unwrap_or(&Value::Null) == &c.value,
            (Op::Ne, g) => g.unwrap_or(&Value::Null) != &c.value,
            (_, None) => false,
            (Op::Gt, Some(g)) => ord(g, &c.value).is_some_and(|o| o.is_gt()),
            (Op::Gte, Some(g)) => ord(g, &c.value).is_some_and(|o| o.is_ge()),
            (Op::Lt, Some(g)) => ord(g, &c.value).is_some_and(|o| o.is_lt()),
            (Op::Lte, Some(g)) => ord(g, &c.value).is_some_and(|o| o.is_le()),
        }
    })
}
