//! Members: registration (with `member.registered`), profile changes, enrolment from a POS or
//! the back office, anonymisation, and the checks other services make.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rand::Rng;
use sbm_common::query::{DEFAULT_LIMIT, contains_ci};
use sbm_common::{Filter, ListError, ListQuery, ListSpec, Page, Validator};
use sea_orm::Condition;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Unchanged, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::error::{MemberError, Unique, unique};
use super::events::{MemberAnonymized, MemberRegistered, MemberUpdated};
use super::sessions;
use crate::entity::members;
use sbm_common::events;

/// `status` of a member that may earn, spend and log in.
pub const ACTIVE: &str = "active";
/// `status` of a member whose personal data was erased.
pub const ANONYMIZED: &str = "anonymized";

/// Editable profile fields (members edit their own; staff and keys any member's).
#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileFields {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birth_date: Option<String>,
    /// `female`, `male`, `other` or `undisclosed`.
    pub gender: Option<String>,
    /// `en`, `th` or `cn`.
    pub locale: Option<String>,
}

/// POS or back-office enrolment.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnrolMember {
    pub first_name: String,
    pub last_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    pub locale: Option<String>,
    pub store_id: Option<String>,
}

/// A member to insert.
#[derive(Debug, Default)]
pub struct NewMember {
    /// `wechat`, `pos` or `staff`.
    pub source: &'static str,
    pub first_name: String,
    pub last_name: String,
    pub profile: ProfileFields,
    pub wechat_openid: Option<String>,
    pub wechat_unionid: Option<String>,
    pub store_id: Option<String>,
}

/// Keeps the digits and a leading `+` of a phone number.
pub fn normalize_phone(p: &str) -> String {
    p.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()
}

fn normalize_email(e: &str) -> String {
    e.trim().to_ascii_lowercase()
}

fn validate_profile(v: &mut Validator, f: &ProfileFields, now: DateTime<Utc>) {
    if let Some(n) = &f.first_name {
        v.text("firstName", n, 100);
    }
    if let Some(n) = &f.last_name {
        v.check(n.chars().count() <= 100, "lastName", "must be at most 100 characters");
    }
    if let Some(p) = &f.phone {
        let n = normalize_phone(p);
        v.check(
            p.chars().count() <= 32 && n.len() >= 6 && n.len() <= 20,
            "phone",
            "must be a phone number of 6 to 20 digits",
        );
    }
    if let Some(e) = &f.email {
        v.email("email", e);
    }
    if let Some(b) = &f.birth_date {
        let ok = b.len() == 10
            && NaiveDate::parse_from_str(b, "%Y-%m-%d")
                .is_ok_and(|d| d <= now.date_naive() && d.year() >= sbm_common::error::MIN_YEAR);
        v.check(ok, "birthDate", "must be a past date as YYYY-MM-DD, from 1900 on");
    }
    if let Some(g) = &f.gender {
        v.check(
            ["female", "male", "other", "undisclosed"].contains(&g.as_str()),
            "gender",
            "must be one of female, male, other, undisclosed",
        );
    }
    if let Some(l) = &f.locale {
        v.check(
            ["en", "th", "cn"].contains(&l.as_str()),
            "locale",
            "must be one of en, th, cn",
        );
    }
}

fn new_member_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::thread_rng();
    let s: String = (0..10)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("M{s}")
}

fn taken(e: sea_orm::DbErr) -> MemberError {
    let field = match unique(&e) {
        Some(Unique::MemberPhone) => "phone",
        Some(Unique::MemberEmail) => "email",
        Some(Unique::MemberWechat) => "wechat",
        Some(Unique::MemberCode) => "memberCode",
        _ => return e.into(),
    };
    MemberError::Taken { field }
}

/// One member.
pub async fn get_member(db: &impl ConnectionTrait, id: &str) -> Result<members::Model, MemberError> {
    members::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(MemberError::NotFound)
}

/// The member whose unique `column` holds `value`.
pub async fn find_by(
    db: &impl ConnectionTrait,
    column: members::Column,
    value: &str,
) -> Result<Option<members::Model>, sea_orm::DbErr> {
    members::Entity::find().filter(column.eq(value)).one(db).await
}

/// The member's status (`active`, `anonymized`), or `None` when there is no such member.
pub async fn member_status(db: &impl ConnectionTrait, member_id: &str) -> Result<Option<String>, sea_orm::DbErr> {
    // One column: every earn and spend asks this, so it must stay as cheap as a key lookup.
    members::Entity::find_by_id(member_id)
        .select_only()
        .column(members::Column::Status)
        .into_tuple::<String>()
        .one(db)
        .await
}

/// "The member exists and is active", as a condition another service's statement can carry
/// (`EXISTS (SELECT 1 FROM members WHERE id = … AND status = 'active')`), so that a write can
/// check its member without a round trip of its own.
pub fn active_member_exists(member_id: &str) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::Query;
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(members::Entity)
            .and_where(members::Column::Id.eq(member_id))
            .and_where(members::Column::Status.eq(ACTIVE))
            .to_owned(),
    )
}

/// Ok when the member exists and is active: `NotFound`, or `Anonymised` when it was deleted.
pub async fn require_active_member(db: &impl ConnectionTrait, member_id: &str) -> Result<(), MemberError> {
    match member_status(db, member_id).await?.as_deref() {
        None => Err(MemberError::NotFound),
        Some(ACTIVE) => Ok(()),
        Some(_) => Err(MemberError::Anonymised),
    }
}

/// Inserts a member and emits `member.registered` in the same transaction.
pub async fn insert_member(
    db: &impl ConnectionTrait,
    new: NewMember,
    now: DateTime<Utc>,
) -> Result<members::Model, MemberError> {
    let p = new.profile;
    let m = members::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        member_code: Set(new_member_code()),
        wechat_openid: Set(new.wechat_openid),
        wechat_unionid: Set(new.wechat_unionid),
        phone: Set(p.phone.as_deref().map(normalize_phone)),
        email: Set(p.email.as_deref().map(normalize_email)),
        first_name: Set(new.first_name.trim().to_string()),
        last_name: Set(new.last_name.trim().to_string()),
        birth_date: Set(p.birth_date),
        gender: Set(p.gender),
        locale: Set(p.locale.unwrap_or_else(|| "en".into())),
        status: Set(ACTIVE.into()),
        source: Set(new.source.into()),
        store_id: Set(new.store_id),
        created_at: Set(now),
        updated_at: Set(now),
        anonymized_at: Set(None),
    }
    .insert(db)
    .await
    .map_err(taken)?;
    events::emit(
        db,
        &MemberRegistered {
            member_id: m.id.clone(),
            member_code: m.member_code.clone(),
            source: m.source.clone(),
            store_id: m.store_id.clone(),
            registered_at: m.created_at,
            email: m.email.clone(),
            locale: m.locale.clone(),
            first_name: m.first_name.clone(),
        },
        now,
    )
    .await?;
    Ok(m)
}

/// Enrols a member from a POS (or staff with a store) or the back office (`by_staff`, no
/// store). Idempotent: a member with the same phone or email is returned instead, with
/// `false` for "not created".
pub async fn enrol(
    db: &impl ConnectionTrait,
    req: EnrolMember,
    by_staff: bool,
    now: DateTime<Utc>,
) -> Result<(members::Model, bool), MemberError> {
    let profile = ProfileFields {
        first_name: Some(req.first_name.clone()),
        last_name: Some(req.last_name.clone()),
        phone: req.phone,
        email: req.email,
        birth_date: req.birth_date,
        gender: req.gender,
        locale: req.locale,
    };
    let mut v = Validator::new();
    validate_profile(&mut v, &profile, now);
    if profile.phone.is_none() && profile.email.is_none() {
        v.add("phone", "a phone or an email is required to enrol a member");
    }
    if let Some(s) = &req.store_id {
        v.text("storeId", s, 64);
    }
    v.into_result().map_err(MemberError::Invalid)?;
    for (col, val) in [
        (members::Column::Phone, profile.phone.as_deref().map(normalize_phone)),
        (members::Column::Email, profile.email.as_deref().map(normalize_email)),
    ] {
        if let Some(val) = val
            && let Some(m) = find_by(db, col, &val).await?
        {
            return Ok((m, false));
        }
    }
    let source = if by_staff && req.store_id.is_none() {
        "staff"
    } else {
        "pos"
    };
    let m = insert_member(
        db,
        NewMember {
            source,
            first_name: req.first_name,
            last_name: req.last_name,
            profile,
            store_id: req.store_id,
            ..Default::default()
        },
        now,
    )
    .await?;
    Ok((m, true))
}

/// Applies profile changes to an active member; emits `member.updated` naming the fields.
pub async fn update_member(
    db: &impl ConnectionTrait,
    id: &str,
    f: ProfileFields,
    now: DateTime<Utc>,
) -> Result<members::Model, MemberError> {
    let current = get_member(db, id).await?;
    if current.status != ACTIVE {
        return Err(MemberError::NotEditable);
    }
    let mut v = Validator::new();
    validate_profile(&mut v, &f, now);
    v.into_result().map_err(MemberError::Invalid)?;
    let mut row = members::ActiveModel {
        id: Unchanged(id.to_string()),
        updated_at: Set(now),
        ..Default::default()
    };
    let mut changed = Vec::new();
    if let Some(x) = f.first_name {
        row.first_name = Set(x.trim().to_string());
        changed.push("firstName");
    }
    if let Some(x) = f.last_name {
        row.last_name = Set(x.trim().to_string());
        changed.push("lastName");
    }
    if let Some(x) = f.phone {
        row.phone = Set(Some(normalize_phone(&x)));
        changed.push("phone");
    }
    if let Some(x) = f.email {
        row.email = Set(Some(normalize_email(&x)));
        changed.push("email");
    }
    if let Some(x) = f.birth_date {
        row.birth_date = Set(Some(x));
        changed.push("birthDate");
    }
    if let Some(x) = f.gender {
        row.gender = Set(Some(x));
        changed.push("gender");
    }
    if let Some(x) = f.locale {
        row.locale = Set(x);
        changed.push("locale");
    }
    let m = row.update(db).await.map_err(taken)?;
    if !changed.is_empty() {
        events::emit(
            db,
            &MemberUpdated {
                member_id: id.to_string(),
                changed: changed.into_iter().map(String::from).collect(),
                email: m.email.clone(),
                locale: m.locale.clone(),
                first_name: m.first_name.clone(),
            },
            now,
        )
        .await?;
    }
    Ok(m)
}

/// Deletes a member by anonymising it (GDPR): personal data is erased, the id and history stay
/// so ledgers remain consistent; sessions end; `member.anonymized` is emitted. Anonymising an
/// anonymised member changes nothing.
pub async fn anonymise_member(
    db: &impl ConnectionTrait,
    id: &str,
    now: DateTime<Utc>,
) -> Result<members::Model, MemberError> {
    let m = get_member(db, id).await?;
    if m.status == ANONYMIZED {
        return Ok(m);
    }
    let m = members::ActiveModel {
        id: Unchanged(id.to_string()),
        first_name: Set("Deleted".into()),
        last_name: Set("Member".into()),
        phone: Set(None),
        email: Set(None),
        birth_date: Set(None),
        gender: Set(None),
        wechat_openid: Set(None),
        wechat_unionid: Set(None),
        store_id: Set(None),
        status: Set(ANONYMIZED.into()),
        anonymized_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    sessions::revoke_subject(db, "member", id, now).await?;
    events::emit(
        db,
        &MemberAnonymized {
            member_id: id.to_string(),
            anonymized_at: now,
        },
        now,
    )
    .await?;
    Ok(m)
}

const LIST: ListSpec<members::Column> = ListSpec {
    default_limit: DEFAULT_LIMIT,
    sort: &[
        ("createdAt", members::Column::CreatedAt),
        ("firstName", members::Column::FirstName),
        ("lastName", members::Column::LastName),
        ("email", members::Column::Email),
        ("memberCode", members::Column::MemberCode),
    ],
    default_sort: members::Column::CreatedAt,
    tiebreak: members::Column::Id,
    // Search is the condition below: full name, email, exact member code, phone digits.
    search: &[],
    filters: &[
        Filter::Enum("status", members::Column::Status, &[ACTIVE, ANONYMIZED]),
        Filter::Enum("source", members::Column::Source, &["wechat", "pos", "staff"]),
        Filter::Text("storeId", members::Column::StoreId),
    ],
};

fn search(text: &str) -> Condition {
    let mut any = Condition::any()
        .add(contains_ci(Expr::cust("first_name || ' ' || last_name"), text))
        .add(contains_ci(Expr::col(members::Column::Email), text))
        .add(members::Column::MemberCode.eq(text.to_uppercase()));
    // Phone matches only for searches with digits; an empty pattern would match every phone.
    let digits = normalize_phone(text);
    if digits.chars().filter(|c| c.is_ascii_digit()).count() >= 3 {
        any = any.add(members::Column::Phone.like(format!("%{digits}%")));
    }
    any
}

/// A page of members: `search` (name, email, phone, member code), filters `status`,
/// `source`, `storeId`.
pub async fn list_members(db: &impl ConnectionTrait, q: &ListQuery) -> Result<Page<members::Model>, ListError> {
    let mut select = members::Entity::find();
    if let Some(text) = &q.search {
        select = select.filter(search(text));
    }
    q.page(db, select, &LIST).await
}
