//! The reward service: catalogs visible by tier (rewards and redemptions come next).

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;

fn catalog(code: &str, extra: Value) -> Value {
    let mut c = json!({"code": code, "name_en": format!("{code} rewards"), "name_th": format!("{code} th"),
                       "description_en": format!("All about {code}")});
    if let (Some(c), Some(e)) = (c.as_object_mut(), extra.as_object()) {
        c.extend(e.clone());
    }
    c
}

async fn codes(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let r = app
        .get(&format!("/reward/api/reward-catalogs{query}"), Some(token))
        .await
        .expect(200);
    r.data()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn members_see_the_catalogs_their_tier_may_see_and_staff_see_all() {
    let app = spawn(Opts::default().var("SBM_OUTBOX_POLL_MS", "50")).await;
    let t = app.admin_token().await;
    for (code, rank, threshold) in [("base", 0, 0), ("gold", 1, 100)] {
        app.post(
            "/cluster/api/tiers",
            Some(&t),
            json!({"code": code, "name_en": code, "rank": rank, "isDefault": rank == 0,
                   "qualification": {"metric": "points_earned", "threshold": threshold, "window": "lifetime"}}),
        )
        .await
        .expect(201);
    }
    let post = |body: Value| app.post("/reward/api/reward-catalogs", Some(&t), body);
    let everyone = post(catalog("everyone", json!({"sortOrder": 2})))
        .await
        .expect(201)
        .body["data"]
        .clone();
    let gold = post(catalog(
        "gold-lounge",
        json!({"visibility": "tiers", "tierCodes": ["gold"], "sortOrder": 1}),
    ))
    .await
    .expect(201)
    .body["data"]
        .clone();
    post(catalog(
        "songkran",
        json!({"startsAt": "2020-04-01T00:00:00Z", "endsAt": "2020-04-30T00:00:00Z"}),
    ))
    .await
    .expect(201);
    post(catalog("paused", json!({"active": false}))).await.expect(201);
    // Validation, each field named; codes are unique.
    let r = post(json!({"code": "Bad", "name_en": "", "visibility": "tiers", "startsAt": "2027-01-02T00:00:00Z", "endsAt": "2027-01-01T00:00:00Z"})).await.expect(400);
    assert_eq!(r.error_fields(), ["code", "name_en", "tierCodes", "endsAt"]);
    post(catalog("everyone", json!({}))).await.expect(409);
    // A member at the default tier sees only what is open to all, now and active.
    let (mt, m) = app.member_token("ok-catalogs").await;
    assert_eq!(codes(&app, &mt, "").await, ["everyone"]);
    let gid = gold["id"].as_str().unwrap();
    app.get(&format!("/reward/api/reward-catalogs/{gid}"), Some(&mt))
        .await
        .expect(404);
    let r = app
        .get(
            &format!(
                "/reward/api/reward-catalogs/{}?locale=th",
                everyone["id"].as_str().unwrap()
            ),
            Some(&mt),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["name"], "everyone th");
    // Gold: the lounge opens, first by sort order.
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": m, "points": 100, "source": "test"}),
    )
    .await
    .expect(201);
    let mut seen = Vec::new();
    for _ in 0..200 {
        seen = codes(&app, &mt, "").await;
        if seen.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(seen, ["gold-lounge", "everyone"]);
    app.get(&format!("/reward/api/reward-catalogs/{gid}"), Some(&mt))
        .await
        .expect(200);
    // Staff see all, and filter.
    assert_eq!(
        codes(&app, &t, "?limit=100").await,
        ["songkran", "gold-lounge", "everyone"]
    );
    assert_eq!(codes(&app, &t, "?includeInActive=true").await.len(), 4);
    assert_eq!(codes(&app, &t, "?tierCode=base").await, ["songkran", "everyone"]);
    assert_eq!(codes(&app, &t, "?search=LOUNGE").await, ["gold-lounge"]);
    assert_eq!(
        codes(&app, &t, "?sortBy=code&sortOrder=desc").await,
        ["songkran", "gold-lounge", "everyone"]
    );
    app.get("/reward/api/reward-catalogs?sortBy=points", Some(&t))
        .await
        .expect(400);
    app.get("/reward/api/reward-catalogs?includeDeletedAt=maybe", Some(&t))
        .await
        .expect(400);
    app.get("/reward/api/reward-catalogs", None).await.expect(401);
    let (_, key) = app.api_key(&["members:read"], json!({"plan": "standard"})).await;
    app.get("/reward/api/reward-catalogs", Some(&key)).await.expect(403);
    // Edits: the code stays; members cannot write; archiving hides it from everyone but staff
    // asking for it.
    let r = app
        .patch(
            &format!("/reward/api/reward-catalogs/{gid}"),
            Some(&t),
            json!({"name_cn": "金卡", "code": "x"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["code"]);
    let r = app
        .patch(
            &format!("/reward/api/reward-catalogs/{gid}"),
            Some(&t),
            json!({"name_cn": "金卡"}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["name_cn"], "金卡");
    app.patch(
        &format!("/reward/api/reward-catalogs/{gid}"),
        Some(&mt),
        json!({"name_cn": "x"}),
    )
    .await
    .expect(403);
    app.delete(&format!("/reward/api/reward-catalogs/{gid}"), Some(&t))
        .await
        .expect(200);
    app.get(&format!("/reward/api/reward-catalogs/{gid}"), Some(&mt))
        .await
        .expect(404);
    assert_eq!(codes(&app, &mt, "").await, ["everyone"]);
    assert_eq!(codes(&app, &t, "?includeDeletedAt=true").await.len(), 3);
    app.delete(&format!("/reward/api/reward-catalogs/{gid}"), Some(&t))
        .await
        .expect(404);
    // Rows the operator manages are read-only.
    let eid = everyone["id"].as_str().unwrap();
    sql_exec(
        &app.db,
        &format!("UPDATE reward_catalogs SET managed = TRUE WHERE id = '{eid}'"),
        vec![],
    )
    .await
    .unwrap();
    app.patch(
        &format!("/reward/api/reward-catalogs/{eid}"),
        Some(&t),
        json!({"name_en": "x"}),
    )
    .await
    .expect(409);
    app.delete(&format!("/reward/api/reward-catalogs/{eid}"), Some(&t))
        .await
        .expect(409);
}
