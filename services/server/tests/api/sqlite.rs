//! Smoke suite: the same binary on the embedded default (SQLite, in-process rate limiting).

use std::time::Duration;

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn embedded_default_runs_the_whole_auth_path() {
    let app = spawn(
        Opts {
            sqlite: true,
            ..Default::default()
        }
        .var("SBM_RATE_LIMIT_TOKEN_PER_HOUR", "100"),
    )
    .await;
    let admin = app.admin_token().await;
    let (id, key) = app
        .api_key(
            &["members:read", "members:write"],
            json!({"plan": "enterprise", "rateLimitPerHour": 3}),
        )
        .await;
    let r = app
        .post(
            "/auth/api/members",
            Some(&key),
            json!({"firstName": "Lek", "lastName": "S", "phone": "0899999999"}),
        )
        .await
        .expect(201);
    assert_eq!(r.header("x-ratelimit-limit").as_deref(), Some("3"));
    app.get("/auth/api/members", Some(&key)).await.expect(200);
    app.get("/auth/api/members", Some(&key)).await.expect(200);
    app.get("/auth/api/members", Some(&key)).await.expect(429);
    assert_eq!(app.events("member.registered").await.len(), 1);
    let (t, _) = app.member_token("ok-lite").await;
    app.get("/auth/api/members/me", Some(&t)).await.expect(200);
    let r = app
        .get(&format!("/auth/api/api-keys/{id}"), Some(&admin))
        .await
        .expect(200);
    assert_eq!(r.data()["rateLimitPerHour"], 3);
    let (_, refresh) = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.post("/auth/api/get-new-access-token", None, json!({"refreshToken": refresh}))
        .await
        .expect(200);
    app.post("/auth/api/get-new-access-token", None, json!({"refreshToken": refresh}))
        .await
        .expect(401);
    let ready: serde_json::Value = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["redis"], "not configured");
    // The development key was created once in the data directory and is reused on restart.
    assert!(app.data_dir.join("jwt-dev-signing-key.pem").exists());
}

#[tokio::test]
async fn embedded_outbox_and_idempotency_work_on_sqlite() {
    let app = spawn(Opts {
        sqlite: true,
        ..Default::default()
    })
    .await;
    let admin = app.admin_token().await;
    let body = json!({"name": "k", "scopes": ["members:read"], "plan": "standard"});
    let h = [("idempotency-key", "same")];
    let a = app
        .call_h(
            reqwest::Method::POST,
            "/auth/api/api-keys",
            Some(&admin),
            Some(body.clone()),
            &h,
        )
        .await
        .expect(201);
    let b = app
        .call_h(
            reqwest::Method::POST,
            "/auth/api/api-keys",
            Some(&admin),
            Some(body),
            &h,
        )
        .await
        .expect(201);
    assert_eq!(a.data()["id"], b.data()["id"]);
    let r = app
        .get("/auth/api/staff?sortBy=email&limit=1", Some(&admin))
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
}

#[tokio::test]
async fn embedded_ledger_stays_exact_under_concurrency() {
    let app = spawn(
        Opts {
            sqlite: true,
            ..Default::default()
        }
        .var("SBM_RATE_LIMIT_TOKEN_PER_HOUR", "100000"),
    )
    .await;
    let t = app.admin_token().await;
    let (mt, m) = app.member_token("ok-lite-ledger").await;
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": m, "points": 100, "externalId": "e1", "source": "pos"}),
        )
        .await
        .expect(201);
    let eid = r.data()["transaction"]["id"].as_str().unwrap().to_string();
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": m, "points": 100, "externalId": "e1", "source": "pos"}),
    )
    .await
    .expect(200);
    let futs = (0..40).map(|_| {
        app.post(
            "/point/api/transactions/spend",
            Some(&t),
            json!({"memberId": m, "points": 3}),
        )
    });
    let rs = futures::future::join_all(futs).await;
    assert_eq!(rs.iter().filter(|r| r.status == 201).count(), 33);
    assert_eq!(rs.iter().filter(|r| r.status == 422).count(), 7);
    let b = app.get("/point/api/balance/me", Some(&mt)).await.expect(200);
    assert_eq!(b.data()["balance"], 1);
    app.post(
        &format!("/point/api/transactions/{eid}/reverse"),
        Some(&t),
        json!({"points": 1, "reason": "return"}),
    )
    .await
    .expect(201);
    crate::point::assert_ledger_consistent(&app).await;
}

#[tokio::test]
async fn embedded_tiers_climb_from_earns_and_interests_save() {
    let app = spawn(
        Opts {
            sqlite: true,
            ..Default::default()
        }
        .var("SBM_OUTBOX_POLL_MS", "50"),
    )
    .await;
    let t = app.admin_token().await;
    for (code, rank, threshold) in [("base", 0, 0), ("silver", 1, 300)] {
        app.post(
            "/cluster/api/tiers",
            Some(&t),
            json!({"code": code, "name_en": code, "rank": rank, "isDefault": rank == 0,
                   "qualification": {"metric": "purchase_amount", "threshold": threshold, "window": "calendar_year"}}),
        )
        .await
        .expect(201);
    }
    let r = app.get("/cluster/api/tiers", None).await.expect(200);
    assert_eq!(r.data()["data"]["meta"]["total"], 2);
    let (mt, m) = app.member_token("ok-lite-tier").await;
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": m, "purchase": {"amount": 300}, "externalId": "p1", "source": "pos"}),
    )
    .await
    // No rule gives points for it; the purchase still counts towards the tier.
    .expect(200);
    let mut tier = String::new();
    for _ in 0..200 {
        let p = app.get("/cluster/api/tier-projections/me", Some(&mt)).await.expect(200);
        tier = p.data()["currentTier"]["code"].as_str().unwrap().to_string();
        if tier == "silver" {
            assert_eq!(p.data()["qualifying"]["value"], 300);
            assert_eq!(p.data()["qualifying"]["currency"], "THB");
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(tier, "silver");
    assert_eq!(app.events("tier.changed").await.len(), 1);
    // A badge for the first purchase, earned from the next one, its points credited once.
    app.post(
        "/cluster/api/badges",
        Some(&t),
        json!({"code": "first", "name_en": "First", "visibility": "public", "rewardPoints": 5,
               "criteria": {"event": "purchase", "measure": "count", "target": 1, "window": {"kind": "lifetime"}}}),
    )
    .await
    .expect(201);
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": m, "purchase": {"amount": 100}, "externalId": "p2", "source": "pos"}),
    )
    .await
    .expect(200);
    let mut balance = 0;
    for _ in 0..200 {
        balance = app.get("/point/api/balance/me", Some(&mt)).await.expect(200).data()["balance"]
            .as_i64()
            .unwrap();
        if balance > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(balance, 5);
    let mine = app
        .get("/cluster/api/badge-member-progress/me", Some(&mt))
        .await
        .expect(200);
    assert_eq!(mine.data()["data"][0]["earned"], true);
    let i = app
        .post(
            "/cluster/api/interests",
            Some(&t),
            json!({"code": "food", "name_en": "Food"}),
        )
        .await
        .expect(201);
    app.put(
        "/cluster/api/interests/me",
        Some(&mt),
        json!({"interestIds": [i.data()["id"]]}),
    )
    .await
    .expect(200);
    assert_eq!(app.events("member.interests_updated").await.len(), 1);
    // Reward catalogs by tier: the silver one is visible, the gold one is not.
    for (code, tier) in [("silver-deals", "silver"), ("gold-deals", "gold")] {
        app.post(
            "/reward/api/reward-catalogs",
            Some(&t),
            json!({"code": code, "name_en": code, "visibility": "tiers", "tierCodes": [tier]}),
        )
        .await
        .expect(201);
    }
    let r = app.get("/reward/api/reward-catalogs", Some(&mt)).await.expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
    assert_eq!(r.data()["data"][0]["code"], "silver-deals");
    // A pool reward in it: codes imported, one redeemed (the single writer takes the code),
    // used, and a second one cancelled with its points refunded.
    let cat = r.data()["data"][0]["id"].clone();
    let reward = app
        .post(
            "/reward/api/rewards",
            Some(&t),
            json!({"code": "tote", "catalogId": cat, "type": "gift", "name_en": "Tote bag", "pointsCost": 40,
                   "codeMode": "pool", "stockTotal": 2}),
        )
        .await
        .expect(201)
        .data()["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.post(
        &format!("/reward/api/rewards/{reward}/codes"),
        Some(&t),
        json!({"codes": ["TOTE-1", "TOTE-2", "TOTE-3"]}),
    )
    .await
    .expect(201);
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": m, "points": 100, "source": "sqlite-smoke"}),
    )
    .await
    .expect(201);
    let before = app.get("/point/api/balance/me", Some(&mt)).await.expect(200).data()["balance"]
        .as_i64()
        .unwrap();
    let a = app
        .post("/reward/api/redemptions", Some(&mt), json!({"rewardId": reward}))
        .await
        .expect(201);
    assert_eq!(a.data()["code"], "TOTE-1");
    let b = app
        .post("/reward/api/redemptions", Some(&mt), json!({"rewardId": reward}))
        .await
        .expect(201);
    let r = app
        .post("/reward/api/redemptions", Some(&mt), json!({"rewardId": reward}))
        .await
        .expect(409);
    assert_eq!(r.body["data"]["errors"][0]["message"], "out_of_stock");
    app.post(
        &format!("/reward/api/redemptions/{}/use", a.data()["id"].as_str().unwrap()),
        Some(&t),
        json!({"qr": a.data()["qr"]}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/reward/api/redemptions/{}/cancel", b.data()["id"].as_str().unwrap()),
        Some(&mt),
        json!({}),
    )
    .await
    .expect(200);
    let after = app.get("/point/api/balance/me", Some(&mt)).await.expect(200).data()["balance"]
        .as_i64()
        .unwrap();
    assert_eq!(before - after, 40);
    let r = app.get("/reward/api/redemptions/me", Some(&mt)).await.expect(200);
    assert_eq!(r.data()["meta"]["total"], 2);
    // The inbox fills from the same events on SQLite, and counts what is unread.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let r = app
            .get("/notification/api/notifications/me?category=transactions", Some(&mt))
            .await
            .expect(200);
        let kinds: Vec<String> = r.data()["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap().to_string())
            .collect();
        if kinds.iter().any(|k| k == "redemption.cancelled") {
            assert!(kinds.iter().any(|k| k == "points.earned"), "{kinds:?}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the inbox stayed short: {kinds:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let r = app
        .get("/notification/api/notifications/me/unread-count", Some(&mt))
        .await
        .expect(200);
    assert!(r.data()["total"].as_i64().unwrap() >= 4, "{:?}", r.body);
}

#[tokio::test]
async fn embedded_stream_broadcasts_and_mail_work_on_sqlite() {
    let app = spawn(
        Opts {
            sqlite: true,
            ..Default::default()
        }
        .var("SBM_OUTBOX_POLL_MS", "50")
        .var("SBM_MAIL_POLL_MS", "100"),
    )
    .await;
    let t = app.admin_token().await;
    let sink = SmtpSink::start(None).await;
    let (mt, m) = app.member_token("ok-embedded-stream").await;
    app.patch(
        &format!("/auth/api/members/{m}"),
        Some(&t),
        json!({"email": "mei@example.test", "locale": "cn"}),
    )
    .await
    .expect(200);
    let sender = app
        .post(
            "/notification/api/mail-senders",
            Some(&t),
            json!({"name": "Desk", "fromEmail": "desk@shop.test", "host": "127.0.0.1", "port": sink.port, "security": "none"}),
        )
        .await
        .expect(201);
    let tpl = app
        .post(
            "/notification/api/mail-templates",
            Some(&t),
            json!({"code": "earned", "name": "Earned", "variables": [{"name": "points", "required": true}],
                   "locales": {"en": {"subject": "+{{ points }}", "html": "<p>{{ points }}</p>", "text": "{{ points }}"},
                               "cn": {"subject": "积分 +{{ points }}", "html": "<p>{{ points }}</p>", "text": "{{ points }}"}}}),
        )
        .await
        .expect(201);
    app.post(
        "/notification/api/mail-actions",
        Some(&t),
        json!({"name": "Earned", "event": "points.earned", "templateId": tpl.data()["id"],
               "senderId": sender.data()["id"], "recipient": "member"}),
    )
    .await
    .expect(201);

    // Notification learns the language from auth's event; a stream takes it when it opens.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while sql_one(
        &app.db,
        "SELECT locale FROM notification_members WHERE member_id = $1",
        vec![m.clone().into()],
    )
    .await
    .unwrap()
    .and_then(|r| r.try_get::<String>("", "locale").ok())
    .as_deref()
        != Some("cn")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the directory never learnt the locale"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The stream runs on in-process wake-ups here.
    let mut s = SseClient::open(&format!("{}/notification/api/sse", app.base), Some(&mt), &[]).await;
    assert_eq!(s.status, 200);
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": m, "points": 12, "source": "test"}),
    )
    .await
    .expect(201);
    let e = s.next_event(Duration::from_secs(5)).await.expect("the earn, live");
    assert_eq!(e.event, "points.earned");
    let n = s.next_event(Duration::from_secs(5)).await.expect("its notification");
    assert_eq!(n.event, "notification.created");
    assert_eq!(n.json()["title"], "您获得了 12 积分", "in the member's language");

    let msgs = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0]["subject"], "积分 +12");
    assert_eq!(msgs[0]["to"], json!(["mei@example.test"]));

    let b = app
        .post(
            "/notification/api/broadcasts",
            Some(&t),
            json!({"category": "updates", "title_en": "Hello", "body_en": "Everyone", "audience": "all"}),
        )
        .await
        .expect(201);
    assert_eq!(b.data()["status"], "scheduled");
    let e = s.next_event(Duration::from_secs(5)).await.expect("the broadcast, live");
    assert_eq!(e.event, "notification.created");
    assert_eq!(e.json()["kind"], "broadcast");
}
