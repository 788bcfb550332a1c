//! The notification service: the inbox written from the other services' events (once per
//! event, in the member's language), read, counted and marked by its member; preferences.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::*;

fn fast() -> Opts {
    Opts::default().var("SBM_OUTBOX_POLL_MS", "50")
}

async fn inbox(app: &TestApp, token: &str, query: &str) -> Value {
    app.get(&format!("/notification/api/notifications/me{query}"), Some(token))
        .await
        .expect(200)
        .data()
        .clone()
}

/// Waits until the member's inbox holds `n` notifications; returns their kinds, newest first.
async fn kinds_when(app: &TestApp, token: &str, n: usize) -> Vec<String> {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let page = inbox(app, token, "?limit=100").await;
        let kinds: Vec<String> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap().to_string())
            .collect();
        if kinds.len() >= n || std::time::Instant::now() > deadline {
            return kinds;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the inbox consumer has read every event there is.
async fn caught_up(app: &TestApp) {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let n = sql_one(
            &app.db,
            "SELECT COUNT(*) AS n FROM consumer_offsets WHERE consumer = 'notification.inbox' \
             AND last_event_id >= (SELECT MAX(id) FROM events)",
            vec![],
        )
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
        if n == 1 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the inbox consumer never caught up"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Two tiers: `base` (the default) and `gold` from 100 points earned.
async fn base_and_gold(app: &TestApp, t: &str) {
    for (code, rank, threshold) in [("base", 0, 0), ("gold", 1, 100)] {
        app.post(
            "/cluster/api/tiers",
            Some(t),
            json!({"code": code, "name_en": code, "rank": rank, "isDefault": rank == 0,
                   "qualification": {"metric": "points_earned", "threshold": threshold, "window": "lifetime"}}),
        )
        .await
        .expect(201);
    }
}

async fn post_ok(app: &TestApp, path: &str, token: &str, body: Value) -> Value {
    app.post(path, Some(token), body).await.expect(201).data().clone()
}

#[tokio::test]
async fn events_fill_the_inbox_once_in_the_members_language() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    base_and_gold(&app, &t).await;
    let (mt, m) = app.member_token("ok-inbox").await;
    // An earn: a transactions notification, and the climb to gold: a loyalty one.
    post_ok(
        &app,
        "/point/api/transactions/earn",
        &t,
        json!({"memberId": m, "points": 150, "source": "pos"}),
    )
    .await;
    let kinds = kinds_when(&app, &mt, 2).await;
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    assert!(kinds.contains(&"points.earned".to_string()) && kinds.contains(&"tier.changed".to_string()));
    let page = inbox(&app, &mt, "?category=transactions").await;
    assert_eq!(page["data"][0]["title"], "You earned 150 points");
    assert_eq!(page["data"][0]["body"], "Your balance is now 150 points.");
    assert_eq!(page["data"][0]["data"]["balance"], 150);
    let page = inbox(&app, &mt, "?category=transactions&locale=th").await;
    assert_eq!(page["data"][0]["title"], "คุณได้รับ 150 คะแนน");
    let page = inbox(&app, &mt, "?category=loyalty&locale=cn").await;
    assert_eq!(page["data"][0]["title"], "欢迎升级至 gold！");
    // A redemption tells once: its spend is not told again as points used.
    let cat = post_ok(
        &app,
        "/reward/api/reward-catalogs",
        &t,
        json!({"code": "c", "name_en": "C"}),
    )
    .await;
    let reward = post_ok(
        &app,
        "/reward/api/rewards",
        &t,
        json!({"code": "latte", "catalogId": cat["id"], "type": "voucher", "name_en": "Latte", "pointsCost": 20}),
    )
    .await;
    post_ok(&app, "/reward/api/redemptions", &mt, json!({"rewardId": reward["id"]})).await;
    post_ok(
        &app,
        "/point/api/transactions/spend",
        &t,
        json!({"memberId": m, "points": 30, "reason": "Coffee"}),
    )
    .await;
    let kinds = kinds_when(&app, &mt, 4).await;
    assert_eq!(kinds.len(), 4, "{kinds:?}");
    assert!(kinds.contains(&"redemption.created".to_string()), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "points.spent").count(), 1, "{kinds:?}");
    let page = inbox(&app, &mt, "?category=transactions").await;
    let titles: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Reward redeemed: latte"), "{titles:?}");
    assert!(titles.contains(&"You used 30 points"), "{titles:?}");
    // Replaying every event writes nothing new.
    sql_exec(
        &app.db,
        "UPDATE consumer_offsets SET last_event_id = 0 WHERE consumer = 'notification.inbox'",
        vec![],
    )
    .await
    .unwrap();
    caught_up(&app).await;
    assert_eq!(
        inbox(&app, &mt, "").await["meta"]["total"],
        4,
        "one notification per event"
    );
    // Unread counts per category; mark one, then all of a category.
    let r = app
        .get("/notification/api/notifications/me/unread-count", Some(&mt))
        .await
        .expect(200);
    assert_eq!(r.data()["total"], 4);
    assert_eq!(r.data()["byCategory"]["transactions"], 3);
    assert_eq!(r.data()["byCategory"]["offers"], 0);
    let first = inbox(&app, &mt, "?category=loyalty").await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .patch(
            &format!("/notification/api/notifications/{first}"),
            Some(&mt),
            json!({"read": true}),
        )
        .await
        .expect(200);
    let read_at = r.data()["readAt"].clone();
    assert!(read_at.is_string());
    let r = app
        .patch(
            &format!("/notification/api/notifications/{first}"),
            Some(&mt),
            json!({"read": true}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["readAt"], read_at, "the first read time stays");
    assert_eq!(inbox(&app, &mt, "?read=false").await["meta"]["total"], 3);
    assert_eq!(inbox(&app, &mt, "?read=true").await["meta"]["total"], 1);
    let r = app
        .post(
            "/notification/api/notifications/me/read-all",
            Some(&mt),
            json!({"category": "transactions"}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["updated"], 3);
    let r = app
        .get("/notification/api/notifications/me/unread-count", Some(&mt))
        .await
        .expect(200);
    assert_eq!(r.data()["total"], 0);
    // Someone else's notification is not found; staff have no inbox; bad filters are 400s.
    let (ot, _) = app.member_token("ok-inbox-other").await;
    app.patch(
        &format!("/notification/api/notifications/{first}"),
        Some(&ot),
        json!({"read": true}),
    )
    .await
    .expect(404);
    app.get("/notification/api/notifications/me", Some(&t))
        .await
        .expect(403);
    app.get("/notification/api/notifications/me?category=spam", Some(&mt))
        .await
        .expect(400);
    app.get("/notification/api/notifications/me?read=maybe", Some(&mt))
        .await
        .expect(400);
    app.get("/notification/api/notifications/me?dateFrom=soon", Some(&mt))
        .await
        .expect(400);
    assert_eq!(
        inbox(&app, &mt, "?dateFrom=2099-01-01T00:00:00Z").await["meta"]["total"],
        0
    );
}

#[tokio::test]
async fn preferences_turn_categories_off_but_never_the_transactional_ones() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    base_and_gold(&app, &t).await;
    let (mt, m) = app.member_token("ok-prefs").await;
    let r = app.get("/notification/api/preferences/me", Some(&mt)).await.expect(200);
    assert_eq!(r.data()["categories"]["loyalty"], true);
    assert_eq!(r.data()["channels"]["email"], true);
    assert_eq!(r.data()["quietHours"], Value::Null);
    let r = app
        .put(
            "/notification/api/preferences/me",
            Some(&mt),
            json!({"categories": {"transactions": false, "spam": true}, "channels": {"fax": true},
                   "quietHours": {"start": "25:00", "end": "07:00"}}),
        )
        .await
        .expect(400);
    assert_eq!(
        r.error_fields(),
        [
            "categories.spam",
            "categories.transactions",
            "channels.fax",
            "quietHours.start"
        ]
    );
    let r = app
        .put(
            "/notification/api/preferences/me",
            Some(&mt),
            json!({"categories": {"loyalty": false}, "channels": {"push": false},
                   "quietHours": {"start": "22:00", "end": "07:00", "utcOffsetMinutes": 420}}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["categories"]["loyalty"], false);
    assert_eq!(r.data()["categories"]["offers"], true);
    assert_eq!(r.data()["quietHours"]["utcOffsetMinutes"], 420);
    let r = app.get("/notification/api/preferences/me", Some(&mt)).await.expect(200);
    assert_eq!(r.data()["channels"]["push"], false);
    assert_eq!(r.data()["quietHours"]["start"], "22:00");
    // Loyalty off: the climb to gold is not told; the earn (transactional) is.
    post_ok(
        &app,
        "/point/api/transactions/earn",
        &t,
        json!({"memberId": m, "points": 150, "source": "pos"}),
    )
    .await;
    // The climb is cluster's event, written once cluster has read the earn.
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while app.events("tier.changed").await.is_empty() {
        assert!(std::time::Instant::now() < deadline, "no tier change");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    caught_up(&app).await;
    assert_eq!(
        kinds_when(&app, &mt, 1).await,
        ["points.earned"],
        "the tier change is not told"
    );
    app.put("/notification/api/preferences/me", Some(&t), json!({}))
        .await
        .expect(403);
}

/// Every event the inbox reads, as its emitter writes it, parses through the inbox's views:
/// notification cannot name the emitters' types (it depends on `common` only), so this is
/// where a renamed or retyped field fails, not in a consumer stuck in production.
#[test]
fn every_emitted_event_the_inbox_reads_parses() {
    use sbm_common::events::DomainEvent;
    use sbm_notification::domain::{inbound, texts};
    let at = chrono::DateTime::parse_from_rfc3339("2027-01-01T00:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    fn event<E: DomainEvent>(e: &E) -> sbm_common::outbox::Event {
        sbm_common::outbox::Event {
            id: 1,
            topic: E::TOPIC.to_string(),
            aggregate_id: e.aggregate_id(),
            payload: serde_json::to_value(e).unwrap(),
            created_at: chrono::DateTime::UNIX_EPOCH,
        }
    }
    use sbm_cluster::domain::events as c;
    use sbm_point::domain::events as p;
    use sbm_reward::domain::events as r;
    let m = || "m-1".to_string();
    let s = |v: &str| v.to_string();
    let events = vec![
        event(&p::PointsEarned {
            transaction_id: s("t"),
            member_id: m(),
            points: 5,
            balance: 5,
            source: s("pos"),
            external_id: None,
            reason: s("r"),
            lots: vec![],
            breakdown: None,
            at,
        }),
        event(&p::PointsSpent {
            transaction_id: s("t"),
            member_id: m(),
            points: -5,
            balance: 0,
            source: s("api"),
            external_id: None,
            reason: s("r"),
            lots: vec![],
            at,
        }),
        event(&p::PointsExpired {
            transaction_id: s("t"),
            member_id: m(),
            points: -5,
            balance: 0,
            lots: vec![],
            expired_at: at,
        }),
        event(&p::ReceiptApproved {
            receipt_id: s("rc"),
            member_id: m(),
            amount: 100,
            points: 4,
        }),
        event(&p::ReceiptRejected {
            receipt_id: s("rc"),
            member_id: m(),
            reason: s("blurry"),
        }),
        event(&c::TierChanged {
            member_id: m(),
            from_tier_id: None,
            from_tier_code: None,
            to_tier_id: s("t"),
            to_tier_code: s("gold"),
            direction: s("up"),
            reason: s("qualified"),
            source: s("auto"),
            qualifying_value: Some(100),
            valid_until: None,
            at,
        }),
        event(&c::TierDowngradeWarning {
            member_id: m(),
            tier_id: s("t"),
            tier_code: s("gold"),
            to_tier_code: s("base"),
            evaluates_at: at,
            metric: s("points_earned"),
            threshold: 100,
            projected_value: 50,
            needed: 50,
            at,
        }),
        event(&c::BadgeAwarded {
            award_id: s("a"),
            badge_id: s("b"),
            badge_code: s("first"),
            member_id: m(),
            seq: 1,
            source: s("auto"),
            reward_points: None,
            at,
        }),
        event(&r::RedemptionCreated {
            redemption_id: s("rd"),
            member_id: m(),
            reward_id: s("rw"),
            reward_code: s("latte"),
            points_cost: 10,
            spend_transaction_id: None,
            code: None,
            store_id: None,
            expires_at: None,
            at,
        }),
        event(&r::RedemptionUsed {
            redemption_id: s("rd"),
            member_id: m(),
            reward_id: s("rw"),
            reward_code: s("latte"),
            code: None,
            store_id: None,
            used_by: None,
            at,
        }),
        event(&r::RedemptionCancelled {
            redemption_id: s("rd"),
            member_id: m(),
            reward_id: s("rw"),
            reward_code: s("latte"),
            points_refunded: 10,
            refund_transaction_id: None,
            from_status: s("claimed"),
            cancelled_by: None,
            reason: None,
            at,
        }),
        event(&p::PointsExpiring {
            member_id: m(),
            points: 50,
            expires_at: at,
            lots: vec![],
            at,
        }),
        event(&p::TicketApproved {
            ticket_id: s("tk"),
            member_id: m(),
            points: 20,
            transaction_id: s("t"),
            at,
        }),
        event(&p::TicketRejected {
            ticket_id: s("tk"),
            member_id: m(),
            reason: s("no proof"),
            at,
        }),
        event(&r::RedemptionExpired {
            redemption_id: s("rd"),
            member_id: m(),
            reward_id: s("rw"),
            reward_code: s("latte"),
            expires_at: at,
            at,
        }),
    ];
    let mut topics: Vec<&str> = events.iter().map(|e| e.topic.as_str()).collect();
    let mut read = inbound::TOPICS.to_vec();
    topics.sort_unstable();
    read.sort_unstable();
    assert_eq!(topics, read, "every topic the inbox reads is covered");
    for e in &events {
        let d = texts::draft(e)
            .unwrap_or_else(|err| panic!("{}: {err:#}", e.topic))
            .unwrap_or_else(|| panic!("{} made no notification", e.topic));
        assert_eq!(d.member_id, "m-1");
        assert!(!d.title.en.is_empty() && !d.title.th.is_empty() && !d.title.cn.is_empty());
    }
}

#[tokio::test]
async fn expiring_points_and_ticket_decisions_are_emitted_once_and_reach_the_inbox() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let clock = app.running().state.clock.clone();
    let at = |s: &str| {
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    clock.set(at("2027-03-01T09:00:00Z"));
    let (mt, m) = app.member_token("ok-expiring").await;
    for (points, expires) in [(40, "2027-03-04T00:00:00Z"), (60, "2027-04-30T00:00:00Z")] {
        post_ok(
            &app,
            "/point/api/transactions/earn",
            &t,
            json!({"memberId": m, "points": points, "source": "pos", "expiresAt": expires}),
        )
        .await;
    }
    // Within the next 7 days: the 40 points, told once; the 60 are told in their own time.
    let state = &app.running().state;
    let warn = || sbm_point::domain::ledger::warn_expiring(&state.db, clock.now(), 7);
    assert_eq!(warn().await.unwrap(), 1);
    assert_eq!(warn().await.unwrap(), 0);
    let ev = app.events("points.expiring").await;
    assert_eq!(ev.len(), 1);
    assert_eq!(
        (ev[0]["points"].as_i64(), ev[0]["memberId"].as_str()),
        (Some(40), Some(m.as_str()))
    );
    clock.set(at("2027-04-25T09:00:00Z"));
    assert_eq!(warn().await.unwrap(), 1);
    assert_eq!(app.events("points.expiring").await[1]["points"], 60);
    // Tickets: filed, approved, rejected, cancelled; each change is its event.
    let file = |points: i64| {
        app.post(
            "/point/api/point-request-tickets",
            Some(&mt),
            json!({"description": "Missing points for order 7", "requestedPoints": points}),
        )
    };
    let a = file(20).await.expect(201).data()["id"].as_str().unwrap().to_string();
    let b = file(30).await.expect(201).data()["id"].as_str().unwrap().to_string();
    let c = file(40).await.expect(201).data()["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/point/api/point-request-tickets/{a}/approve"),
        Some(&t),
        json!({}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/point/api/point-request-tickets/{b}/reject"),
        Some(&t),
        json!({"reason": "No receipt for order 7"}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/point/api/point-request-tickets/{c}/cancel"),
        Some(&mt),
        json!({}),
    )
    .await
    .expect(200);
    assert_eq!(app.events("ticket.created").await.len(), 3);
    let approved = app.events("ticket.approved").await;
    assert_eq!((approved.len(), approved[0]["points"].as_i64()), (1, Some(20)));
    assert_eq!(
        app.events("ticket.rejected").await[0]["reason"],
        "No receipt for order 7"
    );
    assert_eq!(app.events("ticket.cancelled").await[0]["ticketId"], c.as_str());
    // The inbox tells the expiring points and both decisions.
    caught_up(&app).await;
    let page = inbox(&app, &mt, "?limit=50").await;
    let titles: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap())
        .collect();
    for want in [
        "40 points expire soon",
        "60 points expire soon",
        "Point request approved",
        "Point request not approved",
    ] {
        assert!(titles.contains(&want), "{want} missing from {titles:?}");
    }
    let rejected = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "ticket.rejected")
        .unwrap();
    assert_eq!(rejected["body"], "No receipt for order 7");
}

/// Waits until the member's inbox holds a notification of `kind`; returns it.
async fn notification_of(app: &TestApp, token: &str, kind: &str) -> Option<Value> {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let page = inbox(app, token, "?limit=100").await;
        if let Some(n) = page["data"].as_array().unwrap().iter().find(|n| n["kind"] == kind) {
            return Some(n.clone());
        }
        if std::time::Instant::now() > deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the broadcast `r` (as created) was sent; returns it.
async fn sent(app: &TestApp, t: &str, r: &Res) -> Value {
    let id = r.data()["id"].as_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let b = app
            .get(&format!("/notification/api/broadcasts/{id}"), Some(t))
            .await
            .expect(200);
        if b.data()["status"] == "sent" {
            return b.data().clone();
        }
        assert!(std::time::Instant::now() < deadline, "never sent: {}", b.body);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn broadcasts_reach_tiers_interests_and_lists_now_or_when_scheduled() {
    let app = spawn(fast().var("SBM_MAIL_POLL_MS", "100")).await;
    let t = app.admin_token().await;
    base_and_gold(&app, &t).await;
    let golf = app
        .post(
            "/cluster/api/interests",
            Some(&t),
            json!({"code": "golf", "name_en": "Golf", "sortOrder": 1}),
        )
        .await
        .expect(201)
        .data()["id"]
        .clone();
    let (at, a) = app.member_token("ok-bc-a").await;
    let (bt, b) = app.member_token("ok-bc-b").await;
    let (ct, _c) = app.member_token("ok-bc-c").await;
    app.post(
        "/point/api/transactions/earn",
        Some(&t),
        json!({"memberId": a, "points": 150, "source": "test"}),
    )
    .await
    .expect(201);
    app.put("/cluster/api/interests/me", Some(&bt), json!({"interestIds": [golf]}))
        .await
        .expect(200);
    // C does not want offers.
    app.put(
        "/notification/api/preferences/me",
        Some(&ct),
        json!({"categories": {"offers": false}}),
    )
    .await
    .expect(200);
    // The directory knows A is gold and B likes golf once the consumer has read it all.
    caught_up(&app).await;
    assert!(notification_of(&app, &at, "tier.changed").await.is_some());

    let compose = |audience: &str, targets: Value| {
        json!({"category": "offers", "title_en": "Double points weekend", "title_th": "สุดสัปดาห์คะแนนสองเท่า",
               "body_en": "Earn twice the points this weekend.", "audience": audience, "targets": targets,
               "ctaUrl": "app://offers/double"})
    };
    let gold = app
        .post(
            "/notification/api/broadcasts",
            Some(&t),
            compose("tiers", json!(["gold"])),
        )
        .await
        .expect(201);
    assert_eq!(gold.data()["status"], "scheduled", "the dispatcher sends it, in chunks");
    let gold_sent = sent(&app, &t, &gold).await;
    assert_eq!(gold_sent["recipients"], 1);
    assert_eq!(gold_sent["delivered"], 1);
    let n = notification_of(&app, &at, "broadcast").await.expect("A got it");
    assert_eq!(n["title"], "Double points weekend");
    assert_eq!(n["ctaUrl"], "app://offers/double");
    assert_eq!(n["data"]["broadcastId"], gold.data()["id"]);
    let th = inbox(&app, &at, "?locale=th&category=offers").await;
    assert_eq!(th["data"][0]["title"], "สุดสัปดาห์คะแนนสองเท่า");
    assert_eq!(
        th["data"][0]["body"], "Earn twice the points this weekend.",
        "English where no Thai was given"
    );
    assert!(
        inbox(&app, &bt, "?category=offers").await["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    let golfers = app
        .post(
            "/notification/api/broadcasts",
            Some(&t),
            compose("interests", json!(["golf"])),
        )
        .await
        .expect(201);
    assert_eq!(sent(&app, &t, &golfers).await["recipients"], 1);
    assert!(notification_of(&app, &bt, "broadcast").await.is_some());
    // C is in the audience but turned offers off: a recipient, not a delivery.
    let listed = app
        .post(
            "/notification/api/broadcasts",
            Some(&t),
            compose("members", json!([b, _c])),
        )
        .await
        .expect(201);
    let listed = sent(&app, &t, &listed).await;
    assert_eq!(listed["recipients"], 2);
    assert_eq!(listed["delivered"], 1);
    let all = app
        .post("/notification/api/broadcasts", Some(&t), compose("all", json!([])))
        .await
        .expect(201);
    assert_eq!(sent(&app, &t, &all).await["recipients"], 3);

    // Scheduled: sent by the job when due; another is cancelled before.
    let soon = (app.running().state.clock.now() + chrono::Duration::seconds(2)).to_rfc3339();
    let mut body = compose("tiers", json!(["gold"]));
    body["scheduledAt"] = json!(soon);
    body["title_en"] = json!("Scheduled hello");
    let scheduled = app
        .post("/notification/api/broadcasts", Some(&t), body.clone())
        .await
        .expect(201);
    assert_eq!(scheduled.data()["status"], "scheduled");
    body["scheduledAt"] = json!((app.running().state.clock.now() + chrono::Duration::days(30)).to_rfc3339());
    let later = app
        .post("/notification/api/broadcasts", Some(&t), body)
        .await
        .expect(201);
    let later_id = later.data()["id"].as_str().unwrap().to_string();
    let r = app
        .get("/notification/api/broadcasts?status=scheduled", Some(&t))
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 2);
    app.post(
        &format!("/notification/api/broadcasts/{later_id}/cancel"),
        Some(&t),
        json!({}),
    )
    .await
    .expect(200);
    app.post(
        &format!("/notification/api/broadcasts/{later_id}/cancel"),
        Some(&t),
        json!({}),
    )
    .await
    .expect(409);
    let sid = scheduled.data()["id"].as_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let r = app
            .get(&format!("/notification/api/broadcasts/{sid}"), Some(&t))
            .await
            .expect(200);
        if r.data()["status"] == "sent" {
            assert_eq!(r.data()["recipients"], 1);
            assert_eq!(r.data()["delivered"], 1);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "never sent: {}", r.body);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let kinds = kinds_when(&app, &at, 0).await;
    assert_eq!(kinds.iter().filter(|k| *k == "broadcast").count(), 3);
    app.post(
        &format!("/notification/api/broadcasts/{sid}/cancel"),
        Some(&t),
        json!({}),
    )
    .await
    .expect(409);

    // Bad input names the field; a viewer may read but not compose.
    let r = app
        .post("/notification/api/broadcasts", Some(&t), compose("tiers", json!([])))
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["targets"]);
    let viewer = app.staff_token("viewer").await;
    app.get("/notification/api/broadcasts", Some(&viewer)).await.expect(200);
    app.post("/notification/api/broadcasts", Some(&viewer), compose("all", json!([])))
        .await
        .expect(403);
    app.get("/notification/api/broadcasts/nope", Some(&t)).await.expect(404);
}

#[tokio::test]
async fn a_new_consent_document_reaches_every_member_in_their_language() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let (at, _) = app.member_token("ok-doc-a").await;
    let (bt, b) = app.member_token("ok-doc-b").await;
    // B reads Thai (as auth tells notification through member.updated).
    app.patch(&format!("/auth/api/members/{b}"), Some(&t), json!({"locale": "th"}))
        .await
        .expect(200);
    app.post(
        "/auth/api/consent-documents",
        Some(&t),
        json!({"kind": "privacy_policy", "title_en": "Privacy", "title_th": "นโยบาย",
               "body_en": "We keep your points safe.", "body_th": "เราเก็บคะแนนของคุณอย่างปลอดภัย"}),
    )
    .await
    .expect(201);
    let a = notification_of(&app, &at, "consent.document_published")
        .await
        .expect("A told");
    assert_eq!(a["category"], "system");
    assert!(a["title"].as_str().unwrap().starts_with("New privacy_policy"));
    // Without ?locale, B's inbox is in B's language.
    let b = notification_of(&app, &bt, "consent.document_published")
        .await
        .expect("B told");
    assert!(b["title"].as_str().unwrap().contains("ฉบับใหม่"), "{b}");
}
