//! The unique constraints the point domain relies on are recognised by name on both backends,
//! so a lost race (two bookings with one externalId, two rules with one code) maps to the
//! right typed error and never to a generic conflict.

use chrono::{DateTime, Utc};
use sbm_point::domain::error::{Unique, violated};
use sbm_point::entity::{point_rules, point_transactions, receipts};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, DatabaseConnection};

fn now() -> DateTime<Utc> {
    sbm_common::clock::Clock::default().now()
}

fn entry(id: &str) -> point_transactions::ActiveModel {
    point_transactions::ActiveModel {
        id: Set(id.into()),
        member_id: Set("m".into()),
        tx_type: Set("earn".into()),
        points: Set(1),
        balance_after: Set(1),
        reason: Set("r".into()),
        source: Set("pos".into()),
        external_id: Set(Some("order-1".into())),
        metadata: Set("{}".into()),
        breakdown: Set(None),
        related_id: Set(None),
        created_by: Set(None),
        created_at: Set(now()),
    }
}

fn receipt(id: &str, number: &str, sha: &str) -> receipts::ActiveModel {
    receipts::ActiveModel {
        id: Set(id.into()),
        member_id: Set("m".into()),
        receipt_number: Set(number.into()),
        store_id: Set("s".into()),
        store_category: Set(None),
        amount: Set(100),
        purchased_at: Set(now()),
        image_sha256: Set(sha.into()),
        image_content_type: Set("image/png".into()),
        image_size: Set(1),
        status: Set("pending".into()),
        estimated_points: Set(0),
        approved_amount: Set(None),
        transaction_id: Set(None),
        reject_reason: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        created_at: Set(now()),
    }
}

fn rule(id: &str) -> point_rules::ActiveModel {
    point_rules::ActiveModel {
        id: Set(id.into()),
        code: Set("base".into()),
        name: Set("Base".into()),
        kind: Set("action".into()),
        spec: Set("{}".into()),
        active: Set(true),
        priority: Set(0),
        managed: Set(false),
        managed_by_uid: Set(None),
        created_at: Set(now()),
        updated_at: Set(now()),
    }
}

async fn check(db: &DatabaseConnection) {
    sbm_migrations::migrate(db).await.unwrap();
    entry("t1").insert(db).await.unwrap();
    let e = entry("t2").insert(db).await.unwrap_err();
    assert_eq!(violated(&e), Some(Unique::ExternalId), "{e}");

    receipt("r1", "R-1", "aa").insert(db).await.unwrap();
    let e = receipt("r2", "R-1", "bb").insert(db).await.unwrap_err();
    assert_eq!(violated(&e), Some(Unique::ReceiptNumber), "{e}");
    let e = receipt("r3", "R-2", "aa").insert(db).await.unwrap_err();
    assert_eq!(violated(&e), Some(Unique::ReceiptImage), "{e}");

    rule("p1").insert(db).await.unwrap();
    let e = rule("p2").insert(db).await.unwrap_err();
    assert_eq!(violated(&e), Some(Unique::RuleCode), "{e}");
}

#[tokio::test]
async fn constraints_are_named_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("sbm-point-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
    let db = sbm_common::db::connect_url(&url, 1).await.unwrap();
    check(&db).await;
    drop(db);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn constraints_are_named_on_postgres() {
    let t = sbm_testkit::TestDb::create().await;
    let db = sbm_common::db::connect_url(&t.url, 2).await.unwrap();
    check(&db).await;
    db.close().await.unwrap();
}
