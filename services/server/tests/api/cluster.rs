//! The cluster service: the tier ladder and its rules, qualification from point's events,
//! projections, overrides, evaluation with a controllable clock, interests.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::helpers::*;

fn fast() -> Opts {
    Opts::default()
        .var("SBM_OUTBOX_POLL_MS", "50")
        .var("SBM_TIER_EVALUATION_INTERVAL_SECONDS", "3600")
}

fn tier(code: &str, rank: i64, threshold: i64) -> Value {
    json!({
        "code": code, "name_en": format!("{code} tier"), "name_th": format!("{code} th"),
        "description_en": format!("The {code} level"), "rank": rank, "isDefault": rank == 0,
        "qualification": {"metric": "points_earned", "threshold": threshold, "window": "rolling_months", "windowMonths": 12}
    })
}

async fn create_tier(app: &TestApp, t: &str, body: Value) -> Value {
    app.post("/cluster/api/tiers", Some(t), body).await.expect(201).body["data"].clone()
}

async fn earn(app: &TestApp, t: &str, member: &str, points: i64) -> Value {
    app.post(
        "/point/api/transactions/earn",
        Some(t),
        json!({"memberId": member, "points": points, "source": "test"}),
    )
    .await
    .expect(201)
    .body["data"]
        .clone()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sql_one(&app.db, sql, vec![])
        .await
        .unwrap()
        .unwrap()
        .try_get("", "n")
        .unwrap()
}

/// Waits until the tier consumer has read every event in the outbox.
async fn drained(app: &TestApp) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let last = count(app, "SELECT COALESCE(MAX(id), 0) AS n FROM events").await;
        let done = count(
            app,
            "SELECT COALESCE(MAX(last_event_id), 0) AS n FROM consumer_offsets WHERE consumer = 'cluster.tier-qualification'",
        )
        .await;
        if done >= last {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the tier consumer never caught up"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn projection(app: &TestApp, t: &str, member: &str) -> Value {
    app.get(&format!("/cluster/api/tier-projections/{member}"), Some(t))
        .await
        .expect(200)
        .body["data"]
        .clone()
}

/// Runs the evaluation job once, now (its interval is long in these tests).
async fn evaluate(app: &TestApp) {
    let state = &app.running().state;
    sbm_cluster::domain::membership::evaluate_due(&state.db, state.clock.now(), state.config.tier_warning_days)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_ladder_lists_as_the_docs_show_and_refuses_broken_ladders() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    // The list is public and empty at first; its shape is the documented one.
    let r = app.get("/cluster/api/tiers", None).await.expect(200);
    assert_eq!(r.data()["message"], "Tiers retrieved successfully");
    assert_eq!(r.data()["data"]["meta"]["limit"], 10);
    assert_eq!(r.data()["data"]["data"], json!([]));
    // The first tier must be the default one.
    let r = app
        .post(
            "/cluster/api/tiers",
            Some(&t),
            tier("silver", 1, 1000)
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, _)| *k != "isDefault")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        )
        .await
        .expect(400);
    assert!(
        r.data()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("oneDefault"),
        "{}",
        r.body
    );
    let base = create_tier(&app, &t, tier("base", 0, 0)).await;
    let silver = create_tier(&app, &t, tier("silver", 1, 1000)).await;
    let gold = create_tier(
        &app,
        &t,
        json!({
            "code": "gold", "name_en": "Gold", "name_th": "ทอง", "name_cn": "金", "description_en": "Shiny perks",
            "imageUrl": "https://img.example/gold.png", "rank": 2,
            "qualification": {"metric": "points_earned", "threshold": 5000, "window": "calendar_year"},
            "retention": {"threshold": 4000, "validityMonths": 12},
            "downgrade": {"policy": "to_qualifying", "graceDays": 30},
            "benefits": [{"name_en": "Lounge", "name_th": "เลานจ์"}]
        }),
    )
    .await;
    assert_eq!(gold["retention"]["validityMonths"], 12);
    assert_eq!(gold["benefits"][0]["name_en"], "Lounge");
    assert_eq!(gold["managed"], false);
    // Ladder rules, each a 400 naming the rule.
    for (body, rule, field) in [
        (tier("dup", 1, 3000), "uniqueRanks", "rank"),
        (tier("cheap", 3, 4000), "thresholdsRising", "qualification.threshold"),
        (
            {
                let mut b = tier("second-default", 3, 9000);
                b["isDefault"] = json!(true);
                b
            },
            "oneDefault",
            "isDefault",
        ),
    ] {
        let r = app.post("/cluster/api/tiers", Some(&t), body).await.expect(400);
        assert_eq!(r.error_fields(), [field], "{}", r.body);
        let msg = r.data()["errors"][0]["message"].as_str().unwrap();
        assert!(msg.contains(rule), "{msg}");
    }
    let id = silver["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("/cluster/api/tiers/{id}"),
            Some(&t),
            json!({"qualification": {"metric": "points_earned", "threshold": 9000, "window": "lifetime"}}),
        )
        .await
        .expect(400);
    assert!(
        r.data()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("thresholdsRising")
    );
    let r = app
        .patch(
            &format!("/cluster/api/tiers/{id}"),
            Some(&t),
            json!({"code": "silver2"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["code"]);
    // A tier on its own: each bad field named.
    let r = app
        .post("/cluster/api/tiers", Some(&t), json!({"code": "Bad", "name_en": "", "rank": -1, "qualification": {"metric": "points_earned", "threshold": -5, "window": "rolling_months"}}))
        .await
        .expect(400);
    assert_eq!(
        r.error_fields(),
        [
            "code",
            "name_en",
            "rank",
            "qualification.threshold",
            "qualification.windowMonths"
        ]
    );
    app.post("/cluster/api/tiers", Some(&t), tier("base", 5, 99999))
        .await
        .expect(409);
    // Rename and deactivate work; the list follows.
    let r = app
        .patch(
            &format!("/cluster/api/tiers/{id}"),
            Some(&t),
            json!({"name_en": "Silver", "description_th": "เงิน"}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["name_en"], "Silver");
    assert_eq!(r.data()["rank"], 1);
    // Listing: rank order, default limit 10, search, locale, paging.
    let r = app.get("/cluster/api/tiers?locale=th", None).await.expect(200);
    let codes: Vec<&str> = r.data()["data"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["base", "silver", "gold"]);
    assert_eq!(r.data()["data"]["data"][2]["name"], "ทอง");
    assert_eq!(r.data()["data"]["data"][1]["name"], "silver th");
    assert_eq!(r.data()["data"]["data"][0]["name_cn"], "");
    let r = app.get("/cluster/api/tiers?search=SHINY", None).await.expect(200);
    assert_eq!(r.data()["data"]["meta"]["total"], 1);
    let r = app.get("/cluster/api/tiers?limit=2&page=2", None).await.expect(200);
    assert_eq!(
        r.data()["data"]["meta"],
        json!({"page": 2, "limit": 2, "total": 3, "totalPages": 2})
    );
    let r = app
        .get("/cluster/api/tiers?sortBy=rank&sortOrder=desc", None)
        .await
        .expect(200);
    assert_eq!(r.data()["data"]["data"][0]["code"], "gold");
    app.get("/cluster/api/tiers?sortBy=secret", None).await.expect(400);
    app.get("/cluster/api/tiers?limit=101", None).await.expect(400);
    app.get("/cluster/api/tiers?includeInActive=maybe", None)
        .await
        .expect(400);
    let g = app
        .get(
            &format!("/cluster/api/tiers/{}?locale=cn", gold["id"].as_str().unwrap()),
            None,
        )
        .await
        .expect(200);
    assert_eq!(g.data()["name"], "金");
    app.get("/cluster/api/tiers/nope", None).await.expect(404);
    // Deactivating takes a tier out of the ladder and the default list.
    let gid = gold["id"].as_str().unwrap();
    app.patch(&format!("/cluster/api/tiers/{gid}"), Some(&t), json!({"active": false}))
        .await
        .expect(200);
    let r = app.get("/cluster/api/tiers", None).await.expect(200);
    assert_eq!(r.data()["data"]["meta"]["total"], 2);
    let r = app
        .get("/cluster/api/tiers?includeInActive=true", None)
        .await
        .expect(200);
    assert_eq!(r.data()["data"]["meta"]["total"], 3);
    // Writes need staff with tiers:write.
    let (mt, _) = app.member_token("ok-ladder").await;
    app.post("/cluster/api/tiers", Some(&mt), tier("x", 7, 70000))
        .await
        .expect(403);
    app.post("/cluster/api/tiers", None, tier("x", 7, 70000))
        .await
        .expect(401);
    let viewer = app.staff_token("viewer").await;
    app.post("/cluster/api/tiers", Some(&viewer), tier("x", 7, 70000))
        .await
        .expect(403);
    // The default tier cannot be deleted (the ladder would have none).
    let r = app
        .delete(
            &format!("/cluster/api/tiers/{}", base["id"].as_str().unwrap()),
            Some(&t),
        )
        .await
        .expect(400);
    assert!(
        r.data()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("oneDefault")
    );
    // Soft delete: gone from the list, still readable, listed with includeDeletedAt; the code
    // is never reused.
    let r = app
        .delete(&format!("/cluster/api/tiers/{gid}"), Some(&t))
        .await
        .expect(200);
    assert!(r.data()["deletedAt"].is_string());
    app.get(&format!("/cluster/api/tiers/{gid}"), None).await.expect(200);
    let r = app
        .get("/cluster/api/tiers?includeInActive=true", None)
        .await
        .expect(200);
    assert_eq!(r.data()["data"]["meta"]["total"], 2);
    let r = app
        .get("/cluster/api/tiers?includeInActive=true&includeDeletedAt=true", None)
        .await
        .expect(200);
    assert_eq!(r.data()["data"]["meta"]["total"], 3);
    app.patch(&format!("/cluster/api/tiers/{gid}"), Some(&t), json!({"name_en": "x"}))
        .await
        .expect(404);
    app.post("/cluster/api/tiers", Some(&t), tier("gold", 2, 5000))
        .await
        .expect(409);
    // A rank freed by a deleted tier can be taken again.
    create_tier(&app, &t, tier("platinum", 2, 8000)).await;
    // Operator-managed rows are read-only.
    sql_exec(
        &app.db,
        "UPDATE tiers SET managed = TRUE, managed_by_uid = 'uid-1' WHERE code = 'platinum'",
        vec![],
    )
    .await
    .unwrap();
    let pid = sql_one(&app.db, "SELECT id FROM tiers WHERE code = 'platinum'", vec![])
        .await
        .unwrap()
        .unwrap();
    let pid: String = pid.try_get("", "id").unwrap();
    let r = app
        .patch(&format!("/cluster/api/tiers/{pid}"), Some(&t), json!({"name_en": "P"}))
        .await
        .expect(409);
    assert!(r.data()["message"].as_str().unwrap().contains("operator"));
    app.delete(&format!("/cluster/api/tiers/{pid}"), Some(&t))
        .await
        .expect(409);
}

#[tokio::test]
async fn earning_upgrades_at_once_and_the_next_earn_gets_the_tier_multiplier() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    create_tier(&app, &t, tier("base", 0, 0)).await;
    let silver = create_tier(&app, &t, tier("silver", 1, 1000)).await;
    create_tier(&app, &t, tier("gold", 2, 5000)).await;
    app.post(
        "/point/api/point-rules",
        Some(&t),
        json!({"code": "spend", "name": "1 per 10 baht", "kind": "purchase", "pointsPerUnit": 1, "unitAmount": 1000, "tierMultipliers": {"silver": 2.0, "gold": 3.0}}),
    )
    .await
    .expect(201);
    let (mt, m) = app.member_token("ok-climber").await;
    // Before anything, the member holds the default tier; the projection says what silver needs.
    let p = app
        .get("/cluster/api/tier-projections/me?locale=en", Some(&mt))
        .await
        .expect(200);
    let p = p.data();
    assert_eq!(p["currentTier"]["code"], "base");
    assert_eq!(p["currentTier"]["name"], "base tier");
    assert_eq!(p["source"], "auto");
    assert_eq!(p["nextTier"]["tier"]["code"], "silver");
    assert_eq!(p["nextTier"]["needed"], 1000);
    assert_eq!(p["nextTier"]["percentage"], 0.0);
    assert_eq!(p["qualifying"]["metric"], "points_earned");
    assert_eq!(p["qualifying"]["window"], "rolling_months");
    // 6000 baht at base: 600 points, x1.
    let purchase = |amount: i64, ext: &str| json!({"memberId": m, "purchase": {"amount": amount}, "externalId": ext, "source": "pos"});
    let r = app
        .post("/point/api/transactions/earn", Some(&t), purchase(600_000, "r1"))
        .await
        .expect(201);
    assert_eq!(r.data()["transaction"]["points"], 600);
    drained(&app).await;
    let p = projection(&app, &t, &m).await;
    assert_eq!(p["currentTier"]["code"], "base");
    assert_eq!(p["nextTier"]["needed"], 400);
    assert_eq!(p["nextTier"]["percentage"], 60.0);
    // Spending does not lower the qualifying value: it counts points earned.
    app.post(
        "/point/api/transactions/spend",
        Some(&t),
        json!({"memberId": m, "points": 500, "source": "test"}),
    )
    .await
    .expect(201);
    // 4000 baht more: 400 points; 1000 earned: silver at once.
    app.post("/point/api/transactions/earn", Some(&t), purchase(400_000, "r2"))
        .await
        .expect(201);
    drained(&app).await;
    let p = projection(&app, &t, &m).await;
    assert_eq!(p["currentTier"]["code"], "silver", "{p}");
    assert_eq!(p["qualifying"]["value"], 1000);
    assert_eq!(p["nextTier"]["tier"]["code"], "gold");
    assert_eq!(p["nextTier"]["needed"], 4000);
    assert_eq!(p["nextTier"]["percentage"], 20.0);
    assert!(p["since"].is_string());
    assert_eq!(p["retention"], Value::Null);
    assert_eq!(p["projected"]["outcome"], "no_evaluation");
    let changed = app.events("tier.changed").await;
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["memberId"], m.as_str());
    assert_eq!(changed[0]["fromTierCode"], "base");
    assert_eq!(changed[0]["toTierCode"], "silver");
    assert_eq!(changed[0]["toTierId"], silver["id"]);
    assert_eq!(changed[0]["direction"], "up");
    assert_eq!(changed[0]["reason"], "qualified");
    assert_eq!(changed[0]["qualifyingValue"], 1000);
    // The next earn sees silver: x2, in earn and in simulate.
    let sim = app
        .post(
            "/point/api/point-rules/simulate",
            Some(&t),
            json!({"memberId": m, "purchase": {"amount": 100_000}}),
        )
        .await
        .expect(200);
    assert_eq!(sim.data()["tierCode"], "silver");
    assert_eq!(sim.data()["points"], 200);
    let r = app
        .post("/point/api/transactions/earn", Some(&t), purchase(100_000, "r3"))
        .await
        .expect(201);
    assert_eq!(r.data()["transaction"]["points"], 200);
    // History, newest first, for staff and for the member.
    drained(&app).await;
    let h = app
        .get(&format!("/cluster/api/tier-projections/{m}/history"), Some(&t))
        .await
        .expect(200);
    assert_eq!(h.data()["meta"]["total"], 1);
    assert_eq!(h.data()["data"][0]["toTierCode"], "silver");
    assert_eq!(h.data()["data"][0]["reason"], "qualified");
    let mine = app
        .get("/cluster/api/tier-projections/me/history?direction=up", Some(&mt))
        .await
        .expect(200);
    assert_eq!(mine.data()["meta"]["total"], 1);
    app.get("/cluster/api/tier-projections/me/history?direction=sideways", Some(&mt))
        .await
        .expect(400);
    // A reversal of an earn lowers the qualifying value (dated at the earn); no downgrade
    // happens before evaluation.
    let earn_id = r.data()["transaction"]["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/point/api/transactions/{earn_id}/reverse"),
        Some(&t),
        json!({"reason": "refund"}),
    )
    .await
    .expect(201);
    drained(&app).await;
    let p = projection(&app, &t, &m).await;
    assert_eq!(p["qualifying"]["value"], 1000);
    assert_eq!(p["currentTier"]["code"], "silver");
    // Another member cannot read this projection; a missing member is a 404.
    let (other, _) = app.member_token("ok-nosy").await;
    app.get(&format!("/cluster/api/tier-projections/{m}"), Some(&other))
        .await
        .expect(404);
    app.get("/cluster/api/tier-projections/nobody", Some(&t))
        .await
        .expect(404);
    app.get("/cluster/api/tier-projections/me", Some(&t)).await.expect(403);
    // Replaying every event changes nothing: no new activity, history or tier.changed.
    let activity = count(&app, "SELECT COUNT(*) AS n FROM tier_activity").await;
    let history = count(&app, "SELECT COUNT(*) AS n FROM member_tier_history").await;
    sql_exec(
        &app.db,
        "UPDATE consumer_offsets SET last_event_id = 0 WHERE consumer = 'cluster.tier-qualification'",
        vec![],
    )
    .await
    .unwrap();
    sql_exec(
        &app.db,
        "DELETE FROM processed_events WHERE consumer = 'cluster.tier-qualification'",
        vec![],
    )
    .await
    .unwrap();
    drained(&app).await;
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM tier_activity").await, activity);
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM member_tier_history").await,
        history
    );
    assert_eq!(app.events("tier.changed").await.len(), 1);
    assert_eq!(projection(&app, &t, &m).await["qualifying"]["value"], 1000);
}

#[tokio::test]
async fn a_hundred_concurrent_earns_yield_one_tier_change() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    create_tier(&app, &t, tier("base", 0, 0)).await;
    create_tier(&app, &t, tier("silver", 1, 1000)).await;
    let (_, m) = app.member_token("ok-burst").await;
    let mut tasks = Vec::new();
    for i in 0..100 {
        let (client, base, t, m) = (app.client.clone(), app.base.clone(), t.clone(), m.clone());
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(format!("{base}/point/api/transactions/earn"))
                .bearer_auth(&t)
                .json(&json!({"memberId": m, "points": 10, "source": "burst", "externalId": format!("b{i}")}))
                .send()
                .await
                .unwrap();
            r.status().as_u16()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 201);
    }
    drained(&app).await;
    let changed = app.events("tier.changed").await;
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0]["toTierCode"], "silver");
    assert_eq!(projection(&app, &t, &m).await["qualifying"]["value"], 1000);
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

#[tokio::test]
async fn evaluation_warns_then_downgrades_after_the_grace_with_a_controllable_clock() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let clock = app.running().state.clock.clone();
    clock.set(at("2027-01-10T12:00:00Z"));
    create_tier(&app, &t, tier("base", 0, 0)).await;
    // Silver is held two months; to keep it, 1000 points in the month before it ends.
    create_tier(
        &app,
        &t,
        json!({
            "code": "silver", "name_en": "Silver", "rank": 1,
            "qualification": {"metric": "points_earned", "threshold": 1000, "window": "rolling_months", "windowMonths": 1},
            "retention": {"threshold": 1000, "validityMonths": 2},
            "downgrade": {"policy": "one_down", "graceDays": 3}
        }),
    )
    .await;
    let (_, m) = app.member_token("ok-slipping").await;
    let (_, steady) = app.member_token("ok-steady").await;
    earn(&app, &t, &m, 1000).await;
    earn(&app, &t, &steady, 1000).await;
    drained(&app).await;
    let p = projection(&app, &t, &m).await;
    assert_eq!(p["currentTier"]["code"], "silver");
    assert_eq!(p["validUntil"], "2027-03-10T12:00:00Z");
    assert_eq!(p["retention"]["evaluatesAt"], "2027-03-13T12:00:00Z");
    assert_eq!(p["retention"]["met"], true, "met today");
    // The month the evaluation looks at holds none of today's points: projected down.
    assert_eq!(p["projected"]["outcome"], "downgrade");
    assert_eq!(p["projected"]["tier"]["code"], "base");
    assert_eq!(p["projected"]["value"], 0);
    // The steady member earns inside that month; too early to warn anyone (14 days ahead).
    clock.set(at("2027-02-20T12:00:00Z"));
    earn(&app, &t, &steady, 1000).await;
    drained(&app).await;
    evaluate(&app).await;
    assert!(app.events("tier.downgrade_warning").await.is_empty());
    assert_eq!(projection(&app, &t, &steady).await["projected"]["outcome"], "kept");
    clock.set(at("2027-03-01T12:00:00Z"));
    evaluate(&app).await;
    evaluate(&app).await;
    let warnings = app.events("tier.downgrade_warning").await;
    assert_eq!(warnings.len(), 1, "one warning, once: {warnings:?}");
    assert_eq!(warnings[0]["memberId"], m.as_str());
    assert_eq!(warnings[0]["toTierCode"], "base");
    assert_eq!(warnings[0]["evaluatesAt"], "2027-03-13T12:00:00Z");
    assert_eq!(warnings[0]["needed"], 1000);
    // Validity over, but within the grace: nothing yet.
    clock.set(at("2027-03-11T12:00:00Z"));
    evaluate(&app).await;
    assert_eq!(projection(&app, &t, &m).await["currentTier"]["code"], "silver");
    // After the grace: demoted one tier down; the steady member is renewed. Two replicas
    // evaluating at once demote once (each member's row is taken with SKIP LOCKED).
    clock.set(at("2027-03-13T12:00:01Z"));
    tokio::join!(evaluate(&app), evaluate(&app));
    let p = projection(&app, &t, &m).await;
    assert_eq!(p["currentTier"]["code"], "base");
    let down = app.events("tier.changed").await;
    let down: Vec<&Value> = down.iter().filter(|e| e["direction"] == "down").collect();
    assert_eq!(down.len(), 1);
    assert_eq!(down[0]["memberId"], m.as_str());
    assert_eq!(down[0]["reason"], "downgrade");
    let s = projection(&app, &t, &steady).await;
    assert_eq!(s["currentTier"]["code"], "silver");
    assert_eq!(s["validUntil"], "2027-05-10T12:00:00Z");
    // Running again changes nothing.
    evaluate(&app).await;
    assert_eq!(app.events("tier.changed").await.len(), 3);
    let h = app
        .get(&format!("/cluster/api/tier-projections/{m}/history"), Some(&t))
        .await
        .expect(200);
    assert_eq!(h.data()["data"][0]["reason"], "downgrade");
    assert_eq!(h.data()["data"][0]["direction"], "down");
}

#[tokio::test]
async fn calendar_year_tiers_hold_to_the_end_of_a_whole_year() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let clock = app.running().state.clock.clone();
    clock.set(at("2026-06-01T09:00:00Z"));
    create_tier(&app, &t, tier("base", 0, 0)).await;
    create_tier(
        &app,
        &t,
        json!({
            "code": "gold", "name_en": "Gold", "rank": 1,
            "qualification": {"metric": "points_earned", "threshold": 5000, "window": "calendar_year"},
            "retention": {"threshold": 4000, "validityMonths": 12},
            "downgrade": {"policy": "to_qualifying", "graceDays": 30}
        }),
    )
    .await;
    let (_, m) = app.member_token("ok-year").await;
    earn(&app, &t, &m, 5000).await;
    drained(&app).await;
    // Reached in June 2026: held through 2027, evaluated on the whole of 2027.
    let p = projection(&app, &t, &m).await;
    assert_eq!(p["currentTier"]["code"], "gold");
    assert_eq!(p["validUntil"], "2028-01-01T00:00:00Z");
    assert_eq!(p["retention"]["evaluatesAt"], "2028-01-31T00:00:00Z");
    // Points spread over 2027 count, all of them.
    for (day, ext) in [("2027-02-01T10:00:00Z", "a"), ("2027-11-30T10:00:00Z", "b")] {
        clock.set(at(day));
        app.post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "points": 2000, "source": "test", "externalId": ext}),
        )
        .await
        .expect(201);
    }
    drained(&app).await;
    clock.set(at("2028-01-31T00:00:01Z"));
    evaluate(&app).await;
    let p = projection(&app, &t, &m).await;
    assert_eq!(p["currentTier"]["code"], "gold", "4000 in 2027 keeps gold: {p}");
    assert_eq!(p["validUntil"], "2029-01-01T00:00:00Z");
}

#[tokio::test]
async fn overrides_pin_a_tier_until_they_end_and_are_not_a_floor() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let clock = app.running().state.clock.clone();
    clock.set(at("2027-05-01T00:00:00Z"));
    create_tier(&app, &t, tier("base", 0, 0)).await;
    create_tier(&app, &t, tier("silver", 1, 1000)).await;
    let vip = create_tier(
        &app,
        &t,
        json!({
            "code": "vip", "name_en": "VIP", "rank": 5, "manualOnly": true,
            "qualification": {"metric": "points_earned", "threshold": 0, "window": "lifetime"}
        }),
    )
    .await;
    app.post(
        "/point/api/point-rules",
        Some(&t),
        json!({"code": "vip-bonus", "name": "VIP x5", "kind": "purchase", "pointsPerUnit": 1, "unitAmount": 100, "tierMultipliers": {"vip": 5.0}}),
    )
    .await
    .expect(201);
    let (mt, m) = app.member_token("ok-vip").await;
    // Validation and permissions.
    let path = format!("/cluster/api/tier-projections/{m}/override");
    let r = app.post(&path, Some(&t), json!({"reason": ""})).await.expect(400);
    assert_eq!(r.error_fields(), ["reason", "tierId"]);
    let r = app
        .post(&path, Some(&t), json!({"tierCode": "nope", "reason": "x"}))
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["tierCode"]);
    let r = app
        .post(
            &path,
            Some(&t),
            json!({"tierCode": "vip", "reason": "x", "expiresAt": "2020-01-01T00:00:00Z"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["expiresAt"]);
    app.post(&path, Some(&mt), json!({"tierCode": "vip", "reason": "me"}))
        .await
        .expect(403);
    app.post(
        "/cluster/api/tier-projections/nobody/override",
        Some(&t),
        json!({"tierCode": "vip", "reason": "x"}),
    )
    .await
    .expect(404);
    app.delete(&path, Some(&t)).await.expect(404);
    // An invitation tier, for a month.
    let r = app
        .post(
            &path,
            Some(&t),
            json!({"tierId": vip["id"], "reason": "Brand ambassador", "expiresAt": "2027-06-01T00:00:00Z"}),
        )
        .await
        .expect(200);
    let p = r.data();
    assert_eq!(p["currentTier"]["code"], "vip");
    assert_eq!(p["source"], "manual");
    assert_eq!(p["override"]["reason"], "Brand ambassador");
    assert_eq!(p["override"]["expiresAt"], "2027-06-01T00:00:00Z");
    assert_eq!(p["projected"]["outcome"], "override_ends");
    assert_eq!(p["projected"]["tier"]["code"], "base");
    let ev = app.events("tier.changed").await;
    assert_eq!(ev.last().unwrap()["reason"], "override");
    assert_eq!(ev.last().unwrap()["source"], "manual");
    // Earning while overridden: the multiplier is the override's, and no automatic change.
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "purchase": {"amount": 30_000}, "source": "pos", "externalId": "v1"}),
        )
        .await
        .expect(201);
    assert_eq!(r.data()["transaction"]["points"], 1500);
    drained(&app).await;
    assert_eq!(projection(&app, &t, &m).await["currentTier"]["code"], "vip");
    assert_eq!(app.events("tier.changed").await.len(), 1);
    // It expires: evaluation resumes from activity (1500 earned: silver), below the override.
    clock.set(at("2027-06-01T00:00:01Z"));
    evaluate(&app).await;
    let p = projection(&app, &t, &m).await;
    assert_eq!(p["currentTier"]["code"], "silver");
    assert_eq!(p["source"], "auto");
    assert_eq!(p["override"], Value::Null);
    let ev = app.events("tier.changed").await;
    assert_eq!(ev.last().unwrap()["reason"], "override_expired");
    assert_eq!(ev.last().unwrap()["direction"], "down");
    // An override with no expiry, removed by staff.
    app.post(&path, Some(&t), json!({"tierCode": "base", "reason": "Fraud review"}))
        .await
        .expect(200);
    evaluate(&app).await;
    assert_eq!(projection(&app, &t, &m).await["currentTier"]["code"], "base");
    let r = app.delete(&path, Some(&t)).await.expect(200);
    assert_eq!(r.data()["currentTier"]["code"], "silver");
    let h = app
        .get(&format!("/cluster/api/tier-projections/{m}/history?limit=10"), Some(&t))
        .await
        .expect(200);
    let reasons: Vec<&str> = h.data()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["reason"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        ["override_removed", "override", "override_expired", "override"]
    );
    // Deleting a tier members hold needs reassignTo; they move with history and an event.
    let sid = sql_one(&app.db, "SELECT id FROM tiers WHERE code = 'silver'", vec![])
        .await
        .unwrap()
        .unwrap();
    let sid: String = sid.try_get("", "id").unwrap();
    let r = app
        .delete(&format!("/cluster/api/tiers/{sid}"), Some(&t))
        .await
        .expect(409);
    assert_eq!(r.error_fields(), ["reassignTo"]);
    app.delete(&format!("/cluster/api/tiers/{sid}?reassignTo=nope"), Some(&t))
        .await
        .expect(400);
    let base_id = sql_one(&app.db, "SELECT id FROM tiers WHERE code = 'base'", vec![])
        .await
        .unwrap()
        .unwrap();
    let base_id: String = base_id.try_get("", "id").unwrap();
    app.delete(&format!("/cluster/api/tiers/{sid}?reassignTo={base_id}"), Some(&t))
        .await
        .expect(200);
    let p = projection(&app, &t, &m).await;
    assert_eq!(p["currentTier"]["code"], "base");
    assert_eq!(app.events("tier.changed").await.last().unwrap()["reason"], "reassigned");
}

#[tokio::test]
async fn interests_staff_crud_and_members_replace_their_own() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let mk = |code: &str, order: i64| json!({"code": code, "name_en": format!("{code} en"), "name_th": format!("{code} th"), "sortOrder": order});
    let food = app
        .post("/cluster/api/interests", Some(&t), mk("food", 2))
        .await
        .expect(201)
        .body["data"]
        .clone();
    let travel = app
        .post("/cluster/api/interests", Some(&t), mk("travel", 1))
        .await
        .expect(201)
        .body["data"]
        .clone();
    let golf = app
        .post("/cluster/api/interests", Some(&t), mk("golf", 3))
        .await
        .expect(201)
        .body["data"]
        .clone();
    app.post("/cluster/api/interests", Some(&t), mk("food", 9))
        .await
        .expect(409);
    let r = app
        .post("/cluster/api/interests", Some(&t), json!({"code": "X", "name_en": ""}))
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["code", "name_en"]);
    let (mt, m) = app.member_token("ok-hobbies").await;
    app.post("/cluster/api/interests", Some(&mt), mk("hack", 1))
        .await
        .expect(403);
    // Public list by sort order, with locale.
    let r = app.get("/cluster/api/interests?locale=th", None).await.expect(200);
    let codes: Vec<&str> = r.data()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["travel", "food", "golf"]);
    assert_eq!(r.data()["data"][0]["name"], "travel th");
    let gid = golf["id"].as_str().unwrap();
    app.patch(
        &format!("/cluster/api/interests/{gid}"),
        Some(&t),
        json!({"active": false}),
    )
    .await
    .expect(200);
    let r = app.get("/cluster/api/interests?active=true", None).await.expect(200);
    assert_eq!(r.data()["meta"]["total"], 2);
    // A member replaces their set; an inactive or unknown interest is a 400 naming the field.
    let r = app
        .put(
            "/cluster/api/interests/me",
            Some(&mt),
            json!({"interestIds": [food["id"], gid]}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["interestIds"]);
    let r = app
        .put(
            "/cluster/api/interests/me",
            Some(&mt),
            json!({"interestIds": [food["id"], travel["id"], food["id"]]}),
        )
        .await
        .expect(200);
    assert_eq!(r.data().as_array().unwrap().len(), 2);
    // The same set again emits nothing.
    app.put(
        "/cluster/api/interests/me",
        Some(&mt),
        json!({"interestIds": [travel["id"], food["id"]]}),
    )
    .await
    .expect(200);
    let r = app
        .put(
            "/cluster/api/interests/me",
            Some(&mt),
            json!({"interestIds": [travel["id"]]}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()[0]["code"], "travel");
    let ev = app.events("member.interests_updated").await;
    assert_eq!(ev.len(), 2, "{ev:?}");
    let mut added: Vec<&str> = ev[0]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    added.sort_unstable();
    assert_eq!(added, ["food", "travel"]);
    assert_eq!(ev[0]["memberId"], m.as_str());
    assert_eq!(ev[1]["removed"], json!(["food"]));
    assert_eq!(ev[1]["interestCodes"], json!(["travel"]));
    // Staff (and the member) read them; other members get a 404.
    let r = app
        .get(&format!("/cluster/api/interests/members/{m}?locale=en"), Some(&t))
        .await
        .expect(200);
    assert_eq!(r.data()[0]["name"], "travel en");
    app.get("/cluster/api/interests/me", Some(&mt)).await.expect(200);
    let (other, _) = app.member_token("ok-other-hobbies").await;
    app.get(&format!("/cluster/api/interests/members/{m}"), Some(&other))
        .await
        .expect(404);
    app.get("/cluster/api/interests/members/nobody", Some(&t))
        .await
        .expect(404);
    app.put("/cluster/api/interests/me", Some(&t), json!({"interestIds": []}))
        .await
        .expect(403);
    // Deleting an interest removes it from members' sets.
    app.delete(
        &format!("/cluster/api/interests/{}", travel["id"].as_str().unwrap()),
        Some(&t),
    )
    .await
    .expect(200);
    let r = app.get("/cluster/api/interests/me", Some(&mt)).await.expect(200);
    assert_eq!(r.data(), &json!([]));
    app.get(
        &format!("/cluster/api/interests/{}", travel["id"].as_str().unwrap()),
        None,
    )
    .await
    .expect(404);
}

async fn create_badge(app: &TestApp, t: &str, body: Value) -> Value {
    app.post("/cluster/api/badges", Some(t), body).await.expect(201).body["data"].clone()
}

/// Waits until every consumer has read every event in the outbox.
async fn all_drained(app: &TestApp) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let last = count(app, "SELECT COALESCE(MAX(id), 0) AS n FROM events").await;
        let behind = count(
            app,
            &format!("SELECT COUNT(*) AS n FROM consumer_offsets WHERE last_event_id < {last}"),
        )
        .await;
        let consumers = count(app, "SELECT COUNT(*) AS n FROM consumer_offsets").await;
        if behind == 0 && consumers >= 4 {
            // A consumer's handler may itself emit (an award): go round until nothing is new.
            if count(app, "SELECT COALESCE(MAX(id), 0) AS n FROM events").await == last {
                return;
            }
        }
        assert!(std::time::Instant::now() < deadline, "consumers never caught up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn purchase(app: &TestApp, t: &str, m: &str, amount: i64, store: &str, category: &str, ext: &str) {
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(t),
            json!({"memberId": m, "source": "pos", "externalId": ext,
                   "purchase": {"amount": amount, "storeId": store, "storeCategory": category}}),
        )
        .await;
    assert!(matches!(r.status.as_u16(), 200 | 201), "{}", r.body);
}

#[tokio::test]
async fn badges_progress_award_once_credit_points_once_and_can_be_revoked() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let clock = app.running().state.clock.clone();
    clock.set(at("2027-03-01T10:00:00Z"));
    let lifetime = json!({"kind": "lifetime"});
    let welcome = create_badge(
        &app,
        &t,
        json!({
            "code": "welcome", "name_en": "Welcome", "visibility": "public", "rewardPoints": 20,
            "criteria": {"event": "registration", "measure": "count", "target": 1, "window": lifetime}
        }),
    )
    .await;
    let first = create_badge(
        &app,
        &t,
        json!({
            "code": "first-purchase", "name_en": "First purchase", "name_th": "ซื้อครั้งแรก", "category": "shopping",
            "visibility": "public", "rewardPoints": 50,
            "imageUrl": "https://img.example/first.png", "lockedImageUrl": "https://img.example/first-grey.png",
            "criteria": {"event": "purchase", "measure": "count", "target": 1, "window": lifetime}
        }),
    )
    .await;
    let spender = create_badge(&app, &t, json!({
        "code": "fashionista", "name_en": "Fashionista", "category": "shopping", "visibility": "public",
        "rewardPoints": 100, "repeatable": true, "maxAwards": 2,
        "criteria": {"event": "purchase", "measure": "sum_amount", "target": 500000, "window": {"kind": "calendar_month"},
                     "filters": {"storeCategories": ["fashion"], "minAmount": 1000}}
    })).await;
    let explorer = create_badge(
        &app,
        &t,
        json!({
            "code": "explorer", "name_en": "Explorer", "visibility": "public",
            "criteria": {"event": "purchase", "measure": "distinct_stores", "target": 3, "window": lifetime}
        }),
    )
    .await;
    let checkin = create_badge(&app, &t, json!({
        "code": "regular", "name_en": "Regular", "visibility": "public",
        "criteria": {"event": "action", "action": "checkin", "measure": "distinct_days", "target": 3, "window": {"kind": "rolling_days", "days": 7}}
    })).await;
    let secret = create_badge(&app, &t, json!({
        "code": "insider", "name_en": "Insider", "visibility": "invite_only", "rewardPoints": 500,
        "criteria": {"event": "tier_changed", "measure": "count", "target": 1, "window": lifetime, "filters": {"tiers": ["silver"]}}
    })).await;
    create_badge(
        &app,
        &t,
        json!({
            "code": "songkran-2026", "name_en": "Songkran 2026", "visibility": "seasonal",
            "startsAt": "2026-04-01T00:00:00Z", "endsAt": "2026-04-30T00:00:00Z",
            "criteria": {"event": "purchase", "measure": "count", "target": 1, "window": lifetime}
        }),
    )
    .await;
    // Criteria are checked, each problem naming its field.
    let r = app.post("/cluster/api/badges", Some(&t), json!({
        "code": "bad", "name_en": "Bad", "visibility": "seasonal", "maxAwards": 3,
        "criteria": {"event": "action", "measure": "sum_amount", "target": 0, "window": {"kind": "rolling_days"}}
    })).await.expect(400);
    assert_eq!(
        r.error_fields(),
        [
            "endsAt",
            "criteria.action",
            "criteria.measure",
            "criteria.target",
            "criteria.window.days",
            "maxAwards"
        ]
    );
    app.post(
        "/cluster/api/badges",
        Some(&t),
        json!({"code": "welcome", "name_en": "x", "visibility": "public",
        "criteria": {"event": "registration", "measure": "count", "target": 1, "window": lifetime}}),
    )
    .await
    .expect(409);
    // The public list hides invitation badges; staff see them.
    let r = app.get("/cluster/api/badges?limit=100", None).await.expect(200);
    assert_eq!(r.data()["meta"]["total"], 6);
    let r = app.get("/cluster/api/badges?limit=100", Some(&t)).await.expect(200);
    assert_eq!(r.data()["meta"]["total"], 7);
    app.get(&format!("/cluster/api/badges/{}", secret["id"].as_str().unwrap()), None)
        .await
        .expect(404);
    app.get(
        &format!("/cluster/api/badges/{}?locale=th", first["id"].as_str().unwrap()),
        None,
    )
    .await
    .expect(200);

    // Registration: the welcome badge and its 20 points.
    let (mt, m) = app.member_token("ok-badger").await;
    // Purchases: the first one gives "first purchase"; fashion adds up per calendar month.
    purchase(&app, &t, &m, 300_000, "s1", "fashion", "o1").await;
    purchase(&app, &t, &m, 500, "s1", "fashion", "o-small").await; // below minAmount
    all_drained(&app).await;
    let mine = app
        .get("/cluster/api/badge-member-progress/me?limit=50&locale=th", Some(&mt))
        .await
        .expect(200);
    let by_code = |page: &Value, code: &str| -> Value {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["badge"]["code"] == code)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let d = mine.data();
    assert_eq!(by_code(d, "welcome")["earned"], true);
    let f = by_code(d, "first-purchase");
    assert_eq!(f["earned"], true);
    assert_eq!(f["imageUrl"], "https://img.example/first.png");
    assert_eq!(f["badge"]["name"], "ซื้อครั้งแรก");
    let s = by_code(d, "fashionista");
    assert_eq!(
        (s["earned"].clone(), s["value"].clone(), s["percentage"].clone()),
        (json!(false), json!(300000), json!(60.0))
    );
    assert_eq!(
        by_code(d, "insider"),
        Value::Null,
        "invitation badges stay hidden until earned"
    );
    assert_eq!(by_code(d, "songkran-2026"), Value::Null, "out of season");
    assert_eq!(d["meta"]["total"], 5);
    assert_eq!(d["data"][0]["earned"], true, "earned first");
    // More fashion: the first award; progress restarts; a second award; then the cap.
    purchase(&app, &t, &m, 250_000, "s2", "fashion", "o2").await;
    purchase(&app, &t, &m, 100_000, "s2", "groceries", "o3").await;
    all_drained(&app).await;
    purchase(&app, &t, &m, 600_000, "s3", "fashion", "o4").await;
    all_drained(&app).await;
    purchase(&app, &t, &m, 900_000, "s3", "fashion", "o5").await;
    all_drained(&app).await;
    let awarded = app.events("badge.awarded").await;
    let mut codes: Vec<(&str, i64)> = awarded
        .iter()
        .map(|e| (e["badgeCode"].as_str().unwrap(), e["seq"].as_i64().unwrap()))
        .collect();
    codes.sort_unstable();
    assert_eq!(
        codes,
        [
            ("explorer", 1),
            ("fashionista", 1),
            ("fashionista", 2),
            ("first-purchase", 1),
            ("welcome", 1)
        ],
        "the fashion cap of 2 holds, the small purchase and groceries did not count: {awarded:?}"
    );
    // Check-ins on three distinct days within a week.
    for (day, ext) in [
        ("2027-03-02T09:00:00Z", "c1"),
        ("2027-03-02T18:00:00Z", "c2"),
        ("2027-03-04T09:00:00Z", "c3"),
        ("2027-03-05T09:00:00Z", "c4"),
    ] {
        clock.set(at(day));
        let r = app
            .post(
                "/point/api/transactions/earn",
                Some(&t),
                json!({"memberId": m, "action": "checkin", "source": "app", "externalId": ext}),
            )
            .await;
        assert!(matches!(r.status.as_u16(), 200 | 201), "{}", r.body);
    }
    all_drained(&app).await;
    assert_eq!(
        app.events("badge.awarded").await.last().unwrap()["badgeCode"],
        "regular"
    );
    // Points: each award with rewardPoints credited once, with source `badge`.
    let badge_points = count(&app, &format!("SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) AS n FROM point_transactions WHERE member_id = '{m}' AND source = 'badge'")).await;
    assert_eq!(badge_points, 20 + 50 + 100 + 100);
    // Replaying every event changes nothing.
    sql_exec(&app.db, "UPDATE consumer_offsets SET last_event_id = 0", vec![])
        .await
        .unwrap();
    sql_exec(&app.db, "DELETE FROM processed_events", vec![]).await.unwrap();
    all_drained(&app).await;
    assert_eq!(app.events("badge.awarded").await.len(), 6);
    let again = count(&app, &format!("SELECT CAST(COALESCE(SUM(points), 0) AS BIGINT) AS n FROM point_transactions WHERE member_id = '{m}' AND source = 'badge'")).await;
    assert_eq!(again, badge_points);
    // Staff: progress by badge and by member.
    let r = app
        .get(
            &format!(
                "/cluster/api/badge-member-progress?badgeId={}",
                spender["id"].as_str().unwrap()
            ),
            Some(&t),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
    assert_eq!(r.data()["data"][0]["awards"], 2);
    assert_eq!(r.data()["data"][0]["value"], 0, "capped: no more progress");
    let r = app
        .get(
            &format!("/cluster/api/badge-member-progress?memberId={m}&limit=100"),
            Some(&t),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 5); // the five badges events moved (none for the out-of-season one)
    app.get("/cluster/api/badge-member-progress", Some(&mt))
        .await
        .expect(403);
    // By hand: a non-repeatable badge already held is a 409; an invitation badge is given and
    // then shows; revoking takes its points back, once.
    let path = |b: &Value| format!("/cluster/api/badges/{}/awards", b["id"].as_str().unwrap());
    app.post(&path(&welcome), Some(&t), json!({"memberId": m, "reason": "again"}))
        .await
        .expect(409);
    app.post(&path(&secret), Some(&t), json!({"memberId": "nobody", "reason": "x"}))
        .await
        .expect(404);
    app.post(&path(&secret), Some(&mt), json!({"memberId": m, "reason": "x"}))
        .await
        .expect(403);
    let a = app
        .post(
            &path(&secret),
            Some(&t),
            json!({"memberId": m, "reason": "Launch party"}),
        )
        .await
        .expect(201);
    assert_eq!(a.data()["source"], "manual");
    let award_id = a.data()["id"].as_str().unwrap().to_string();
    all_drained(&app).await;
    let mine = app
        .get("/cluster/api/badge-member-progress/me?limit=50", Some(&mt))
        .await
        .expect(200);
    assert_eq!(by_code(mine.data(), "insider")["earned"], true);
    let balance_before = app.get("/point/api/balance/me", Some(&mt)).await.expect(200).data()["balance"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/cluster/api/badge-awards/{award_id}/revoke"),
        Some(&t),
        json!({"reason": "mistake"}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/cluster/api/badge-awards/{award_id}/revoke"),
        Some(&t),
        json!({"reason": "mistake"}),
    )
    .await
    .expect(409);
    app.post(
        "/cluster/api/badge-awards/nope/revoke",
        Some(&t),
        json!({"reason": "x"}),
    )
    .await
    .expect(404);
    all_drained(&app).await;
    let balance_after = app.get("/point/api/balance/me", Some(&mt)).await.expect(200).data()["balance"]
        .as_i64()
        .unwrap();
    assert_eq!(balance_before - balance_after, 500);
    let mine = app
        .get("/cluster/api/badge-member-progress/me?limit=50", Some(&mt))
        .await
        .expect(200);
    assert_eq!(
        by_code(mine.data(), "insider"),
        Value::Null,
        "hidden again once revoked"
    );
    // Deleting a badge keeps what members earned.
    app.delete(
        &format!("/cluster/api/badges/{}", explorer["id"].as_str().unwrap()),
        Some(&t),
    )
    .await
    .expect(200);
    let mine = app
        .get("/cluster/api/badge-member-progress/me?limit=50", Some(&mt))
        .await
        .expect(200);
    assert_eq!(by_code(mine.data(), "explorer")["earned"], true);
    let _ = checkin;
    crate::point::assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn reaching_a_tier_can_award_a_badge() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    create_tier(&app, &t, tier("base", 0, 0)).await;
    create_tier(&app, &t, tier("silver", 1, 100)).await;
    create_badge(&app, &t, json!({
        "code": "silver-club", "name_en": "Silver club", "visibility": "invite_only",
        "criteria": {"event": "tier_changed", "measure": "count", "target": 1, "window": {"kind": "lifetime"}, "filters": {"tiers": ["silver"]}}
    })).await;
    let (mt, m) = app.member_token("ok-silver-club").await;
    earn(&app, &t, &m, 100).await;
    all_drained(&app).await;
    let mine = app
        .get("/cluster/api/badge-member-progress/me", Some(&mt))
        .await
        .expect(200);
    assert_eq!(mine.data()["data"][0]["badge"]["code"], "silver-club");
    assert_eq!(mine.data()["data"][0]["earned"], true);
}

#[tokio::test]
async fn approved_receipts_and_purchases_in_the_tier_currency_count_towards_amount_tiers() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    create_tier(&app, &t, tier("base", 0, 0)).await;
    create_tier(
        &app,
        &t,
        json!({"code": "spender", "name_en": "Spender", "rank": 1,
               "qualification": {"metric": "purchase_amount", "currency": "THB", "threshold": 1_000_000, "window": "calendar_year"}}),
    )
    .await;
    let (mt, m) = app.member_token("ok-receipts-tier").await;
    let r = crate::point::upload(&app, &mt, "R-1", crate::point::png(7), "700000").await;
    assert_eq!(r.status.as_u16(), 201, "{}", r.body);
    let id = r.data()["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/point/api/receipts/{id}/approve"),
        Some(&t),
        json!({"amount": 600_000}),
    )
    .await
    .expect(200);
    // A purchase in another currency does not count for a THB tier.
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": m, "source": "pos", "externalId": "usd-1", "purchase": {"amount": 900_000, "currency": "USD"}}),
    )
    .await;
    drained(&app).await;
    let p = projection(&app, &t, &m).await;
    assert_eq!(p["currentTier"]["code"], "base");
    assert_eq!(
        p["nextTier"]["qualification"]["value"], 600_000,
        "the approved amount, THB only: {p}"
    );
    assert_eq!(p["nextTier"]["qualification"]["currency"], "THB");
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": m, "source": "pos", "externalId": "thb-1", "purchase": {"amount": 400_000}}),
    )
    .await;
    drained(&app).await;
    let p = projection(&app, &t, &m).await;
    assert_eq!(p["currentTier"]["code"], "spender");
    assert_eq!(p["qualifying"]["value"], 1_000_000);
    assert_eq!(p["nextTier"], Value::Null);
}

#[tokio::test]
async fn badges_are_edited_filtered_and_listed_by_who_asks() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let b = create_badge(
        &app,
        &t,
        json!({
            "code": "coffee", "name_en": "Coffee lover", "category": "food", "visibility": "public",
            "criteria": {"event": "purchase", "measure": "count", "target": 5, "window": {"kind": "calendar_week"},
                         "filters": {"storeCategories": ["cafe"]}}
        }),
    )
    .await;
    create_badge(&app, &t, json!({
        "code": "vip-night", "name_en": "VIP night", "category": "events", "visibility": "invite_only",
        "criteria": {"event": "action", "action": "vip-night", "measure": "count", "target": 1, "window": {"kind": "lifetime"}}
    })).await;
    let id = b["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("/cluster/api/badges/{id}"),
            Some(&t),
            json!({"name_th": "คอกาแฟ", "repeatable": true, "maxAwards": 3}),
        )
        .await
        .expect(200);
    assert_eq!(
        (r.data()["name_th"].clone(), r.data()["maxAwards"].clone()),
        (json!("คอกาแฟ"), json!(3))
    );
    let r = app
        .patch(&format!("/cluster/api/badges/{id}"), Some(&t), json!({"code": "tea"}))
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["code"]);
    let r = app
        .patch(
            &format!("/cluster/api/badges/{id}"),
            Some(&t),
            json!({"criteria": {"event": "purchase", "measure": "count", "target": 5, "window": {"kind": "fixed"}}}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["criteria.window.to"]);
    let viewer = app.staff_token("viewer").await;
    app.patch(
        &format!("/cluster/api/badges/{id}"),
        Some(&viewer),
        json!({"name_en": "x"}),
    )
    .await
    .expect(403);
    let r = app
        .get("/cluster/api/badges?category=food&locale=th", None)
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
    assert_eq!(r.data()["data"][0]["name"], "คอกาแฟ");
    let r = app
        .get("/cluster/api/badges?visibility=invite_only", Some(&viewer))
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
    let r = app
        .get("/cluster/api/badges?visibility=invite_only", None)
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 0);
    app.get("/cluster/api/badges?visibility=secret", None).await.expect(400);
    app.get("/cluster/api/badges?sortBy=points", None).await.expect(400);
    app.delete(&format!("/cluster/api/badges/{id}"), Some(&t))
        .await
        .expect(200);
    app.delete(&format!("/cluster/api/badges/{id}"), Some(&t))
        .await
        .expect(404);
    app.get(&format!("/cluster/api/badges/{id}"), None).await.expect(404);
    let r = app
        .get("/cluster/api/badges?includeDeletedAt=true", Some(&t))
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 2);
    let r = app
        .get("/cluster/api/badges?includeDeletedAt=true", None)
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 0, "the public never sees deleted badges");
    app.get("/cluster/api/badges", Some("not-a-token")).await.expect(401);
}

#[tokio::test]
async fn the_default_moves_in_one_patch_and_a_held_tier_cannot_be_switched_off() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let base = create_tier(&app, &t, {
        let mut b = tier("base", 1, 50);
        b["isDefault"] = json!(true);
        b
    })
    .await;
    let starter = create_tier(
        &app,
        &t,
        json!({
            "code": "starter", "name_en": "Starter", "rank": 0, "active": false,
            "qualification": {"metric": "points_earned", "threshold": 0, "window": "lifetime"}
        }),
    )
    .await;
    create_tier(&app, &t, tier("silver", 2, 100)).await;
    // Bring starter in below base and make it the default: base loses the flag in the same write.
    let sid = starter["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("/cluster/api/tiers/{sid}"),
            Some(&t),
            json!({"active": true, "isDefault": true}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["isDefault"], true);
    let b = app
        .get(&format!("/cluster/api/tiers/{}", base["id"].as_str().unwrap()), None)
        .await
        .expect(200);
    assert_eq!(b.data()["isDefault"], false);
    let (_, m) = app.member_token("ok-held").await;
    earn(&app, &t, &m, 100).await;
    drained(&app).await;
    assert_eq!(projection(&app, &t, &m).await["currentTier"]["code"], "silver");
    let silver = sql_one(&app.db, "SELECT id FROM tiers WHERE code = 'silver'", vec![])
        .await
        .unwrap()
        .unwrap();
    let silver: String = silver.try_get("", "id").unwrap();
    let r = app
        .patch(
            &format!("/cluster/api/tiers/{silver}"),
            Some(&t),
            json!({"active": false}),
        )
        .await
        .expect(409);
    assert_eq!(r.error_fields(), ["active"]);
}

#[tokio::test]
async fn deleting_an_interest_tells_each_member_who_had_it() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let i = app
        .post(
            "/cluster/api/interests",
            Some(&t),
            json!({"code": "golf", "name_en": "Golf"}),
        )
        .await
        .expect(201);
    let j = app
        .post(
            "/cluster/api/interests",
            Some(&t),
            json!({"code": "wine", "name_en": "Wine"}),
        )
        .await
        .expect(201);
    let (mt, m) = app.member_token("ok-golfer").await;
    // Concurrent replacements by one member end with one of the sets, never a 500.
    let a = app.put(
        "/cluster/api/interests/me",
        Some(&mt),
        json!({"interestIds": [i.data()["id"], j.data()["id"]]}),
    );
    let b = app.put(
        "/cluster/api/interests/me",
        Some(&mt),
        json!({"interestIds": [i.data()["id"]]}),
    );
    let (a, b) = tokio::join!(a, b);
    assert_eq!((a.status.as_u16(), b.status.as_u16()), (200, 200));
    app.delete(
        &format!("/cluster/api/interests/{}", i.data()["id"].as_str().unwrap()),
        Some(&t),
    )
    .await
    .expect(200);
    let ev = app.events("member.interests_updated").await;
    let last = ev.last().unwrap();
    assert_eq!(last["memberId"], m.as_str());
    assert_eq!(last["removed"], json!(["golf"]));
}

#[tokio::test]
async fn a_retried_action_counts_once_and_receipt_badges_take_no_store_filter() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let r = app.post("/cluster/api/badges", Some(&t), json!({
        "code": "r", "name_en": "R", "visibility": "public",
        "criteria": {"event": "receipt_approved", "measure": "count", "target": 1, "window": {"kind": "lifetime"},
                     "filters": {"stores": ["s1"]}}
    })).await.expect(400);
    assert_eq!(r.error_fields(), ["criteria.filters"]);
    create_badge(&app, &t, json!({
        "code": "twice", "name_en": "Came twice", "visibility": "public",
        "criteria": {"event": "action", "action": "visit", "measure": "count", "target": 2, "window": {"kind": "lifetime"}}
    })).await;
    let (mt, m) = app.member_token("ok-visitor").await;
    for ext in ["v1", "v1", "v1"] {
        let r = app
            .post(
                "/point/api/transactions/earn",
                Some(&t),
                json!({"memberId": m, "action": "visit", "source": "door", "externalId": ext}),
            )
            .await;
        assert!(matches!(r.status.as_u16(), 200 | 201), "{}", r.body);
    }
    all_drained(&app).await;
    assert!(
        app.events("badge.awarded").await.is_empty(),
        "a retried visit is one visit"
    );
    let mine = app
        .get("/cluster/api/badge-member-progress/me", Some(&mt))
        .await
        .expect(200);
    assert_eq!(mine.data()["data"][0]["value"], 1);
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": m, "action": "visit", "source": "door", "externalId": "v2"}),
    )
    .await;
    all_drained(&app).await;
    assert_eq!(app.events("badge.awarded").await.len(), 1);
}

#[tokio::test]
async fn an_anonymised_member_s_interests_are_forgotten() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let i = app
        .post(
            "/cluster/api/interests",
            Some(&t),
            json!({"code": "yoga", "name_en": "Yoga"}),
        )
        .await
        .expect(201);
    let (mt, m) = app.member_token("ok-forget-me").await;
    app.put(
        "/cluster/api/interests/me",
        Some(&mt),
        json!({"interestIds": [i.data()["id"]]}),
    )
    .await
    .expect(200);
    app.delete(&format!("/auth/api/members/{m}"), Some(&t))
        .await
        .expect(200);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while count(
        &app,
        &format!("SELECT COUNT(*) AS n FROM member_interests WHERE member_id = '{m}'"),
    )
    .await
        > 0
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the interests were never forgotten"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let r = app
        .get(&format!("/cluster/api/interests/members/{m}"), Some(&t))
        .await
        .expect(200);
    assert_eq!(r.data(), &json!([]));
}
