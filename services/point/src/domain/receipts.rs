//! Receipt verification: members submit a receipt image with its details; staff approve
//! (points through the rules, exactly once) or reject with a reason. `pending` is the only
//! state that moves: every review is a conditional update from it.

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use sbm_common::{Filter, ListQuery, ListSpec, Page};

use super::error::{ReceiptError, Unique, violated};
use super::events::{self, ReceiptApproved, ReceiptRejected, ReceiptSubmitted};
use super::ledger::{Meta, Transaction, earn_by_rules};
use super::members::require_active;
use super::rules::{Purchase, Trigger};
use super::rulestore;
use crate::entity::{receipt_images as images, receipts};

/// A receipt as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    pub id: String,
    pub member_id: String,
    pub receipt_number: String,
    pub store_id: String,
    pub store_category: Option<String>,
    /// Minor currency units, as submitted.
    pub amount: i64,
    pub purchased_at: DateTime<Utc>,
    pub image_content_type: String,
    pub image_size: i64,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    /// Points the rules would give for the submitted amount.
    pub estimated_points: i64,
    /// The amount staff approved (may correct the submitted one).
    pub approved_amount: Option<i64>,
    pub transaction_id: Option<String>,
    pub reject_reason: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<receipts::Model> for Receipt {
    fn from(r: receipts::Model) -> Self {
        Receipt {
            id: r.id,
            member_id: r.member_id,
            receipt_number: r.receipt_number,
            store_id: r.store_id,
            store_category: r.store_category,
            amount: r.amount,
            purchased_at: r.purchased_at,
            image_content_type: r.image_content_type,
            image_size: r.image_size,
            status: r.status,
            estimated_points: r.estimated_points,
            approved_amount: r.approved_amount,
            transaction_id: r.transaction_id,
            reject_reason: r.reject_reason,
            reviewed_by: r.reviewed_by,
            reviewed_at: r.reviewed_at,
            created_at: r.created_at,
        }
    }
}

/// The content type of an image we accept (JPEG, PNG or PDF), read from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// A receipt as a member submits it (fields already checked for shape).
#[derive(Debug, Clone)]
pub struct NewReceipt {
    pub member_id: String,
    pub receipt_number: String,
    pub store_id: String,
    pub store_category: Option<String>,
    /// Minor currency units.
    pub amount: i64,
    pub purchased_at: DateTime<FixedOffset>,
    pub image: Vec<u8>,
}

/// Receipt lists: filters `status`, `storeId`; `search` in receipt numbers; sort `createdAt`,
/// `amount`, `purchasedAt`.
pub const LIST: ListSpec<receipts::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("createdAt", receipts::Column::CreatedAt),
        ("amount", receipts::Column::Amount),
        ("purchasedAt", receipts::Column::PurchasedAt),
    ],
    default_sort: receipts::Column::CreatedAt,
    tiebreak: receipts::Column::Id,
    search: &[receipts::Column::ReceiptNumber],
    filters: &[
        Filter::Enum("status", receipts::Column::Status, &["pending", "approved", "rejected"]),
        Filter::Text("storeId", receipts::Column::StoreId),
    ],
};

/// One page of receipts, of one member when `member` is given.
pub async fn list(
    db: &impl ConnectionTrait,
    member: Option<&str>,
    q: &ListQuery,
) -> Result<Page<Receipt>, ReceiptError> {
    let mut select = receipts::Entity::find();
    if let Some(m) = member {
        select = select.filter(receipts::Column::MemberId.eq(m));
    }
    Ok(q.page(db, select, &LIST).await?.map(Receipt::from))
}

/// One receipt.
pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Receipt, ReceiptError> {
    Ok(receipts::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ReceiptError::NotFound)?
        .into())
}

/// A receipt's image bytes.
pub async fn image(db: &impl ConnectionTrait, id: &str) -> Result<Vec<u8>, ReceiptError> {
    Ok(images::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ReceiptError::ImageNotFound)?
        .data)
}

/// Submits a receipt, with the points the rules would give as its estimate, and emits
/// `receipt.submitted`. Refused when the image is not JPEG, PNG or PDF, or when the same
/// store and receipt number, or the same image, was submitted before.
pub async fn submit(db: &impl ConnectionTrait, new: NewReceipt, now: DateTime<Utc>) -> Result<Receipt, ReceiptError> {
    let content_type = sniff(&new.image).ok_or(ReceiptError::UnsupportedImage)?;
    let hash = hex::encode(Sha256::digest(&new.image));
    let same_number = receipts::Entity::find()
        .filter(receipts::Column::StoreId.eq(&new.store_id))
        .filter(receipts::Column::ReceiptNumber.eq(&new.receipt_number))
        .one(db)
        .await?;
    if same_number.is_some() {
        return Err(ReceiptError::DuplicateNumber);
    }
    let same_image = receipts::Entity::find()
        .filter(receipts::Column::ImageSha256.eq(&hash))
        .one(db)
        .await?;
    if same_image.is_some() {
        return Err(ReceiptError::DuplicateImage);
    }
    let purchase = Purchase {
        amount: new.amount,
        currency: None,
        store_id: Some(new.store_id.clone()),
        store_category: new.store_category.clone(),
        purchased_at: Some(new.purchased_at),
    };
    let estimate = rulestore::compute(db, Some(&new.member_id), None, &Trigger::Purchase(purchase), now)
        .await?
        .total();
    let id = uuid::Uuid::now_v7().to_string();
    let row = receipts::ActiveModel {
        id: Set(id.clone()),
        member_id: Set(new.member_id.clone()),
        receipt_number: Set(new.receipt_number),
        store_id: Set(new.store_id),
        store_category: Set(new.store_category),
        amount: Set(new.amount),
        purchased_at: Set(new.purchased_at.with_timezone(&Utc)),
        image_sha256: Set(hash),
        image_content_type: Set(content_type.to_string()),
        image_size: Set(new.image.len() as i64),
        status: Set("pending".into()),
        estimated_points: Set(estimate),
        approved_amount: Set(None),
        transaction_id: Set(None),
        reject_reason: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await
    .map_err(|e| match violated(&e) {
        Some(Unique::ReceiptNumber) => ReceiptError::DuplicateNumber,
        Some(Unique::ReceiptImage) => ReceiptError::DuplicateImage,
        _ => e.into(),
    })?;
    images::Entity::insert(images::ActiveModel {
        receipt_id: Set(id.clone()),
        data: Set(new.image),
    })
    .exec_without_returning(db)
    .await?;
    events::emit(
        db,
        &ReceiptSubmitted {
            receipt_id: id,
            member_id: new.member_id,
            estimated_points: estimate,
        },
        now,
    )
    .await?;
    Ok(row.into())
}

/// An approved receipt and the earn it produced (none when the rules gave nothing).
#[derive(Debug, Clone)]
pub struct Approval {
    pub receipt: Receipt,
    pub transaction: Option<Transaction>,
}

/// The receipt's current status, as the refusal of a review names it.
async fn not_pending(db: &impl ConnectionTrait, id: &str) -> ReceiptError {
    match get(db, id).await {
        Ok(r) => ReceiptError::NotPending(r.status),
        Err(e) => e,
    }
}

/// Moves a pending receipt to `status` with its decision column (approved amount or reject
/// reason) and the reviewer, in one conditional UPDATE: of two concurrent reviews one wins,
/// the other learns what the receipt already is.
async fn decide(
    db: &impl ConnectionTrait,
    id: &str,
    status: &str,
    (column, value): (receipts::Column, Expr),
    reviewer: &str,
    now: DateTime<Utc>,
) -> Result<(), ReceiptError> {
    let moved = receipts::Entity::update_many()
        .col_expr(receipts::Column::Status, Expr::value(status))
        .col_expr(column, value)
        .col_expr(receipts::Column::ReviewedBy, Expr::value(reviewer))
        .col_expr(receipts::Column::ReviewedAt, Expr::value(now))
        .filter(receipts::Column::Id.eq(id))
        .filter(receipts::Column::Status.eq("pending"))
        .exec(db)
        .await?
        .rows_affected;
    if moved == 0 {
        return Err(not_pending(db, id).await);
    }
    Ok(())
}

/// Approves a pending receipt (with a corrected amount, if given): the points through the
/// rules, exactly once, and `receipt.approved`. Runs in the caller's transaction.
pub async fn approve(
    db: &impl ConnectionTrait,
    id: &str,
    amount: Option<i64>,
    reviewer: &str,
    now: DateTime<Utc>,
) -> Result<Approval, ReceiptError> {
    let r = get(db, id).await?;
    let amount = amount.unwrap_or(r.amount);
    let decision = (receipts::Column::ApprovedAmount, Expr::value(amount));
    decide(db, id, "approved", decision, reviewer, now).await?;
    require_active(db, &r.member_id).await?;
    // Not recorded as a purchase here: receipt.approved carries it to whoever counts purchases.
    let trigger = Trigger::Purchase(Purchase {
        amount,
        currency: None,
        store_id: Some(r.store_id.clone()),
        store_category: r.store_category.clone(),
        purchased_at: Some(r.purchased_at.fixed_offset()),
    });
    let meta = Meta {
        reason: format!("Receipt {} at {}", r.receipt_number, r.store_id),
        source: "receipt".into(),
        external_id: Some(id.to_string()),
        metadata: serde_json::json!({"receiptId": id, "amount": amount}),
        created_by: Some(reviewer.to_string()),
    };
    let earned = earn_by_rules(db, &r.member_id, &trigger, &meta, now).await?;
    if let Some(t) = &earned.transaction {
        receipts::Entity::update_many()
            .col_expr(receipts::Column::TransactionId, Expr::value(t.id.clone()))
            .filter(receipts::Column::Id.eq(id))
            .exec(db)
            .await?;
    }
    events::emit(
        db,
        &ReceiptApproved {
            receipt_id: id.to_string(),
            member_id: r.member_id.clone(),
            amount,
            points: earned.computed.total(),
        },
        now,
    )
    .await?;
    Ok(Approval {
        receipt: get(db, id).await?,
        transaction: earned.transaction,
    })
}

/// Rejects a pending receipt with a reason, and emits `receipt.rejected`. Runs in the
/// caller's transaction.
pub async fn reject(
    db: &impl ConnectionTrait,
    id: &str,
    reason: &str,
    reviewer: &str,
    now: DateTime<Utc>,
) -> Result<Receipt, ReceiptError> {
    let r = get(db, id).await?;
    let decision = (receipts::Column::RejectReason, Expr::value(reason.trim()));
    decide(db, id, "rejected", decision, reviewer, now).await?;
    events::emit(
        db,
        &ReceiptRejected {
            receipt_id: id.to_string(),
            member_id: r.member_id,
            reason: reason.to_string(),
        },
        now,
    )
    .await?;
    get(db, id).await
}
