//! The reward service: catalogs visible by tier, rewards and their eligibility, code pools,
//! redemptions (one transaction: limits, stock or code, points) and their concurrency.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;
use crate::point::assert_ledger_consistent;

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

/// Two tiers (base by default, gold from 1000 points earned) and a catalog open to all.
async fn setup(app: &TestApp, t: &str) -> String {
    for (code, rank, threshold) in [("base", 0, 0), ("gold", 1, 1000)] {
        app.post(
            "/cluster/api/tiers",
            Some(t),
            json!({"code": code, "name_en": code, "rank": rank, "isDefault": rank == 0,
                   "qualification": {"metric": "points_earned", "threshold": threshold, "window": "lifetime"}}),
        )
        .await
        .expect(201);
    }
    app.post("/reward/api/reward-catalogs", Some(t), catalog("main", json!({})))
        .await
        .expect(201)
        .data()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn reward(code: &str, catalog: &str, cost: i64, extra: Value) -> Value {
    let mut r = json!({"code": code, "catalogId": catalog, "type": "voucher", "name_en": format!("{code} voucher"),
                       "name_th": format!("{code} th"), "terms_en": "One per visit", "pointsCost": cost});
    if let (Some(r), Some(e)) = (r.as_object_mut(), extra.as_object()) {
        r.extend(e.clone());
    }
    r
}

async fn add_reward(app: &TestApp, t: &str, body: Value) -> String {
    app.post("/reward/api/rewards", Some(t), body).await.expect(201).data()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn earn(app: &TestApp, t: &str, member: &str, points: i64) {
    app.post(
        "/point/api/transactions/earn",
        Some(t),
        json!({"memberId": member, "points": points, "source": "test"}),
    )
    .await
    .expect(201);
}

async fn balance(app: &TestApp, t: &str, member: &str) -> i64 {
    app.get(&format!("/point/api/balance/{member}"), Some(t))
        .await
        .expect(200)
        .data()["balance"]
        .as_i64()
        .unwrap()
}

async fn redeem(app: &TestApp, t: &str, member: &str, reward: &str) -> Res {
    app.post(
        "/reward/api/redemptions",
        Some(t),
        json!({"rewardId": reward, "memberId": member}),
    )
    .await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sql_one(&app.db, sql, vec![])
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

#[tokio::test]
async fn rewards_are_edited_by_staff_and_members_see_why_they_cannot_redeem() {
    let app = spawn(Opts::default().var("SBM_OUTBOX_POLL_MS", "50")).await;
    let t = app.admin_token().await;
    let cat = setup(&app, &t).await;
    // Validation names every field; codes are unique; the catalog must exist.
    let r = app
        .post(
            "/reward/api/rewards",
            Some(&t),
            json!({"code": "Bad code", "catalogId": cat, "type": "voucher", "name_en": "", "pointsCost": -1,
                   "value": {"kind": "percent", "percent": 150}, "limitPerPeriod": 2,
                   "codeMode": "static", "startsAt": "2027-02-01T00:00:00Z", "endsAt": "2027-01-01T00:00:00Z"}),
        )
        .await
        .expect(400);
    assert_eq!(
        r.error_fields(),
        [
            "code",
            "name_en",
            "pointsCost",
            "value.percent",
            "limitPeriod",
            "endsAt",
            "staticCode"
        ]
    );
    let r = app
        .post("/reward/api/rewards", Some(&t), reward("x", "nope", 1, json!({})))
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["catalogId"]);
    let coffee = add_reward(
        &app,
        &t,
        reward(
            "coffee",
            &cat,
            100,
            json!({"position": 2, "category": "drinks", "value": {"kind": "item", "item": "A latte"},
                   "stockTotal": 10, "limitLifetime": 1}),
        ),
    )
    .await;
    app.post("/reward/api/rewards", Some(&t), reward("coffee", &cat, 1, json!({})))
        .await
        .expect(409);
    let lounge = add_reward(
        &app,
        &t,
        reward(
            "lounge",
            &cat,
            50,
            json!({"position": 1, "type": "privilege", "tierCodes": ["gold"]}),
        ),
    )
    .await;
    add_reward(
        &app,
        &t,
        reward(
            "summer",
            &cat,
            10,
            json!({"position": 3, "startsAt": "2099-06-01T00:00:00Z"}),
        ),
    )
    .await;
    let pricey = add_reward(
        &app,
        &t,
        reward(
            "pricey",
            &cat,
            5000,
            json!({"position": 4, "type": "discount", "value": {"kind": "fixed", "amount": 50000, "currency": "THB"}}),
        ),
    )
    .await;
    add_reward(
        &app,
        &t,
        reward("hidden", &cat, 1, json!({"position": 5, "active": false})),
    )
    .await;
    // A member sees the active rewards in order, each with whether it may redeem it and why not.
    let (mt, m) = app.member_token("ok-eligible").await;
    earn(&app, &t, &m, 300).await;
    let r = app.get("/reward/api/rewards?locale=th", Some(&mt)).await.expect(200);
    let seen: Vec<(String, Value, Value)> = r.data()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                r["eligible"].clone(),
                r["reason"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("lounge".to_string(), json!(false), json!("tier")),
            ("coffee".to_string(), json!(true), Value::Null),
            ("summer".to_string(), json!(false), json!("window")),
            ("pricey".to_string(), json!(false), json!("points")),
        ]
    );
    assert_eq!(r.data()["data"][1]["name"], "coffee th");
    assert_eq!(r.data()["data"][1]["limitRemaining"], 1);
    assert_eq!(r.data()["data"][1]["stockRemaining"], 10);
    // Redeeming once uses the limit up.
    redeem(&app, &t, &m, &coffee).await.expect(201);
    let r = app
        .get(&format!("/reward/api/rewards/{coffee}"), Some(&mt))
        .await
        .expect(200);
    assert_eq!(
        (
            &r.data()["eligible"],
            &r.data()["reason"],
            &r.data()["redeemedCount"],
            &r.data()["limitRemaining"]
        ),
        (&json!(false), &json!("limit"), &json!(1), &json!(0))
    );
    assert_eq!(r.data()["stockRemaining"], 9);
    // Staff filter and see all; stock never goes below what is claimed.
    let codes_of = |r: &Res| -> Vec<String> {
        r.data()["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["code"].as_str().unwrap().to_string())
            .collect()
    };
    let r = app
        .get("/reward/api/rewards?includeInActive=true", Some(&t))
        .await
        .expect(200);
    assert_eq!(codes_of(&r), ["lounge", "coffee", "summer", "pricey", "hidden"]);
    let r = app
        .get("/reward/api/rewards?type=privilege", Some(&t))
        .await
        .expect(200);
    assert_eq!(codes_of(&r), ["lounge"]);
    let r = app
        .get("/reward/api/rewards?category=drinks&search=COF", Some(&t))
        .await
        .expect(200);
    assert_eq!(codes_of(&r), ["coffee"]);
    app.get("/reward/api/rewards?type=cash", Some(&t)).await.expect(400);
    app.get("/reward/api/rewards?sortBy=stock", Some(&t)).await.expect(400);
    let r = app
        .patch(
            &format!("/reward/api/rewards/{coffee}"),
            Some(&t),
            json!({"stockTotal": 0}),
        )
        .await
        .expect(409);
    assert_eq!(r.error_fields(), ["stockTotal"]);
    let r = app
        .patch(
            &format!("/reward/api/rewards/{coffee}"),
            Some(&t),
            json!({"stockTotal": 1}),
        )
        .await
        .expect(200);
    assert_eq!(
        (&r.data()["stockRemaining"], &r.data()["stockClaimed"]),
        (&json!(0), &json!(1))
    );
    let r = app
        .patch(
            &format!("/reward/api/rewards/{coffee}"),
            Some(&t),
            json!({"stockTotal": null}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["stockRemaining"], Value::Null);
    app.patch(
        &format!("/reward/api/rewards/{coffee}"),
        Some(&t),
        json!({"code": "tea"}),
    )
    .await
    .expect(400);
    app.patch(
        &format!("/reward/api/rewards/{coffee}"),
        Some(&mt),
        json!({"pointsCost": 1}),
    )
    .await
    .expect(403);
    // A reward in a catalog the member cannot see is not found, not forbidden.
    let gold_cat = app
        .post(
            "/reward/api/reward-catalogs",
            Some(&t),
            catalog("gold-only", json!({"visibility": "tiers", "tierCodes": ["gold"]})),
        )
        .await
        .expect(201)
        .data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let secret = add_reward(&app, &t, reward("secret", &gold_cat, 1, json!({}))).await;
    app.get(&format!("/reward/api/rewards/{secret}"), Some(&mt))
        .await
        .expect(404);
    app.get(&format!("/reward/api/rewards/{secret}"), Some(&t))
        .await
        .expect(200);
    // Archive: gone for members, kept for staff; managed rows are read-only.
    app.delete(&format!("/reward/api/rewards/{pricey}"), Some(&t))
        .await
        .expect(200);
    app.get(&format!("/reward/api/rewards/{pricey}"), Some(&mt))
        .await
        .expect(404);
    let r = app
        .get("/reward/api/rewards?includeDeletedAt=true&limit=50", Some(&t))
        .await
        .expect(200);
    assert!(codes_of(&r).contains(&"pricey".to_string()));
    sql_exec(
        &app.db,
        &format!("UPDATE rewards SET managed = TRUE WHERE id = '{lounge}'"),
        vec![],
    )
    .await
    .unwrap();
    app.patch(
        &format!("/reward/api/rewards/{lounge}"),
        Some(&t),
        json!({"pointsCost": 1}),
    )
    .await
    .expect(409);
    app.delete(&format!("/reward/api/rewards/{lounge}"), Some(&t))
        .await
        .expect(409);
    // A catalog the operator owns owns its list of rewards too.
    sql_exec(
        &app.db,
        &format!("UPDATE reward_catalogs SET managed = TRUE WHERE id = '{gold_cat}'"),
        vec![],
    )
    .await
    .unwrap();
    let r = app
        .post(
            "/reward/api/rewards",
            Some(&t),
            reward("sneaky", &gold_cat, 1, json!({})),
        )
        .await
        .expect(409);
    assert_eq!(r.error_fields(), ["catalogId"]);
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn a_redemption_spends_once_is_used_at_the_till_and_a_cancel_refunds_once() {
    let app = spawn(Opts::default().var("SBM_OUTBOX_POLL_MS", "50")).await;
    let t = app.admin_token().await;
    let cat = setup(&app, &t).await;
    let voucher = add_reward(
        &app,
        &t,
        reward(
            "coffee",
            &cat,
            100,
            json!({"codeMode": "static", "staticCode": "LATTE-2027", "voucherValidDays": 30, "stockTotal": 5}),
        ),
    )
    .await;
    let gold = add_reward(&app, &t, reward("gold-gift", &cat, 10, json!({"tierCodes": ["gold"]}))).await;
    let later = add_reward(
        &app,
        &t,
        reward("later", &cat, 10, json!({"startsAt": "2099-01-01T00:00:00Z"})),
    )
    .await;
    let pricey = add_reward(&app, &t, reward("pricey", &cat, 5000, json!({}))).await;
    let (mt, m) = app.member_token("ok-redeem").await;
    earn(&app, &t, &m, 300).await;
    // A member redeems for itself: points spent through the ledger, source reward.
    let r = app
        .post("/reward/api/redemptions", Some(&mt), json!({"rewardId": voucher}))
        .await
        .expect(201);
    let red = r.data().clone();
    let rid = red["id"].as_str().unwrap().to_string();
    assert_eq!(red["status"], "claimed");
    assert_eq!(red["code"], "LATTE-2027");
    assert_eq!(red["pointsCost"], 100);
    assert_eq!(red["snapshot"]["code"], "coffee");
    assert!(red["expiresAt"].is_string());
    assert_eq!(balance(&app, &t, &m).await, 200);
    let spend = sql_one(
        &app.db,
        "SELECT source, external_id FROM point_transactions WHERE id = $1",
        vec![red["spendTransactionId"].as_str().unwrap().into()],
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(spend.try_get::<String>("", "source").unwrap(), "reward");
    assert_eq!(spend.try_get::<String>("", "external_id").unwrap(), rid);
    let ev = app.events("redemption.created").await;
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0]["redemptionId"], rid.as_str());
    // The spend is refunded by cancelling the redemption, never by reversing it in the ledger.
    let r = app
        .post(
            &format!(
                "/point/api/transactions/{}/reverse",
                red["spendTransactionId"].as_str().unwrap()
            ),
            Some(&t),
            json!({"reason": "refund"}),
        )
        .await
        .expect(409);
    assert!(
        r.body["data"]["message"]
            .as_str()
            .unwrap()
            .contains("cancel the redemption")
    );
    // Members redeem only for themselves.
    let (_, other) = app.member_token("ok-redeem-other").await;
    app.post(
        "/reward/api/redemptions",
        Some(&mt),
        json!({"rewardId": voucher, "memberId": other}),
    )
    .await
    .expect(403);
    // The errors: 403 wrong tier, 409 outside the window (cause named), 422 insufficient
    // points (as the point service says it), 404 unknown, 400 without a member for staff.
    let r = redeem(&app, &t, &m, &gold).await.expect(403);
    assert!(r.body["data"]["message"].as_str().unwrap().contains("tiers"));
    let r = redeem(&app, &t, &m, &later).await.expect(409);
    assert_eq!(r.body["data"]["errors"][0]["message"], "outside_window");
    let r = redeem(&app, &t, &m, &pricey).await.expect(422);
    assert_eq!(r.error_fields(), ["points"]);
    assert!(
        r.body["data"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Insufficient points")
    );
    redeem(&app, &t, &m, "missing").await.expect(404);
    redeem(&app, &t, "no-such-member", &voucher).await.expect(404);
    app.post("/reward/api/redemptions", Some(&t), json!({"rewardId": voucher}))
        .await
        .expect(400);
    assert_eq!(balance(&app, &t, &m).await, 200, "failed redemptions spend nothing");
    // Idempotent retries return the first redemption and spend once.
    let key = [("Idempotency-Key", "redeem-1")];
    let body = json!({"rewardId": voucher, "memberId": m, "storeId": "BKK-01"});
    let a = app
        .call_h(
            reqwest::Method::POST,
            "/reward/api/redemptions",
            Some(&t),
            Some(body.clone()),
            &key,
        )
        .await
        .expect(201);
    let b = app
        .call_h(
            reqwest::Method::POST,
            "/reward/api/redemptions",
            Some(&t),
            Some(body),
            &key,
        )
        .await
        .expect(201);
    assert_eq!(a.data()["id"], b.data()["id"]);
    assert_eq!(balance(&app, &t, &m).await, 100);
    let second = a.data()["id"].as_str().unwrap().to_string();
    // At the till: the QR must be this redemption's; claimed → used, once.
    let qr = red["qr"].as_str().unwrap();
    let r = app
        .post(
            &format!("/reward/api/redemptions/{second}/use"),
            Some(&t),
            json!({"qr": qr}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["qr"]);
    app.post(
        &format!("/reward/api/redemptions/{rid}/use"),
        Some(&t),
        json!({"qr": "junk"}),
    )
    .await
    .expect(400);
    app.post(&format!("/reward/api/redemptions/{rid}/use"), Some(&mt), json!({}))
        .await
        .expect(403);
    let r = app
        .post(
            &format!("/reward/api/redemptions/{rid}/use"),
            Some(&t),
            json!({"qr": qr, "storeId": "BKK-02"}),
        )
        .await
        .expect(200);
    assert_eq!(
        (&r.data()["status"], &r.data()["storeId"]),
        (&json!("used"), &json!("BKK-02"))
    );
    let r = app
        .post(&format!("/reward/api/redemptions/{rid}/use"), Some(&t), json!({}))
        .await
        .expect(409);
    assert_eq!(r.body["data"]["errors"][0]["message"], "wrong_status");
    assert_eq!(app.events("redemption.used").await.len(), 1);
    // A member cannot cancel a used one; staff can (a return), refunding it.
    app.post(&format!("/reward/api/redemptions/{rid}/cancel"), Some(&mt), json!({}))
        .await
        .expect(409);
    // The member cancels its claimed one, retried ten times at once: one refund.
    let cancel_path = format!("/reward/api/redemptions/{second}/cancel");
    let tries = (0..10).map(|_| app.post(&cancel_path, Some(&mt), json!({"reason": "changed my mind"})));
    for r in futures::future::join_all(tries).await {
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(r.data()["status"], "cancelled");
    }
    assert_eq!(balance(&app, &t, &m).await, 200);
    let refunds = count(
        &app,
        &format!("SELECT COUNT(*) FROM point_transactions WHERE type = 'reverse' AND related_id = (SELECT spend_transaction_id FROM redemptions WHERE id = '{second}')"),
    )
    .await;
    assert_eq!(refunds, 1);
    assert_eq!(app.events("redemption.cancelled").await.len(), 1);
    let r = app
        .post(
            &format!("/reward/api/redemptions/{rid}/cancel"),
            Some(&t),
            json!({"reason": "returned"}),
        )
        .await
        .expect(200);
    assert!(r.data()["refundTransactionId"].is_string());
    assert_eq!(balance(&app, &t, &m).await, 300);
    let r = app
        .get(&format!("/reward/api/rewards/{voucher}"), Some(&t))
        .await
        .expect(200);
    assert_eq!(r.data()["stockClaimed"], 0, "cancels give the stock back");
    // Lists: the member's own; staff filter by status, reward, member, store, code, dates.
    let r = app.get("/reward/api/redemptions/me", Some(&mt)).await.expect(200);
    assert_eq!(r.data()["meta"]["total"], 2);
    app.get("/reward/api/redemptions/me", Some(&t)).await.expect(403);
    app.get("/reward/api/redemptions", Some(&mt)).await.expect(403);
    let total = |q: &'static str| {
        let app = &app;
        let t = t.clone();
        async move {
            app.get(&format!("/reward/api/redemptions{q}"), Some(&t))
                .await
                .expect(200)
                .data()["meta"]["total"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(total("?status=cancelled").await, 2);
    assert_eq!(total("?storeId=BKK-01").await, 1);
    assert_eq!(total("?code=LATTE-2027").await, 2);
    assert_eq!(total("?dateFrom=2099-01-01T00:00:00Z").await, 0);
    assert_eq!(total("?dateFrom=2020-01-01&dateTo=2099-12-31").await, 2);
    app.get("/reward/api/redemptions?status=lost", Some(&t))
        .await
        .expect(400);
    app.get("/reward/api/redemptions?dateFrom=yesterday", Some(&t))
        .await
        .expect(400);
    let r = app
        .get(
            &format!("/reward/api/redemptions?memberId={m}&rewardId={voucher}"),
            Some(&t),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 2);
    app.get(&format!("/reward/api/redemptions/{rid}"), Some(&mt))
        .await
        .expect(200);
    let (ot, _) = app.member_token("ok-redeem-third").await;
    app.get(&format!("/reward/api/redemptions/{rid}"), Some(&ot))
        .await
        .expect(404);
    app.post(&format!("/reward/api/redemptions/{rid}/cancel"), Some(&ot), json!({}))
        .await
        .expect(404);
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn claimed_vouchers_expire_without_refund_and_a_cancel_never_revives_expired_points() {
    let app = spawn(Opts::default()).await;
    let t = app.admin_token().await;
    let cat = setup(&app, &t).await;
    let clock = app.running().state.clock.clone();
    let at = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    clock.set(at("2027-01-01T10:00:00Z"));
    let voucher = add_reward(&app, &t, reward("week", &cat, 100, json!({"voucherValidDays": 7}))).await;
    let (mt, m) = app.member_token("ok-expiry").await;
    // 100 points that expire on Jan 5, 100 that do not.
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": m, "points": 100, "source": "test", "expiresAt": "2027-01-05T00:00:00Z"}),
    )
    .await
    .expect(201);
    earn(&app, &t, &m, 100).await;
    let a = redeem(&app, &t, &m, &voucher).await.expect(201).data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let b = redeem(&app, &t, &m, &voucher).await.expect(201).data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(balance(&app, &t, &m).await, 0);
    // After the expiring lot's date, cancelling `a` (paid with the soonest-expiring lot) refunds
    // into that lot, which expires again at once: a cancel never extends the life of points.
    clock.set(at("2027-01-06T10:00:00Z"));
    app.post(&format!("/reward/api/redemptions/{a}/cancel"), Some(&mt), json!({}))
        .await
        .expect(200);
    assert_eq!(balance(&app, &t, &m).await, 0);
    // `b` passes its life: the sweep expires it once, without refund.
    clock.set(at("2027-01-08T10:00:01Z"));
    let state = &app.running().state;
    assert_eq!(
        sbm_reward::domain::redemptions::expire_due(&state.db, clock.now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        sbm_reward::domain::redemptions::expire_due(&state.db, clock.now())
            .await
            .unwrap(),
        0
    );
    let r = app
        .get(&format!("/reward/api/redemptions/{b}"), Some(&mt))
        .await
        .expect(200);
    assert_eq!(r.data()["status"], "expired");
    let ev = app.events("redemption.expired").await;
    assert_eq!((ev.len(), ev[0]["redemptionId"].as_str()), (1, Some(b.as_str())));
    let r = app
        .post(&format!("/reward/api/redemptions/{b}/use"), Some(&t), json!({}))
        .await
        .expect(409);
    assert!(r.body["data"]["message"].as_str().unwrap().contains("expired"));
    app.post(&format!("/reward/api/redemptions/{b}/cancel"), Some(&mt), json!({}))
        .await
        .expect(409);
    assert_eq!(balance(&app, &t, &m).await, 0);
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn code_pools_import_generate_assign_once_and_void() {
    let app = spawn(Opts::default().var("SBM_MAX_UPLOAD_BYTES", "2048")).await;
    let t = app.admin_token().await;
    let cat = setup(&app, &t).await;
    let pool = add_reward(&app, &t, reward("pool", &cat, 10, json!({"codeMode": "pool"}))).await;
    let plain = add_reward(&app, &t, reward("plain", &cat, 10, json!({}))).await;
    // JSON import: duplicates (in the list, or already in a pool) and invalid codes are counted.
    let r = app
        .post(
            &format!("/reward/api/rewards/{pool}/codes"),
            Some(&t),
            json!({"codes": ["AAA-1", "AAA-2", "AAA-1", "bad code", "", "AAA-3"], "batch": "first"}),
        )
        .await
        .expect(201);
    assert_eq!(
        (&r.data()["imported"], &r.data()["duplicates"], &r.data()["invalid"]),
        (&json!(3), &json!(1), &json!(2))
    );
    assert_eq!(r.data()["invalidCodes"][0]["line"], 4);
    // CSV upload (multipart): a header line, blank lines, a code already imported.
    let csv = "code\nCSV-1\n\nCSV-2,extra column\nAAA-2\n";
    let form = reqwest::multipart::Form::new().text("batch", "csv").part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("codes.csv"),
    );
    let res = app
        .client
        .post(format!("{}/reward/api/rewards/{pool}/codes", app.base))
        .bearer_auth(&t)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (&body["data"]["imported"], &body["data"]["duplicates"]),
        (&json!(2), &json!(1))
    );
    // Size-capped.
    let big = "X".repeat(4096);
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(big.into_bytes()).file_name("codes.csv"),
    );
    let res = app
        .client
        .post(format!("{}/reward/api/rewards/{pool}/codes", app.base))
        .bearer_auth(&t)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    // Only pool rewards take codes.
    app.post(
        &format!("/reward/api/rewards/{plain}/codes"),
        Some(&t),
        json!({"codes": ["Q-1"]}),
    )
    .await
    .expect(409);
    // Generation: unambiguous characters, unique; a weak pattern is refused.
    let r = app
        .post(
            &format!("/reward/api/rewards/{pool}/codes/generate"),
            Some(&t),
            json!({"pattern": "GEN-####-###", "count": 50, "batch": "gen"}),
        )
        .await
        .expect(201);
    assert_eq!(r.data()["generated"], 50);
    let r = app
        .post(
            &format!("/reward/api/rewards/{pool}/codes/generate"),
            Some(&t),
            json!({"pattern": "gen-##", "count": 0}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["pattern", "count"]);
    let r = app
        .get(
            &format!("/reward/api/rewards/{pool}/codes?batch=gen&limit=100"),
            Some(&t),
        )
        .await
        .expect(200);
    let generated: Vec<String> = r.data()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(generated.len(), 50);
    for c in &generated {
        assert!(c.starts_with("GEN-") && c.len() == 12, "{c}");
        assert!(!c[4..].chars().any(|ch| "01258BILOSZ".contains(ch)), "{c}");
    }
    // Concurrent redemptions by many members: each code goes to one redemption only.
    let (_, key) = app
        .api_key(
            &["redemptions:write", "rewards:read"],
            json!({"plan": "enterprise", "rateLimitPerHour": 1000000}),
        )
        .await;
    let mut members = Vec::new();
    for i in 0..60 {
        let (_, m) = app.member_token(&format!("ok-pool-{i}")).await;
        earn(&app, &t, &m, 10).await;
        members.push(m);
    }
    let tries = members.iter().map(|m| redeem(&app, &key, m, &pool));
    let results = futures::future::join_all(tries).await;
    let ok: Vec<&Res> = results.iter().filter(|r| r.status == 201).collect();
    assert_eq!(ok.len(), 55, "55 codes in the pool");
    for r in results.iter().filter(|r| r.status != 201) {
        assert_eq!(r.status, 409);
        assert_eq!(r.body["data"]["errors"][0]["message"], "no_codes", "{:?}", r.body);
    }
    let mut given: Vec<&str> = ok.iter().map(|r| r.data()["code"].as_str().unwrap()).collect();
    given.sort_unstable();
    given.dedup();
    assert_eq!(given.len(), 55, "no code assigned twice");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM reward_codes WHERE status = 'assigned'").await,
        55
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(DISTINCT redemption_id) FROM reward_codes WHERE redemption_id IS NOT NULL"
        )
        .await,
        55
    );
    // At the till: lookup by code (as typed), then use; cancel voids a code already shown.
    let first = ok[0].data().clone();
    let code = first["code"].as_str().unwrap();
    let r = app
        .get(
            &format!("/reward/api/reward-codes/{}", code.to_ascii_lowercase()),
            Some(&key),
        )
        .await
        .expect(200);
    assert_eq!(
        (&r.data()["status"], &r.data()["redemptionId"]),
        (&json!("assigned"), &first["id"])
    );
    app.get("/reward/api/reward-codes/NOPE-NOPE", Some(&key))
        .await
        .expect(404);
    let rid = first["id"].as_str().unwrap();
    app.post(&format!("/reward/api/redemptions/{rid}/use"), Some(&key), json!({}))
        .await
        .expect(200);
    let r = app
        .get(&format!("/reward/api/reward-codes/{code}"), Some(&t))
        .await
        .expect(200);
    assert_eq!(r.data()["status"], "used");
    app.post(&format!("/reward/api/reward-codes/{code}/void"), Some(&t), json!({}))
        .await
        .expect(409);
    let second = ok[1].data().clone();
    let sid = second["id"].as_str().unwrap();
    app.post(&format!("/reward/api/redemptions/{sid}/cancel"), Some(&key), json!({}))
        .await
        .expect(200);
    let r = app
        .get(
            &format!("/reward/api/reward-codes/{}", second["code"].as_str().unwrap()),
            Some(&t),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["status"], "void");
    // Staff void an assigned code: its redemption can no longer be used, only cancelled.
    let third = ok[2].data().clone();
    let tid = third["id"].as_str().unwrap();
    app.post(
        &format!("/reward/api/reward-codes/{}/void", third["code"].as_str().unwrap()),
        Some(&t),
        json!({}),
    )
    .await
    .expect(200);
    let r = app
        .post(&format!("/reward/api/redemptions/{tid}/use"), Some(&key), json!({}))
        .await
        .expect(409);
    assert_eq!(r.body["data"]["errors"][0]["message"], "code_voided");
    app.post(&format!("/reward/api/redemptions/{tid}/cancel"), Some(&key), json!({}))
        .await
        .expect(200);
    // Codes are bearer vouchers: listing them is for managers, looking one up for the till.
    let (_, reader) = app.api_key(&["rewards:read"], json!({"plan": "standard"})).await;
    app.get(&format!("/reward/api/rewards/{pool}/codes"), Some(&reader))
        .await
        .expect(403);
    app.get(&format!("/reward/api/reward-codes/{code}"), Some(&reader))
        .await
        .expect(403);
    // Staff void an available code; list filters by status.
    let r = app
        .get(&format!("/reward/api/rewards/{pool}/codes?status=available"), Some(&t))
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 0);
    app.post("/reward/api/rewards/x/codes", Some(&t), json!({"codes": ["Z-1"]}))
        .await
        .expect(404);
    app.post(
        &format!("/reward/api/rewards/{pool}/codes"),
        Some(&t),
        json!({"codes": ["LAST-1"]}),
    )
    .await
    .expect(201);
    let r = app
        .post("/reward/api/reward-codes/LAST-1/void", Some(&t), json!({}))
        .await
        .expect(200);
    assert_eq!(r.data()["status"], "void");
    app.get(&format!("/reward/api/rewards/{pool}/codes?status=gone"), Some(&t))
        .await
        .expect(400);
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn stock_of_fifty_under_two_hundred_concurrent_redemptions_sells_exactly_fifty() {
    let app = spawn(Opts::default()).await;
    let t = app.admin_token().await;
    let cat = setup(&app, &t).await;
    let scarce = add_reward(&app, &t, reward("scarce", &cat, 30, json!({"stockTotal": 50}))).await;
    let (_, key) = app
        .api_key(
            &["redemptions:write"],
            json!({"plan": "enterprise", "rateLimitPerHour": 1000000}),
        )
        .await;
    let mut members = Vec::new();
    for i in 0..200 {
        let (_, m) = app.member_token(&format!("ok-stock-{i}")).await;
        earn(&app, &t, &m, 100).await;
        members.push(m);
    }
    let tries = members.iter().map(|m| redeem(&app, &key, m, &scarce));
    let results = futures::future::join_all(tries).await;
    let won = results.iter().filter(|r| r.status == 201).count();
    for r in results.iter().filter(|r| r.status != 201) {
        assert_eq!(r.status, 409, "{:?}", r.body);
        assert_eq!(r.body["data"]["errors"][0]["message"], "out_of_stock", "{:?}", r.body);
    }
    assert_eq!(won, 50);
    let r = app
        .get(&format!("/reward/api/rewards/{scarce}"), Some(&t))
        .await
        .expect(200);
    assert_eq!(
        (&r.data()["stockRemaining"], &r.data()["stockClaimed"]),
        (&json!(0), &json!(50))
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM point_transactions WHERE type = 'spend' AND source = 'reward'"
        )
        .await,
        50
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM redemptions").await, 50);
    assert_eq!(
        count(&app, "SELECT CAST(SUM(balance) AS BIGINT) FROM point_balances").await,
        200 * 100 - 50 * 30
    );
    assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn a_limit_of_two_lets_exactly_two_of_fifty_concurrent_redemptions_through() {
    let app = spawn(Opts::default()).await;
    let t = app.admin_token().await;
    let cat = setup(&app, &t).await;
    let limited = add_reward(
        &app,
        &t,
        reward("limited", &cat, 10, json!({"limitPerPeriod": 2, "limitPeriod": "day"})),
    )
    .await;
    let (_, key) = app
        .api_key(
            &["redemptions:write"],
            json!({"plan": "enterprise", "rateLimitPerHour": 1000000}),
        )
        .await;
    let (_, m) = app.member_token("ok-limit").await;
    earn(&app, &t, &m, 1000).await;
    let tries = (0..50).map(|_| redeem(&app, &key, &m, &limited));
    let results = futures::future::join_all(tries).await;
    assert_eq!(results.iter().filter(|r| r.status == 201).count(), 2);
    for r in results.iter().filter(|r| r.status != 201) {
        assert_eq!(r.status, 409, "{:?}", r.body);
        assert_eq!(r.body["data"]["errors"][0]["message"], "limit_reached", "{:?}", r.body);
    }
    assert_eq!(balance(&app, &t, &m).await, 980);
    assert_ledger_consistent(&app).await;
}
