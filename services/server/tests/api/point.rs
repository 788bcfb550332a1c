//! The point service: ledger, idempotency, concurrency, reversals, expiry, rules, receipts,
//! tickets. Every scenario ends by checking the ledger's invariants.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

/// The sum of entries equals the balance, and the live lots add up to it, for every member.
pub async fn assert_ledger_consistent(app: &TestApp) {
    let rows = sql_all(
        &app.db,
        "SELECT b.member_id, b.balance, \
         (SELECT CAST(COALESCE(SUM(t.points), 0) AS BIGINT) FROM point_transactions t WHERE t.member_id = b.member_id) AS entries, \
         (SELECT CAST(COALESCE(SUM(l.remaining), 0) AS BIGINT) FROM point_lots l WHERE l.member_id = b.member_id) AS lots \
         FROM point_balances b",
        vec![],
    )
    .await
    .unwrap();
    for r in rows {
        let m: String = r.try_get("", "member_id").unwrap();
        let b: i64 = r.try_get("", "balance").unwrap();
        let e: i64 = r.try_get("", "entries").unwrap();
        let l: i64 = r.try_get("", "lots").unwrap();
        assert!(b >= 0, "negative balance for {m}");
        assert_eq!(b, e, "balance of {m} differs from the sum of its entries");
        assert_eq!(b, l, "balance of {m} differs from its live lots");
    }
}

async fn staff(app: &TestApp) -> String {
    app.admin_token().await
}

async fn member(app: &TestApp, code: &str) -> (String, String) {
    app.member_token(code).await
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

async fn balance(app: &TestApp, t: &str, member: &str) -> Value {
    app.get(&format!("/point/api/balance/{member}"), Some(t))
        .await
        .expect(200)
        .body["data"]
        .clone()
}

#[tokio::test]
async fn earn_spend_balance_and_history() {
    let app = spawn_app().await;
    let t = staff(&app).await;
    let (mt, m) = member(&app, "ok-ledger").await;
    let b = balance(&app, &t, &m).await;
    assert_eq!(b["balance"], 0);
    app.get("/point/api/balance/nobody", Some(&t)).await.expect(404);
    let e = earn(&app, &t, &m, 500).await;
    assert_eq!(e["balance"], 500);
    assert_eq!(e["transaction"]["type"], "earn");
    assert_eq!(e["duplicate"], false);
    let r = app
        .post(
            "/point/api/transactions/spend",
            Some(&t),
            json!({"memberId": m, "points": 120, "reason": "Coffee", "metadata": {"order": "A1"}}),
        )
        .await
        .expect(201);
    assert_eq!(r.data()["balance"], 380);
    assert_eq!(r.data()["transaction"]["points"], -120);
    assert_eq!(r.data()["transaction"]["metadata"]["order"], "A1");
    let r = app
        .post(
            "/point/api/transactions/spend",
            Some(&t),
            json!({"memberId": m, "points": 1000}),
        )
        .await
        .expect(422);
    assert_eq!(
        r.data()["message"],
        "Insufficient points: balance 380, requested 1000, short by 620"
    );
    assert_eq!(r.error_fields(), vec!["points"]);
    let b = app.get("/point/api/balance/me", Some(&mt)).await.expect(200);
    assert_eq!(b.data()["balance"], 380);
    assert_eq!(b.data()["lifetimeEarned"], 500);
    assert_eq!(b.data()["lifetimeSpent"], 120);
    // History: member's own, staff's filtered view, sort and pagination.
    let h = app.get("/point/api/transactions/me", Some(&mt)).await.expect(200);
    assert_eq!(h.data()["meta"]["total"], 2);
    assert_eq!(h.data()["data"][0]["type"], "spend", "newest first");
    let h = app
        .get(&format!("/point/api/transactions?memberId={m}&type=earn"), Some(&t))
        .await
        .expect(200);
    assert_eq!(h.data()["meta"]["total"], 1);
    let h = app
        .get(
            &format!("/point/api/transactions?memberId={m}&sortBy=points&sortOrder=asc&limit=1"),
            Some(&t),
        )
        .await
        .expect(200);
    assert_eq!(h.data()["data"][0]["points"], -120);
    assert_eq!(h.data()["meta"]["totalPages"], 2);
    let today = app.running().state.clock.now().date_naive();
    let h = app
        .get(
            &format!("/point/api/transactions?memberId={m}&dateFrom={today}&dateTo={today}"),
            Some(&t),
        )
        .await
        .expect(200);
    assert_eq!(h.data()["meta"]["total"], 2);
    app.get("/point/api/transactions?dateFrom=yesterday", Some(&t))
        .await
        .expect(400);
    app.get("/point/api/transactions?sortBy=balance", Some(&t))
        .await
        .expect(400);
    let id = e["transaction"]["id"].as_str().unwrap();
    app.get(&format!("/point/api/transactions/{id}"), Some(&mt))
        .await
        .expect(200);
    let (other, _) = member(&app, "ok-ledger-2").await;
    app.get(&format!("/point/api/transactions/{id}"), Some(&other))
        .await
        .expect(404);
    app.get("/point/api/transactions", Some(&mt)).await.expect(403);
    app.post(
        "/point/api/transactions/earn",
        Some(&mt),
        json!({"memberId": m, "points": 5}),
    )
    .await
    .expect(403);
    // Bad input loses nothing.
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "points": 5, "action": "x"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["points"]);
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "points": -5, "source": "bad source"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["points", "source"]);
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": "ghost", "points": 5}),
    )
    .await
    .expect(404);
    assert_eq!(balance(&app, &t, &m).await["balance"], 380);
    // Events carry what a consumer needs.
    let ev = app.events("points.spent").await;
    assert_eq!(ev[0]["memberId"], m.as_str());
    assert_eq!(ev[0]["points"], -120);
    assert_eq!(ev[0]["balance"], 380);
    assert!(ev[0]["lots"].as_array().unwrap().len() == 1);
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn a_retry_never_earns_twice() {
    let app = spawn_app().await;
    let t = staff(&app).await;
    let (_, m) = member(&app, "ok-retry").await;
    let body = json!({"memberId": m, "points": 100, "source": "pos", "externalId": "order-1"});
    let a = app
        .post("/point/api/transactions/earn", Some(&t), body.clone())
        .await
        .expect(201);
    let b = app
        .post("/point/api/transactions/earn", Some(&t), body.clone())
        .await
        .expect(200);
    assert_eq!(b.data()["duplicate"], true);
    assert_eq!(a.data()["transaction"]["id"], b.data()["transaction"]["id"]);
    // The same external id from another source is another movement.
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": m, "points": 1, "source": "web", "externalId": "order-1"}),
    )
    .await
    .expect(201);
    // Reusing it for another member or another kind of movement is refused.
    let (_, m2) = member(&app, "ok-retry-2").await;
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m2, "points": 100, "source": "pos", "externalId": "order-1"}),
        )
        .await
        .expect(409);
    assert_eq!(r.error_fields(), vec!["externalId"]);
    app.post(
        "/point/api/transactions/spend",
        Some(&t),
        json!({"memberId": m, "points": 1, "source": "pos", "externalId": "order-1"}),
    )
    .await
    .expect(409);
    // Concurrent duplicates: one entry.
    let body = json!({"memberId": m, "points": 10, "source": "pos", "externalId": "order-2"});
    let futs = (0..10).map(|_| app.post("/point/api/transactions/earn", Some(&t), body.clone()));
    let rs = futures::future::join_all(futs).await;
    assert_eq!(rs.iter().filter(|r| r.status == 201).count(), 1);
    assert!(
        rs.iter().all(|r| r.status == 201 || r.status == 200),
        "{:?}",
        rs.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    // Idempotency-Key works too.
    let h = [("idempotency-key", "k1")];
    let s1 = app
        .call_h(
            Method::POST,
            "/point/api/transactions/spend",
            Some(&t),
            Some(json!({"memberId": m, "points": 5})),
            &h,
        )
        .await
        .expect(201);
    let s2 = app
        .call_h(
            Method::POST,
            "/point/api/transactions/spend",
            Some(&t),
            Some(json!({"memberId": m, "points": 5})),
            &h,
        )
        .await
        .expect(201);
    assert_eq!(s1.data()["transaction"]["id"], s2.data()["transaction"]["id"]);
    assert_eq!(balance(&app, &t, &m).await["balance"], 100 + 1 + 10 - 5);
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn two_hundred_concurrent_spends_end_exact() {
    let app = spawn(
        Opts::default()
            .var("SBM_RATE_LIMIT_TOKEN_PER_HOUR", "100000")
            .var("SBM_DB_MAX_CONNECTIONS", "16"),
    )
    .await;
    let t = staff(&app).await;
    let (_, m) = member(&app, "ok-race-spend").await;
    earn(&app, &t, &m, 1000).await;
    let futs = (0..200).map(|i| {
        app.post(
            "/point/api/transactions/spend",
            Some(&t),
            json!({"memberId": m, "points": 7, "externalId": format!("s{i}")}),
        )
    });
    let rs = futures::future::join_all(futs).await;
    let ok = rs.iter().filter(|r| r.status == 201).count();
    let refused = rs.iter().filter(|r| r.status == 422).count();
    assert_eq!(ok, 142, "1000 / 7 spends fit");
    assert_eq!(refused, 58);
    assert_eq!(balance(&app, &t, &m).await["balance"], 1000 - 142 * 7);
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn spends_take_the_soonest_expiring_lots_first() {
    let app = spawn_app().await;
    let t = staff(&app).await;
    let (_, m) = member(&app, "ok-fifo").await;
    let now = app.running().state.clock.now();
    let in_days = |d: i64| (now + chrono::Duration::days(d)).to_rfc3339();
    for (pts, exp) in [(100, Some(in_days(10))), (100, None), (100, Some(in_days(5)))] {
        let mut body = json!({"memberId": m, "points": pts});
        if let Some(e) = exp {
            body["expiresAt"] = json!(e);
        }
        app.post("/point/api/transactions/earn", Some(&t), body)
            .await
            .expect(201);
    }
    app.post(
        "/point/api/transactions/spend",
        Some(&t),
        json!({"memberId": m, "points": 150}),
    )
    .await
    .expect(201);
    let b = balance(&app, &t, &m).await;
    assert_eq!(b["balance"], 150);
    // The 5-day lot is gone, the 10-day lot has 50 left, the lot without expiry is untouched.
    let lots = b["expiringLots"].as_array().unwrap();
    assert_eq!(lots.len(), 1);
    assert_eq!(lots[0]["points"], 50);
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn reversals_full_partial_and_bounded() {
    let app = spawn_app().await;
    let t = staff(&app).await;
    let (_, m) = member(&app, "ok-reverse").await;
    let e = earn(&app, &t, &m, 100).await;
    let eid = e["transaction"]["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            &format!("/point/api/transactions/{eid}/reverse"),
            Some(&t),
            json!({"points": 30, "reason": "Returned a shirt"}),
        )
        .await
        .expect(201);
    assert_eq!(r.data()["transaction"]["type"], "reverse");
    assert_eq!(r.data()["transaction"]["relatedId"], eid.as_str());
    assert_eq!(r.data()["balance"], 70);
    let r = app
        .post(
            &format!("/point/api/transactions/{eid}/reverse"),
            Some(&t),
            json!({"points": 80, "reason": "too much"}),
        )
        .await
        .expect(422);
    assert!(r.data()["message"].as_str().unwrap().contains("70 points left"));
    let g = app
        .get(&format!("/point/api/transactions/{eid}"), Some(&t))
        .await
        .expect(200);
    assert_eq!(g.data()["reversedPoints"], 30);
    // Spend, then refund part of it: points come back to the lots they came from.
    let s = app
        .post(
            "/point/api/transactions/spend",
            Some(&t),
            json!({"memberId": m, "points": 50}),
        )
        .await
        .expect(201);
    let sid = s.data()["transaction"]["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            &format!("/point/api/transactions/{sid}/reverse"),
            Some(&t),
            json!({"points": 20, "reason": "Refund"}),
        )
        .await
        .expect(201);
    assert_eq!(r.data()["transaction"]["points"], 20);
    assert_eq!(r.data()["balance"], 40);
    let b = balance(&app, &t, &m).await;
    assert_eq!(b["lifetimeSpent"], 30);
    assert_eq!(b["lifetimeEarned"], 70);
    // The rest of the earn cannot be reversed: 40 points are left but 70 remain to reverse.
    let r = app
        .post(
            &format!("/point/api/transactions/{eid}/reverse"),
            Some(&t),
            json!({"reason": "all"}),
        )
        .await
        .expect(422);
    assert!(r.data()["message"].as_str().unwrap().starts_with("Insufficient points"));
    // Concurrent full reversals of the spend: the remaining 30 go back once.
    let path = format!("/point/api/transactions/{sid}/reverse");
    let futs = (0..5).map(|_| app.post(&path, Some(&t), json!({"reason": "race"})));
    let rs = futures::future::join_all(futs).await;
    assert_eq!(rs.iter().filter(|r| r.status == 201).count(), 1);
    assert_eq!(balance(&app, &t, &m).await["balance"], 70);
    // A reversal cannot itself be reversed.
    let rid = r_id(&app, &t, &m).await;
    app.post(
        &format!("/point/api/transactions/{rid}/reverse"),
        Some(&t),
        json!({"reason": "x"}),
    )
    .await
    .expect(409);
    app.post("/point/api/transactions/nope/reverse", Some(&t), json!({"reason": "x"}))
        .await
        .expect(404);
    assert_eq!(app.events("points.reversed").await.len(), 3);
    assert_ledger_consistent(&app).await;
}

async fn r_id(app: &TestApp, t: &str, m: &str) -> String {
    let h = app
        .get(
            &format!("/point/api/transactions?memberId={m}&type=reverse&limit=1"),
            Some(t),
        )
        .await
        .expect(200);
    h.data()["data"][0]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn adjustments_are_staff_only_and_signed() {
    let app = spawn_app().await;
    let t = staff(&app).await;
    let (_, m) = member(&app, "ok-adjust").await;
    let r = app
        .post(
            "/point/api/transactions/adjust",
            Some(&t),
            json!({"memberId": m, "points": 40, "reason": "Goodwill"}),
        )
        .await
        .expect(201);
    assert_eq!(r.data()["transaction"]["type"], "adjust");
    app.post(
        "/point/api/transactions/adjust",
        Some(&t),
        json!({"memberId": m, "points": -10, "reason": "Correction"}),
    )
    .await
    .expect(201);
    app.post(
        "/point/api/transactions/adjust",
        Some(&t),
        json!({"memberId": m, "points": -100, "reason": "Too much"}),
    )
    .await
    .expect(422);
    app.post(
        "/point/api/transactions/adjust",
        Some(&t),
        json!({"memberId": m, "points": 0, "reason": ""}),
    )
    .await
    .expect(400);
    let (_, key) = app.api_key(&["points:write", "points:read"], json!("standard")).await;
    app.post(
        "/point/api/transactions/adjust",
        Some(&key),
        json!({"memberId": m, "points": 5, "reason": "x"}),
    )
    .await
    .expect(403);
    let b = balance(&app, &t, &m).await;
    assert_eq!(
        (
            b["balance"].as_i64(),
            b["lifetimeEarned"].as_i64(),
            b["lifetimeSpent"].as_i64()
        ),
        (Some(30), Some(0), Some(0))
    );
    assert_ledger_consistent(&app).await;
}

async fn create_rule(app: &TestApp, t: &str, body: Value) -> Value {
    app.post("/point/api/point-rules", Some(t), body).await.expect(201).body["data"].clone()
}

#[tokio::test]
async fn expiry_job_with_a_controllable_clock_expires_once() {
    let app = spawn(Opts::default().var("SBM_POINT_EXPIRY_INTERVAL_SECONDS", "3600")).await;
    let t = staff(&app).await;
    let (mt, m) = member(&app, "ok-expiry").await;
    create_rule(&app, &t, json!({"code": "base", "name": "Base", "kind": "purchase", "pointsPerUnit": 1, "unitAmount": 100, "lotValidityDays": 30})).await;
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "purchase": {"amount": 25000}}),
        )
        .await
        .expect(201);
    assert_eq!(r.data()["points"], 250);
    earn(&app, &t, &m, 10).await; // no expiry
    let b = balance(&app, &t, &m).await;
    assert_eq!(b["expiringLots"][0]["points"], 250);
    let clock = app.running().state.clock.clone();
    let start = clock.now();
    // Day 29: nothing due.
    clock.set(start + chrono::Duration::days(29));
    let rep = sbm_point::domain::ledger::expire_due(&app.db, clock.now())
        .await
        .unwrap();
    assert_eq!(rep.points, 0);
    // Day 31: due. Reads already hide due points before the sweep runs.
    clock.set(start + chrono::Duration::days(31));
    let b = app.get("/point/api/balance/me", Some(&mt)).await.expect(200);
    assert_eq!(b.data()["balance"], 10);
    // Two sweeps at once (two replicas): the points expire once.
    let (a, b2) = tokio::join!(
        sbm_point::domain::ledger::expire_due(&app.db, clock.now()),
        sbm_point::domain::ledger::expire_due(&app.db, clock.now())
    );
    assert_eq!(a.unwrap().points + b2.unwrap().points, 250);
    let again = sbm_point::domain::ledger::expire_due(&app.db, clock.now())
        .await
        .unwrap();
    assert_eq!(again.points, 0);
    let b = balance(&app, &t, &m).await;
    assert_eq!(b["balance"], 10);
    assert_eq!(b["lifetimeExpired"], 250);
    let ev = app.events("points.expired").await;
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0]["points"], 250);
    let h = app
        .get(&format!("/point/api/transactions?memberId={m}&type=expire"), Some(&t))
        .await
        .expect(200);
    assert_eq!(h.data()["data"][0]["points"], -250);
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn a_spend_never_uses_points_that_have_expired() {
    let app = spawn_app().await;
    let t = staff(&app).await;
    let (_, m) = member(&app, "ok-lazy").await;
    let start = app.running().state.clock.now();
    let soon = (start + chrono::Duration::days(1)).to_rfc3339();
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": m, "points": 100, "expiresAt": soon}),
    )
    .await
    .expect(201);
    earn(&app, &t, &m, 20).await;
    app.running().state.clock.set(start + chrono::Duration::days(2));
    let r = app
        .post(
            "/point/api/transactions/spend",
            Some(&t),
            json!({"memberId": m, "points": 50}),
        )
        .await
        .expect(422);
    assert!(
        r.data()["message"].as_str().unwrap().contains("balance 20"),
        "{}",
        r.body
    );
    app.post(
        "/point/api/transactions/spend",
        Some(&t),
        json!({"memberId": m, "points": 20}),
    )
    .await
    .expect(201);
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn point_rules_crud_simulate_and_caps() {
    let app = spawn_app().await;
    let t = staff(&app).await;
    let (_, m) = member(&app, "ok-rules").await;
    let r = app
        .post(
            "/point/api/point-rules",
            Some(&t),
            json!({"code": "Bad Code", "name": "", "kind": "purchase", "daysOfWeek": [9]}),
        )
        .await
        .expect(400);
    assert_eq!(
        r.error_fields(),
        vec!["code", "name", "pointsPerUnit", "unitAmount", "daysOfWeek"]
    );
    let r = app
        .post(
            "/point/api/point-rules",
            Some(&t),
            json!({"code": "x", "name": "x", "kind": "loyalty"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["kind"]);
    let base = create_rule(&app, &t, json!({"code": "base", "name": "1 point per 25 THB", "kind": "purchase", "pointsPerUnit": 1, "unitAmount": 2500, "stackable": true})).await;
    create_rule(
        &app,
        &t,
        json!({
            "code": "fashion-friday", "name": "Fashion Friday", "kind": "purchase", "priority": 10, "stackable": true,
            "pointsPerUnit": 2, "unitAmount": 2500, "storeCategories": ["fashion"], "daysOfWeek": [5],
            "tierMultipliers": {"gold": 1.5}, "capPerTransaction": 300, "capPerMemberPerDay": 400, "minAmount": 10000
        }),
    )
    .await;
    app.post(
        "/point/api/point-rules",
        Some(&t),
        json!({"code": "base", "name": "dup", "kind": "purchase", "pointsPerUnit": 1, "unitAmount": 1}),
    )
    .await
    .expect(409);
    // Simulate on a Friday in Bangkok: 100,000 satang = 40 units.
    let purchase = json!({"amount": 100000, "storeCategory": "fashion", "purchasedAt": "2026-11-27T12:00:00+07:00"});
    let s = app
        .post(
            "/point/api/point-rules/simulate",
            Some(&t),
            json!({"memberId": m, "purchase": purchase}),
        )
        .await
        .expect(200);
    assert_eq!(s.data()["points"], 80 + 40);
    let s = app
        .post(
            "/point/api/point-rules/simulate",
            Some(&t),
            json!({"tierCode": "gold", "purchase": purchase}),
        )
        .await
        .expect(200);
    assert_eq!(s.data()["breakdown"][0]["points"], 120);
    assert!(s.data()["breakdown"][0]["reason"].as_str().unwrap().contains("gold"));
    // The earn gives exactly what the simulation said.
    let e = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "purchase": purchase, "externalId": "r1", "source": "pos"}),
        )
        .await
        .expect(201);
    assert_eq!(e.data()["points"], 120);
    assert_eq!(e.data()["breakdown"].as_array().unwrap().len(), 2);
    // Daily cap: 400 per member per day for the promo; 80 given, 320 left.
    let big = json!({"amount": 1000000, "storeCategory": "fashion", "purchasedAt": "2026-11-27T15:00:00+07:00"});
    for (i, want_promo) in [(2, 300), (3, 20), (4, 0)] {
        let e = app
            .post(
                "/point/api/transactions/earn",
                Some(&t),
                json!({"memberId": m, "purchase": big, "externalId": format!("r{i}"), "source": "pos"}),
            )
            .await;
        let promo = e.data()["breakdown"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["code"] == "fashion-friday")
            .unwrap()
            .clone();
        assert_eq!(promo["points"], want_promo, "{promo}");
    }
    // Saturday, small amount, other category.
    let s = app
        .post(
            "/point/api/point-rules/simulate",
            Some(&t),
            json!({"purchase": {"amount": 5000, "storeCategory": "food", "purchasedAt": "2026-11-28T12:00:00+07:00"}}),
        )
        .await
        .expect(200);
    assert_eq!(s.data()["points"], 2);
    assert!(s.data()["breakdown"][0]["reason"].as_str().unwrap().contains("food"));
    // No rule matches: nothing is booked.
    let bid = base["id"].as_str().unwrap();
    app.patch(
        &format!("/point/api/point-rules/{bid}"),
        Some(&t),
        json!({"active": false}),
    )
    .await
    .expect(200);
    let e = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "purchase": {"amount": 5000}}),
        )
        .await
        .expect(200);
    assert!(e.data()["transaction"].is_null());
    assert_eq!(e.data()["points"], 0);
    // PATCH validates the merged rule; lists filter and sort.
    let r = app
        .patch(
            &format!("/point/api/point-rules/{bid}"),
            Some(&t),
            json!({"unitAmount": 0}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["unitAmount"]);
    app.patch(
        &format!("/point/api/point-rules/{bid}"),
        Some(&t),
        json!({"colour": "red"}),
    )
    .await
    .expect(400);
    let l = app
        .get(
            "/point/api/point-rules?active=true&sortBy=priority&sortOrder=desc",
            Some(&t),
        )
        .await
        .expect(200);
    assert_eq!(l.data()["meta"]["total"], 1);
    assert_eq!(l.data()["data"][0]["code"], "fashion-friday");
    app.get("/point/api/point-rules?sortBy=color", Some(&t))
        .await
        .expect(400);
    let viewer = app.staff_token("viewer").await;
    app.post(
        "/point/api/point-rules",
        Some(&viewer),
        json!({"code": "v", "name": "v", "kind": "action", "action": "a", "points": 1}),
    )
    .await
    .expect(403);
    app.delete(&format!("/point/api/point-rules/{bid}"), Some(&t))
        .await
        .expect(200);
    app.get(&format!("/point/api/point-rules/{bid}"), Some(&t))
        .await
        .expect(404);
    // Operator-managed rules are read-only here.
    let spec: sbm_point::domain::rules::RuleSpec = serde_json::from_value(
        json!({"code": "managed", "name": "M", "kind": "action", "action": "review", "points": 5}),
    )
    .unwrap();
    let managed =
        sbm_point::domain::rulestore::insert_rule(&app.db, &spec, Some("uid-1"), app.running().state.clock.now())
            .await
            .unwrap();
    let r = app
        .patch(
            &format!("/point/api/point-rules/{}", managed.id),
            Some(&t),
            json!({"points": 6}),
        )
        .await
        .expect(409);
    assert!(r.data()["message"].as_str().unwrap().contains("operator"));
    app.delete(&format!("/point/api/point-rules/{}", managed.id), Some(&t))
        .await
        .expect(409);
    let l = app
        .get("/point/api/point-rules?managed=true", Some(&t))
        .await
        .expect(200);
    assert_eq!(l.data()["data"][0]["managed"], true);
    // Named actions go through action rules.
    let e = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "action": "review", "externalId": "review-1", "source": "app"}),
        )
        .await
        .expect(201);
    assert_eq!(e.data()["points"], 5);
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn registration_bonus_arrives_exactly_once() {
    let app = spawn(Opts::default().var("SBM_OUTBOX_POLL_MS", "50")).await;
    let t = staff(&app).await;
    create_rule(&app, &t, json!({"code": "welcome", "name": "Welcome", "kind": "action", "action": "registration", "points": 100, "lotValidityDays": 365})).await;
    let (mt, m) = member(&app, "ok-welcome").await;
    let mut got = 0;
    for _ in 0..400 {
        got = app.get("/point/api/balance/me", Some(&mt)).await.expect(200).data()["balance"]
            .as_i64()
            .unwrap();
        if got > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(got, 100);
    // Logging in again registers nothing; a redelivered event gives nothing more.
    member(&app, "ok-welcome").await;
    sql_exec(&app.db, "UPDATE consumer_offsets SET last_event_id = 0", vec![])
        .await
        .unwrap();
    // Wait until the consumer has gone over every event again.
    let last: i64 = sql_one(&app.db, "SELECT MAX(id) AS id FROM events", vec![])
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let done: i64 = sql_one(
            &app.db,
            "SELECT last_event_id FROM consumer_offsets WHERE consumer = 'point.registration-bonus'",
            vec![],
        )
        .await
        .unwrap()
        .unwrap()
        .try_get("", "last_event_id")
        .unwrap();
        if done >= last {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the consumer never caught up again"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(balance(&app, &t, &m).await["balance"], 100);
    let h = app
        .get(&format!("/point/api/transactions?memberId={m}"), Some(&t))
        .await
        .expect(200);
    assert_eq!(h.data()["meta"]["total"], 1);
    assert_eq!(h.data()["data"][0]["source"], "system");
    assert_ledger_consistent(&app).await;
}

pub(crate) fn png(seed: u8) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend(std::iter::repeat_n(seed, 64));
    v
}

pub(crate) async fn upload(app: &TestApp, token: &str, number: &str, image: Vec<u8>, amount: &str) -> Res {
    let form = reqwest::multipart::Form::new()
        .text("receiptNumber", number.to_string())
        .text("storeId", "BKK-01")
        .text("storeCategory", "fashion")
        .text("amount", amount.to_string())
        .text("purchasedAt", "2026-11-20T12:00:00+07:00")
        .part("image", reqwest::multipart::Part::bytes(image).file_name("r.png"));
    post_receipt(app, token, form).await
}

async fn post_receipt(app: &TestApp, token: &str, form: reqwest::multipart::Form) -> Res {
    let res = app
        .client
        .post(format!("{}/point/api/receipts", app.base))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body: Value = res.json().await.unwrap_or(Value::Null);
    Res { status, headers, body }
}

#[tokio::test]
async fn receipts_are_checked_deduplicated_and_approved_once() {
    let app = spawn(Opts::default().var("SBM_MAX_UPLOAD_BYTES", "4096")).await;
    let t = staff(&app).await;
    create_rule(
        &app,
        &t,
        json!({"code": "base", "name": "Base", "kind": "purchase", "pointsPerUnit": 1, "unitAmount": 100}),
    )
    .await;
    let (mt, m) = member(&app, "ok-receipt").await;
    let r = upload(&app, &mt, "R-1", png(1), "12345").await.expect(201);
    let id = r.data()["id"].as_str().unwrap().to_string();
    assert_eq!(r.data()["status"], "pending");
    assert_eq!(r.data()["estimatedPoints"], 123);
    assert_eq!(r.data()["imageContentType"], "image/png");
    assert_eq!(balance(&app, &t, &m).await["pending"], 123);
    // Duplicates, bad content, too large, missing fields.
    let d = upload(&app, &mt, "R-1", png(2), "100").await.expect(409);
    assert_eq!(d.error_fields(), vec!["receiptNumber"]);
    let d = upload(&app, &mt, "R-2", png(1), "100").await.expect(409);
    assert_eq!(d.error_fields(), vec!["image"]);
    upload(&app, &mt, "R-3", b"GIF89a not allowed".to_vec(), "100")
        .await
        .expect(415);
    upload(&app, &mt, "R-4", vec![0x89; 10_000], "100").await.expect(413);
    let pdf = b"%PDF-1.7 receipt".to_vec();
    let r2 = upload(&app, &mt, "R-5", pdf.clone(), "abc").await.expect(400);
    assert_eq!(r2.error_fields(), vec!["amount"]);
    let res = app
        .client
        .post(format!("{}/point/api/receipts", app.base))
        .bearer_auth(&mt)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 415);
    upload(&app, &t, "R-6", png(9), "100").await.expect(403);
    // Lists and the image.
    let l = app.get("/point/api/receipts/me", Some(&mt)).await.expect(200);
    assert_eq!(l.data()["meta"]["total"], 1);
    let l = app
        .get("/point/api/receipts?status=pending", Some(&t))
        .await
        .expect(200);
    assert_eq!(l.data()["meta"]["total"], 1);
    let img = app
        .client
        .get(format!("{}/point/api/receipts/{id}/image", app.base))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(img.headers()["content-type"], "image/png");
    assert_eq!(img.headers()["x-content-type-options"], "nosniff");
    assert_eq!(img.bytes().await.unwrap().to_vec(), png(1));
    let (other, _) = member(&app, "ok-receipt-2").await;
    app.get(&format!("/point/api/receipts/{id}"), Some(&other))
        .await
        .expect(404);
    // Approve with a corrected amount: points through the rules, once.
    let a = app
        .post(
            &format!("/point/api/receipts/{id}/approve"),
            Some(&t),
            json!({"amount": 10000}),
        )
        .await
        .expect(200);
    assert_eq!(a.data()["receipt"]["status"], "approved");
    assert_eq!(a.data()["transaction"]["points"], 100);
    app.post(&format!("/point/api/receipts/{id}/approve"), Some(&t), json!({}))
        .await
        .expect(409);
    app.post(
        &format!("/point/api/receipts/{id}/reject"),
        Some(&t),
        json!({"reason": "late"}),
    )
    .await
    .expect(409);
    let path = format!("/point/api/receipts/{id}/approve");
    let futs = (0..5).map(|_| app.post(&path, Some(&t), json!({})));
    assert!(futures::future::join_all(futs).await.iter().all(|r| r.status == 409));
    let b = balance(&app, &t, &m).await;
    assert_eq!((b["balance"].as_i64(), b["pending"].as_i64()), (Some(100), Some(0)));
    // Reject another with a reason (required).
    let r = upload(&app, &mt, "R-7", pdf, "5000").await.expect(201);
    let rid = r.data()["id"].as_str().unwrap();
    app.post(
        &format!("/point/api/receipts/{rid}/reject"),
        Some(&t),
        json!({"reason": ""}),
    )
    .await
    .expect(400);
    let j = app
        .post(
            &format!("/point/api/receipts/{rid}/reject"),
            Some(&t),
            json!({"reason": "Unreadable"}),
        )
        .await
        .expect(200);
    assert_eq!(j.data()["rejectReason"], "Unreadable");
    assert_eq!(balance(&app, &t, &m).await["balance"], 100);
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn point_request_tickets_follow_their_state_machine() {
    let app = spawn_app().await;
    let t = staff(&app).await;
    let (mt, m) = member(&app, "ok-ticket").await;
    let r = app
        .post(
            "/point/api/point-request-tickets",
            Some(&mt),
            json!({"description": "Missing points for order 55", "reference": "55", "requestedPoints": 40}),
        )
        .await
        .expect(201);
    let a = r.data()["id"].as_str().unwrap().to_string();
    assert_eq!(r.data()["status"], "open");
    assert_eq!(balance(&app, &t, &m).await["pending"], 40);
    app.post(
        "/point/api/point-request-tickets",
        Some(&mt),
        json!({"description": ""}),
    )
    .await
    .expect(400);
    app.post(
        "/point/api/point-request-tickets",
        Some(&t),
        json!({"description": "staff"}),
    )
    .await
    .expect(403);
    let r = app
        .post(
            "/point/api/point-request-tickets",
            Some(&mt),
            json!({"description": "Another"}),
        )
        .await
        .expect(201);
    let b = r.data()["id"].as_str().unwrap().to_string();
    let r = app
        .post(
            "/point/api/point-request-tickets",
            Some(&mt),
            json!({"description": "Third"}),
        )
        .await
        .expect(201);
    let c = r.data()["id"].as_str().unwrap().to_string();
    // Approve credits once; the state machine refuses what follows.
    let d = app
        .post(
            &format!("/point/api/point-request-tickets/{a}/approve"),
            Some(&t),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(d.data()["transaction"]["points"], 40);
    assert_eq!(d.data()["ticket"]["status"], "approved");
    app.post(
        &format!("/point/api/point-request-tickets/{a}/approve"),
        Some(&t),
        json!({}),
    )
    .await
    .expect(409);
    app.post(
        &format!("/point/api/point-request-tickets/{a}/cancel"),
        Some(&mt),
        json!({}),
    )
    .await
    .expect(409);
    app.post(
        &format!("/point/api/point-request-tickets/{a}/reject"),
        Some(&t),
        json!({"reason": "no"}),
    )
    .await
    .expect(409);
    // Without requested points, staff must say how many.
    let r = app
        .post(
            &format!("/point/api/point-request-tickets/{b}/approve"),
            Some(&t),
            json!({}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["points"]);
    let r = app
        .post(
            &format!("/point/api/point-request-tickets/{b}/reject"),
            Some(&t),
            json!({"reason": "No purchase found"}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["status"], "rejected");
    let r = app
        .post(
            &format!("/point/api/point-request-tickets/{c}/cancel"),
            Some(&mt),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["status"], "cancelled");
    app.post(
        &format!("/point/api/point-request-tickets/{c}/approve"),
        Some(&t),
        json!({"points": 5}),
    )
    .await
    .expect(409);
    // Visibility.
    let (other, _) = member(&app, "ok-ticket-2").await;
    app.get(&format!("/point/api/point-request-tickets/{a}"), Some(&other))
        .await
        .expect(404);
    app.post(
        &format!("/point/api/point-request-tickets/{b}/cancel"),
        Some(&other),
        json!({}),
    )
    .await
    .expect(404);
    let l = app
        .get("/point/api/point-request-tickets/me", Some(&mt))
        .await
        .expect(200);
    assert_eq!(l.data()["meta"]["total"], 3);
    let l = app
        .get("/point/api/point-request-tickets?status=open", Some(&t))
        .await
        .expect(200);
    assert_eq!(l.data()["meta"]["total"], 0);
    let bal = balance(&app, &t, &m).await;
    assert_eq!((bal["balance"].as_i64(), bal["pending"].as_i64()), (Some(40), Some(0)));
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn only_staff_decide_tickets_and_receipts_not_api_keys() {
    let app = spawn_app().await;
    let (mt, _) = member(&app, "ok-review").await;
    let r = app
        .post(
            "/point/api/point-request-tickets",
            Some(&mt),
            json!({"description": "Missing points", "requestedPoints": 10}),
        )
        .await
        .expect(201);
    let id = r.data()["id"].as_str().unwrap().to_string();
    // A POS key that may move points still may not decide a member's claim.
    let (_, key) = app.api_key(&["points:write", "points:read"], json!("standard")).await;
    for action in ["approve", "reject"] {
        let r = app
            .post(
                &format!("/point/api/point-request-tickets/{id}/{action}"),
                Some(&key),
                json!({"reason": "no"}),
            )
            .await
            .expect(403);
        assert!(r.data()["message"].as_str().unwrap().contains("points:review"));
        app.post(
            &format!("/point/api/receipts/{id}/{action}"),
            Some(&key),
            json!({"reason": "no"}),
        )
        .await
        .expect(403);
    }
    // Nor can a key be given the scope.
    let admin = app.admin_token().await;
    let r = app
        .post(
            "/auth/api/api-keys",
            Some(&admin),
            json!({"name": "k", "scopes": ["points:review"], "plan": "standard"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["scopes"]);
    // Support staff decide.
    let support = app.staff_token("support").await;
    app.post(
        &format!("/point/api/point-request-tickets/{id}/approve"),
        Some(&support),
        json!({}),
    )
    .await
    .expect(200);
    assert_ledger_consistent(&app).await;
}

/// Rule values are bounded and the arithmetic cannot wrap: a huge purchase through a generous
/// rule is capped at the platform maximum per earn, and no balance can reach overflow.
#[tokio::test]
async fn rule_arithmetic_is_bounded_and_checked() {
    let app = spawn_app().await;
    let t = staff(&app).await;
    // Values past the bounds are refused, each naming its field.
    let r = app
        .post(
            "/point/api/point-rules",
            Some(&t),
            json!({"code": "huge", "name": "Huge", "kind": "action", "action": "x", "points": i64::MAX}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["points"]);
    let r = app
        .post(
            "/point/api/point-rules",
            Some(&t),
            json!({"code": "huge", "name": "Huge", "kind": "purchase", "pointsPerUnit": 2_000_000_000i64, "unitAmount": 1,
                   "capPerTransaction": i64::MAX, "priority": 2_000_000_000}),
        )
        .await
        .expect(400);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["capPerTransaction", "pointsPerUnit", "priority"]);
    // The largest rule times the largest purchase would overflow i64: it is capped instead.
    // Two of them stacking still give at most the maximum per earn.
    for code in ["max", "max-2"] {
        create_rule(
            &app,
            &t,
            json!({"code": code, "name": "Max", "kind": "purchase", "pointsPerUnit": 1_000_000_000, "unitAmount": 1,
                   "stackable": true, "tierMultipliers": {"gold": 100.0}}),
        )
        .await;
    }
    let (_, m) = member(&app, "ok-overflow").await;
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "purchase": {"amount": 1_000_000_000_000i64}, "externalId": "big-1"}),
        )
        .await
        .expect(201);
    assert_eq!(r.data()["points"], 1_000_000_000);
    // A balance near the maximum refuses a credit that would pass it (422), and stays exact.
    sql_exec(
        &app.db,
        "UPDATE point_balances SET balance = 999999999999999000, lifetime_earned = 999999999999999000 WHERE member_id = $1",
        vec![m.clone().into()],
    )
    .await
    .unwrap();
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "points": 5000, "externalId": "big-2"}),
        )
        .await
        .expect(422);
    assert!(r.body["data"]["message"].as_str().unwrap().contains("maximum"));
    let b = app.get(&format!("/point/api/balance/{m}"), Some(&t)).await.expect(200);
    assert_eq!(b.data()["balance"], 999_999_999_999_999_000i64);
}

/// Every field has a bound: long strings, far-off years and large metadata are refused with a
/// 400 naming the field, in JSON bodies and multipart uploads alike (NUL bytes too).
#[tokio::test]
async fn every_field_is_bounded() {
    let app = spawn_app().await;
    let t = staff(&app).await;
    let (mt, m) = member(&app, "ok-bounds").await;
    let long = "x".repeat(100_000);
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "purchase": {"amount": 100, "storeCategory": long, "purchasedAt": "9999-01-01T00:00:00Z"},
                   "reason": long, "metadata": {"blob": long}}),
        )
        .await
        .expect(400);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec!["metadata", "purchase.purchasedAt", "purchase.storeCategory", "reason"]
    );
    // Multipart text fields: bounded, and NUL refused naming the field.
    let form = reqwest::multipart::Form::new()
        .text("receiptNumber", "R-1")
        .text("storeId", "BKK-01")
        .text("storeCategory", "x".repeat(10_000))
        .text("amount", "100")
        .text("purchasedAt", "2026-11-20T12:00:00+07:00")
        .part("image", reqwest::multipart::Part::bytes(png(1)).file_name("r.png"));
    let r = post_receipt(&app, &mt, form).await.expect(400);
    assert_eq!(r.error_fields(), vec!["storeCategory"]);
    let form = reqwest::multipart::Form::new()
        .text("receiptNumber", "R-\u{0}1")
        .part("image", reqwest::multipart::Part::bytes(png(1)).file_name("r.png"));
    let r = post_receipt(&app, &mt, form).await.expect(400);
    assert_eq!(r.error_fields(), vec!["receiptNumber"]);
    // Path segments and query values are bounded for every route.
    let r = app
        .get(&format!("/point/api/transactions/{}", "x".repeat(200)), Some(&t))
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["path"]);
    let r = app
        .get(&format!("/point/api/transactions?search={}", "x".repeat(300)), Some(&t))
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["search"]);
    let r = app
        .get("/point/api/transactions?dateFrom=9999-01-01", Some(&t))
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["dateFrom"]);
}

/// The extremes of a signed amount are refused, not negated into an overflow.
#[tokio::test]
async fn adjustments_at_the_integer_extremes_are_refused() {
    let app = spawn_app().await;
    let t = staff(&app).await;
    let (_, m) = member(&app, "ok-extreme").await;
    for points in [i64::MIN, i64::MAX, -1_000_000_001] {
        let r = app
            .post(
                "/point/api/transactions/adjust",
                Some(&t),
                json!({"memberId": m, "points": points, "reason": "edge"}),
            )
            .await
            .expect(400);
        assert_eq!(r.error_fields(), vec!["points"]);
    }
}

#[tokio::test]
async fn every_purchase_is_recorded_once_worth_points_or_not() {
    let app = spawn_app().await;
    let t = staff(&app).await;
    let (_, m) = member(&app, "ok-purchases").await;
    let purchases = |ext: &'static str| {
        let db = app.db.clone();
        async move {
            sql_one(
                &db,
                "SELECT count(*) AS n, max(points) AS p, max(currency) AS c, max(transaction_id) AS tx FROM purchases WHERE external_id = $1",
                vec![ext.into()],
            )
            .await
            .unwrap()
            .unwrap()
        }
    };
    // No rule yet: the purchase earns nothing, and is recorded all the same, once.
    let body =
        json!({"memberId": m, "purchase": {"amount": 5000, "storeId": "s1"}, "source": "pos", "externalId": "order-0"});
    for _ in 0..2 {
        let r = app
            .post("/point/api/transactions/earn", Some(&t), body.clone())
            .await
            .expect(200);
        assert_eq!(r.data()["points"], 0);
    }
    let row = purchases("order-0").await;
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), 1, "recorded once");
    assert_eq!(row.try_get::<i64>("", "p").unwrap(), 0);
    assert_eq!(row.try_get::<String>("", "c").unwrap(), "THB");
    let ev = app.events("purchase.recorded").await;
    assert_eq!(ev.len(), 1);
    assert_eq!(
        (ev[0]["amount"].as_i64(), ev[0]["points"].as_i64()),
        (Some(5000), Some(0))
    );
    assert!(ev[0]["transactionId"].is_null());
    assert_eq!(ev[0]["storeId"], "s1");
    // Concurrent repeats of another one: still once.
    let body = json!({"memberId": m, "purchase": {"amount": 700, "currency": "USD"}, "source": "pos", "externalId": "order-race"});
    let calls = (0..8).map(|_| app.post("/point/api/transactions/earn", Some(&t), body.clone()));
    for r in futures::future::join_all(calls).await {
        assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    }
    assert_eq!(purchases("order-race").await.try_get::<i64>("", "n").unwrap(), 1);
    // With a rule it earns, and the purchase points at its entry.
    create_rule(
        &app,
        &t,
        json!({"code": "base", "name": "Base", "kind": "purchase", "pointsPerUnit": 1, "unitAmount": 100}),
    )
    .await;
    let body = json!({"memberId": m, "purchase": {"amount": 2500}, "source": "pos", "externalId": "order-1"});
    let r = app
        .post("/point/api/transactions/earn", Some(&t), body.clone())
        .await
        .expect(201);
    let tx = r.data()["transaction"]["id"].as_str().map(str::to_string);
    app.post("/point/api/transactions/earn", Some(&t), body)
        .await
        .expect(200);
    let row = purchases("order-1").await;
    assert_eq!(row.try_get::<i64>("", "n").unwrap(), 1);
    assert_eq!(row.try_get::<i64>("", "p").unwrap(), 25);
    assert_eq!(row.try_get::<Option<String>>("", "tx").unwrap(), tx);
    assert_eq!(app.events("purchase.recorded").await.len(), 3);
    // A bad currency is a 400 naming the field, and records nothing.
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "purchase": {"amount": 100, "currency": "baht"}}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["purchase.currency"]);
    assert_eq!(app.events("purchase.recorded").await.len(), 3);
    assert_ledger_consistent(&app).await;
}
