//! Versioned legal documents (privacy policy, terms of service) and members' decisions on
//! them, which are append-only.

use chrono::{DateTime, Utc};
use sbm_common::query::DEFAULT_LIMIT;
use sbm_common::{Filter, ListError, ListQuery, ListSpec, Page, Validator};

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Deserialize;
use utoipa::ToSchema;

use super::error::ConsentError;
use super::events::{ConsentDocumentPublished, MemberConsentRecorded};
use super::members;
use crate::entity::{consent_documents as document, member_consents as decision};
use sbm_common::events;

/// The kinds of document.
pub const KINDS: [&str; 2] = ["privacy_policy", "terms_of_service"];

/// A new version of a document. The version number is assigned.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewConsentDocument {
    pub kind: String,
    #[serde(rename = "title_en")]
    pub title_en: String,
    #[serde(rename = "title_th", default)]
    pub title_th: String,
    #[serde(rename = "title_cn", default)]
    pub title_cn: String,
    #[serde(rename = "body_en")]
    pub body_en: String,
    #[serde(rename = "body_th", default)]
    pub body_th: String,
    #[serde(rename = "body_cn", default)]
    pub body_cn: String,
    /// When it takes effect; now when absent.
    pub effective_at: Option<DateTime<Utc>>,
}

/// Publishes the next version of a document kind (by `author`); emits
/// `consent.document_published`. Run it in a write transaction: the version is read then used
/// (under a lock per kind, so concurrent publications get consecutive versions).
pub async fn publish(
    db: &impl ConnectionTrait,
    new: NewConsentDocument,
    author: &str,
    now: DateTime<Utc>,
) -> Result<document::Model, ConsentError> {
    let mut v = Validator::new();
    v.check(
        KINDS.contains(&new.kind.as_str()),
        "kind",
        "must be privacy_policy or terms_of_service",
    );
    v.text("title_en", &new.title_en, 200);
    v.text("body_en", &new.body_en, 200_000);
    v.max_chars("title_th", &new.title_th, 200);
    v.max_chars("title_cn", &new.title_cn, 200);
    v.max_chars("body_th", &new.body_th, 200_000);
    v.max_chars("body_cn", &new.body_cn, 200_000);
    if let Some(at) = &new.effective_at {
        v.instant("effectiveAt", at);
    }
    v.into_result().map_err(ConsentError::Invalid)?;
    // Concurrent publications of one kind take turns, so each gets the next version.
    sbm_common::db::lock_key(db, &format!("consent-document:{}", new.kind)).await?;
    let latest: Option<Option<i32>> = document::Entity::find()
        .select_only()
        .column_as(document::Column::Version.max(), "v")
        .filter(document::Column::Kind.eq(new.kind.as_str()))
        .into_tuple()
        .one(db)
        .await?;
    let version = latest.flatten().unwrap_or(0) + 1;
    let doc = document::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        kind: Set(new.kind),
        version: Set(version),
        title_en: Set(new.title_en),
        title_th: Set(new.title_th),
        title_cn: Set(new.title_cn),
        body_en: Set(new.body_en),
        body_th: Set(new.body_th),
        body_cn: Set(new.body_cn),
        effective_at: Set(new.effective_at.unwrap_or(now)),
        created_by: Set(Some(author.to_string())),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    events::emit(
        db,
        &ConsentDocumentPublished {
            document_id: doc.id.clone(),
            kind: doc.kind.clone(),
            version: doc.version,
        },
        now,
    )
    .await?;
    Ok(doc)
}

/// One document version.
pub async fn get_document(db: &impl ConnectionTrait, id: &str) -> Result<document::Model, ConsentError> {
    document::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ConsentError::NotFound)
}

/// The versions in force at `now`, one per kind (or only `kind`); `NoCurrent` when none is.
pub async fn current(
    db: &impl ConnectionTrait,
    kind: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<document::Model>, ConsentError> {
    let kinds: Vec<&str> = match kind {
        Some(k) => vec![k],
        None => KINDS.to_vec(),
    };
    let mut out = Vec::new();
    for k in kinds {
        let doc = document::Entity::find()
            .filter(document::Column::Kind.eq(k))
            .filter(document::Column::EffectiveAt.lte(now))
            .order_by_desc(document::Column::Version)
            .one(db)
            .await?;
        out.extend(doc);
    }
    if out.is_empty() {
        return Err(ConsentError::NoCurrent);
    }
    Ok(out)
}

/// A member's decisions, newest first (`NotFound` for an unknown member).
pub async fn history(db: &impl ConnectionTrait, member_id: &str) -> Result<Vec<decision::Model>, ConsentError> {
    members::get_member(db, member_id).await?;
    Ok(decision::Entity::find()
        .filter(decision::Column::MemberId.eq(member_id))
        .order_by_desc(decision::Column::CreatedAt)
        .order_by_desc(decision::Column::Id)
        .all(db)
        .await?)
}

/// Appends a member's acceptance or refusal of a document version; emits
/// `member.consent_recorded`.
pub async fn record(
    db: &impl ConnectionTrait,
    member_id: &str,
    document_id: &str,
    accepted: bool,
    now: DateTime<Utc>,
) -> Result<decision::Model, ConsentError> {
    let doc = document::Entity::find_by_id(document_id)
        .one(db)
        .await?
        .ok_or(ConsentError::UnknownDocument)?;
    let rec = decision::ActiveModel {
        id: Set(uuid::Uuid::now_v7().to_string()),
        member_id: Set(member_id.to_string()),
        document_id: Set(doc.id.clone()),
        kind: Set(doc.kind.clone()),
        version: Set(doc.version),
        accepted: Set(accepted),
        source: Set("member".into()),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    events::emit(
        db,
        &MemberConsentRecorded {
            member_id: member_id.to_string(),
            document_id: doc.id,
            kind: doc.kind,
            version: doc.version,
            accepted,
        },
        now,
    )
    .await?;
    Ok(rec)
}

const LIST: ListSpec<document::Column> = ListSpec {
    default_limit: DEFAULT_LIMIT,
    sort: &[
        ("version", document::Column::Version),
        ("effectiveAt", document::Column::EffectiveAt),
        ("createdAt", document::Column::CreatedAt),
    ],
    default_sort: document::Column::CreatedAt,
    tiebreak: document::Column::Id,
    search: &[document::Column::TitleEn],
    filters: &[Filter::Enum("kind", document::Column::Kind, &KINDS)],
};

/// A page of document versions: filter `kind`, `search` in the English title.
pub async fn list_documents(db: &impl ConnectionTrait, q: &ListQuery) -> Result<Page<document::Model>, ListError> {
    q.page(db, document::Entity::find(), &LIST).await
}
