//! Mail against a real SMTP server (aiosmtpd, started per test): templates checked on save and
//! previewed, senders with a write-only password and a real test message, actions that turn
//! events into mail in the member's language (once, even when events are replayed), retries
//! with backoff, staff retry, and the staff password reset link.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::*;

fn fast() -> Opts {
    Opts::default()
        .var("SBM_OUTBOX_POLL_MS", "50")
        .var("SBM_MAIL_POLL_MS", "100")
}

async fn sender(app: &TestApp, t: &str, port: u16, auth: Option<(&str, &str)>) -> Value {
    let mut body = json!({"name": "Loyalty desk", "fromEmail": "loyalty@shop.test", "fromName": "Shop Loyalty",
                          "host": "127.0.0.1", "port": port, "security": "none"});
    if let Some((u, p)) = auth {
        body["username"] = json!(u);
        body["password"] = json!(p);
    }
    app.post("/notification/api/mail-senders", Some(t), body)
        .await
        .expect(201)
        .data()
        .clone()
}

fn earned_template() -> Value {
    json!({
        "code": "points-earned",
        "name": "Points earned",
        "variables": [{"name": "points", "required": true}, {"name": "balance", "required": true},
                      {"name": "firstName"}],
        "locales": {
            "en": {"subject": "You earned {{ points }} points",
                   "html": "<p>Hi {{ firstName }}, your balance is <b>{{ balance }}</b>.</p>",
                   "text": "Hi {{ firstName }}, your balance is {{ balance }}."},
            "th": {"subject": "คุณได้รับ {{ points }} คะแนน",
                   "html": "<p>สวัสดี {{ firstName }} ยอดคะแนน <b>{{ balance }}</b></p>",
                   "text": "สวัสดี {{ firstName }} ยอดคะแนน {{ balance }}"}
        }
    })
}

async fn enrol(app: &TestApp, t: &str, first: &str, email: Option<&str>, locale: &str) -> String {
    let mut body = json!({"firstName": first, "lastName": "Test", "locale": locale,
                          "phone": format!("08{}", &uuid::Uuid::new_v4().as_u128().to_string()[..8])});
    if let Some(e) = email {
        body["email"] = json!(e);
    }
    app.post("/auth/api/members", Some(t), body).await.expect(201).data()["id"]
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

async fn deliveries(app: &TestApp, t: &str, query: &str) -> Vec<Value> {
    app.get(&format!("/notification/api/mail-deliveries{query}"), Some(t))
        .await
        .expect(200)
        .data()["data"]
        .as_array()
        .unwrap()
        .clone()
}

/// Waits until the deliveries matching `query` are `n` and none is queued or sending.
async fn settled(app: &TestApp, t: &str, query: &str, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let d = deliveries(app, t, query).await;
        let busy = d.iter().any(|x| x["status"] == "queued" || x["status"] == "sending");
        if (d.len() >= n && !busy) || Instant::now() > deadline {
            return d;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn templates_are_checked_on_save_and_preview_names_a_missing_variable() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let path = "/notification/api/mail-templates";

    let mut bad = earned_template();
    bad["locales"]["en"]["html"] = json!("<p>{{ balance </p>");
    let r = app.post(path, Some(&t), bad).await.expect(400);
    assert_eq!(r.error_fields(), ["locales.en.html"], "{}", r.body);
    let mut undeclared = earned_template();
    undeclared["locales"]["th"]["text"] = json!("{{ secret }}");
    let r = app.post(path, Some(&t), undeclared).await.expect(400);
    assert_eq!(r.error_fields(), ["locales.th.text"]);
    assert!(r.body.to_string().contains("secret"));
    let mut no_en = earned_template();
    no_en["locales"].as_object_mut().unwrap().remove("en");
    assert_eq!(
        app.post(path, Some(&t), no_en).await.expect(400).error_fields(),
        ["locales.en"]
    );

    let created = app.post(path, Some(&t), earned_template()).await.expect(201);
    let id = created.data()["id"].as_str().unwrap().to_string();
    app.post(path, Some(&t), earned_template()).await.expect(409);

    // Preview: a required variable missing is a 422 naming it.
    let r = app
        .post(
            &format!("{path}/{id}/preview"),
            Some(&t),
            json!({"variables": {"points": 5}}),
        )
        .await
        .expect(422);
    assert_eq!(r.error_fields(), ["variables.balance"]);
    // HTML is escaped, the text is not; the locale picks the texts.
    let r = app
        .post(
            &format!("{path}/{id}/preview"),
            Some(&t),
            json!({"variables": {"points": 5, "balance": 12, "firstName": "<Mei & Co>"}, "locale": "th"}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["subject"], "คุณได้รับ 5 คะแนน");
    assert_eq!(r.data()["locale"], "th");
    assert!(r.data()["html"].as_str().unwrap().contains("&lt;Mei &amp; Co&gt;"));
    assert!(r.data()["text"].as_str().unwrap().contains("<Mei & Co>"));
    // A locale the template lacks falls back to English.
    let r = app
        .post(
            &format!("{path}/{id}/preview"),
            Some(&t),
            json!({"variables": {"points": 1, "balance": 1}, "locale": "cn"}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["subject"], "You earned 1 points");

    // PATCH changes what is given, checked as on create.
    let r = app
        .patch(&format!("{path}/{id}"), Some(&t), json!({"name": "Earned"}))
        .await
        .expect(200);
    assert_eq!(r.data()["name"], "Earned");
    assert_eq!(r.data()["code"], "points-earned");
    let r = app
        .patch(
            &format!("{path}/{id}"),
            Some(&t),
            json!({"locales": {"en": {"subject": "{% if %}", "html": "", "text": ""}}}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["locales.en.subject"]);
    let list = app.get(&format!("{path}?search=points"), Some(&t)).await.expect(200);
    assert_eq!(list.data()["meta"]["total"], 1);
    // Staff below manager cannot touch mail.
    let viewer = app.staff_token("viewer").await;
    app.get(path, Some(&viewer)).await.expect(403);
    app.get(&format!("{path}/nope"), Some(&t)).await.expect(404);
}

#[tokio::test]
async fn a_sender_keeps_its_password_write_only_and_its_test_sends_real_mail() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let sink = SmtpSink::start(Some(("mailer", "s3cret-pw"))).await;
    let s = sender(&app, &t, sink.port, Some(("mailer", "s3cret-pw"))).await;
    let id = s["id"].as_str().unwrap().to_string();
    assert_eq!(s["passwordSet"], true);
    assert!(!s.to_string().contains("s3cret-pw"));
    let got = app
        .get(&format!("/notification/api/mail-senders/{id}"), Some(&t))
        .await
        .expect(200);
    assert!(!got.body.to_string().contains("s3cret-pw"));
    assert!(got.data().get("password").is_none());
    let stored = sql_one(
        &app.db,
        "SELECT password_sealed FROM mail_senders WHERE id = $1",
        vec![id.clone().into()],
    )
    .await
    .unwrap()
    .unwrap()
    .try_get::<String>("", "password_sealed")
    .unwrap();
    assert!(stored.starts_with("sealed:v1:") && !stored.contains("s3cret"));

    let r = app
        .post(
            &format!("/notification/api/mail-senders/{id}/test"),
            Some(&t),
            json!({"to": "ops@shop.test"}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["sent"], true);
    let msgs = sink.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0]["subject"], "SBM CRM test message");
    assert_eq!(msgs[0]["auth"], "mailer", "logged in with the stored credentials");
    assert_eq!(msgs[0]["to"], json!(["ops@shop.test"]));
    assert_eq!(msgs[0]["headers"]["From"], "Shop Loyalty <loyalty@shop.test>");

    // A wrong password: the SMTP server's refusal comes back as a 502.
    app.patch(
        &format!("/notification/api/mail-senders/{id}"),
        Some(&t),
        json!({"password": "wrong"}),
    )
    .await
    .expect(200);
    let r = app
        .post(
            &format!("/notification/api/mail-senders/{id}/test"),
            Some(&t),
            json!({"to": "ops@shop.test"}),
        )
        .await
        .expect(502);
    assert!(
        r.body["data"]["message"]
            .as_str()
            .unwrap()
            .contains("mail could not be sent")
    );
    assert!(!r.body.to_string().contains("wrong"));
    // STARTTLS is required when asked for: a server that does not offer it gets no message
    // (and no password) in the clear.
    let tls = app
        .post(
            "/notification/api/mail-senders",
            Some(&t),
            json!({"name": "TLS only", "fromEmail": "loyalty@shop.test", "host": "127.0.0.1", "port": sink.port,
                   "security": "starttls", "username": "mailer", "password": "s3cret-pw"}),
        )
        .await
        .expect(201);
    app.post(
        &format!(
            "/notification/api/mail-senders/{}/test",
            tls.data()["id"].as_str().unwrap()
        ),
        Some(&t),
        json!({"to": "ops@shop.test"}),
    )
    .await
    .expect(502);
    assert_eq!(sink.messages().len(), 1);
    let r = app
        .post(
            "/notification/api/mail-senders",
            Some(&t),
            json!({"name": "x", "fromEmail": "not-an-address", "host": "smtp.test"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["fromEmail"]);
    // A login over plain SMTP only to a relay on this host.
    let r = app
        .post(
            "/notification/api/mail-senders",
            Some(&t),
            json!({"name": "x", "fromEmail": "a@shop.test", "host": "smtp.shop.test", "security": "none",
                   "username": "u", "password": "p"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["security"]);
    let r = app
        .post(
            &format!("/notification/api/mail-senders/{id}/test"),
            Some(&t),
            json!({"to": "nobody"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["to"]);
}

#[tokio::test]
async fn an_event_mails_the_member_in_their_language_once_even_when_events_are_replayed() {
    let app = spawn(fast()).await;
    let t = app.admin_token().await;
    let sink = SmtpSink::start(None).await;
    let s = sender(&app, &t, sink.port, None).await;
    let tpl = app
        .post("/notification/api/mail-templates", Some(&t), earned_template())
        .await
        .expect(201)
        .data()
        .clone();
    let action = |event: &str, template: &str| {
        json!({"name": "Earned mail", "event": event, "templateId": template, "senderId": s["id"],
               "recipient": "member", "conditions": [{"field": "points", "op": "gte", "value": 10}]})
    };
    let r = app
        .post(
            "/notification/api/mail-actions",
            Some(&t),
            action("points.earnd", tpl["id"].as_str().unwrap()),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["event"]);
    let r = app
        .post(
            "/notification/api/mail-actions",
            Some(&t),
            action("points.earned", "nope"),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["templateId"]);
    let mut to_staff = action("points.earned", tpl["id"].as_str().unwrap());
    to_staff["recipient"] = json!("staff");
    let r = app
        .post("/notification/api/mail-actions", Some(&t), to_staff)
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["recipient"]);
    let a = app
        .post(
            "/notification/api/mail-actions",
            Some(&t),
            action("points.earned", tpl["id"].as_str().unwrap()),
        )
        .await
        .expect(201)
        .data()
        .clone();
    // The template is in use now.
    app.delete(
        &format!("/notification/api/mail-templates/{}", tpl["id"].as_str().unwrap()),
        Some(&t),
    )
    .await
    .expect(409);

    let somchai = enrol(&app, &t, "Somchai", Some("somchai@example.test"), "th").await;
    earn(&app, &t, &somchai, 5).await; // below the condition: no mail
    earn(&app, &t, &somchai, 50).await;
    let msgs = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    let m = &msgs[0];
    assert_eq!(m["to"], json!(["somchai@example.test"]));
    assert_eq!(m["subject"], "คุณได้รับ 50 คะแนน", "in the member's language");
    assert_eq!(m["headers"]["Content-Language"], "th");
    assert_eq!(m["text"].as_str().unwrap().trim(), "สวัสดี Somchai ยอดคะแนน 55");
    assert!(m["html"].as_str().unwrap().contains("<b>55</b>"));
    assert!(m["headers"]["Message-ID"].as_str().unwrap().contains("@sbm-crm"));
    let d = settled(&app, &t, "?status=sent", 1).await;
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["recipient"], "somchai@example.test");
    assert_eq!(d[0]["actionId"], a["id"]);
    assert_eq!(d[0]["attempts"], 1);
    assert_eq!(d[0]["subject"], "คุณได้รับ 50 คะแนน");

    // Replay every event from the start: no second notification, no second mail.
    let before: i64 = count(&app, "SELECT COUNT(*) AS n FROM notifications").await;
    let streamed: i64 = count(&app, "SELECT COUNT(*) AS n FROM stream_events").await;
    sql_exec(
        &app.db,
        "DELETE FROM processed_events WHERE consumer = 'notification.inbox'",
        vec![],
    )
    .await
    .unwrap();
    sql_exec(
        &app.db,
        "UPDATE consumer_offsets SET last_event_id = 0 WHERE consumer = 'notification.inbox'",
        vec![],
    )
    .await
    .unwrap();
    caught_up_all(&app).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM notifications").await, before);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM stream_events").await, streamed);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM mail_deliveries").await, 1);
    assert_eq!(sink.messages().len(), 1);

    // An action turned off sends nothing more.
    let r = app
        .patch(
            &format!("/notification/api/mail-actions/{}", a["id"].as_str().unwrap()),
            Some(&t),
            json!({"active": false}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["active"], false);
    assert_eq!(r.data()["event"], "points.earned");
    app.patch(
        &format!("/notification/api/mail-actions/{}", a["id"].as_str().unwrap()),
        Some(&t),
        json!({"recipient": "address"}),
    )
    .await
    .expect(400);
    earn(&app, &t, &somchai, 70).await;
    caught_up_all(&app).await;
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM mail_deliveries").await, 1);
    app.patch(
        &format!("/notification/api/mail-actions/{}", a["id"].as_str().unwrap()),
        Some(&t),
        json!({"active": true}),
    )
    .await
    .expect(200);

    // A member without an address is skipped, and says why.
    let noaddr = enrol(&app, &t, "Nok", None, "en").await;
    earn(&app, &t, &noaddr, 20).await;
    let d = settled(&app, &t, &format!("?memberId={noaddr}"), 1).await;
    assert_eq!(d[0]["status"], "skipped");
    assert!(d[0]["lastError"].as_str().unwrap().contains("no email"));
    // Turning email off in the preferences skips too.
    let (mt, mid) = app.member_token("ok-mail-off").await;
    app.put(
        "/notification/api/preferences/me",
        Some(&mt),
        json!({"channels": {"email": false}}),
    )
    .await
    .expect(200);
    earn(&app, &t, &mid, 30).await;
    let d = settled(&app, &t, &format!("?memberId={mid}"), 1).await;
    assert_eq!(d[0]["status"], "skipped");
    assert_eq!(sink.messages().len(), 1);
}

/// Waits until the notification consumer has read every event.
async fn caught_up_all(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while count(
        app,
        "SELECT COUNT(*) AS n FROM consumer_offsets WHERE consumer = 'notification.inbox' \
         AND last_event_id >= (SELECT MAX(id) FROM events)",
    )
    .await
        == 0
    {
        assert!(Instant::now() < deadline, "the consumer never caught up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sql_one(&app.db, sql, vec![])
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}

#[tokio::test]
async fn failures_back_off_until_attempts_run_out_and_staff_retry_them() {
    let app = spawn(
        fast()
            .var("SBM_MAIL_MAX_ATTEMPTS", "2")
            .var("SBM_MAIL_RETRY_BASE_SECONDS", "1"),
    )
    .await;
    let t = app.admin_token().await;
    // Nothing listens on this port yet.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let s = sender(&app, &t, dead, None).await;
    let tpl = app
        .post("/notification/api/mail-templates", Some(&t), earned_template())
        .await
        .expect(201)
        .data()
        .clone();
    app.post(
        "/notification/api/mail-actions",
        Some(&t),
        json!({"name": "Ops copy", "event": "points.earned", "templateId": tpl["id"], "senderId": s["id"],
               "recipient": "address", "address": "ops@shop.test"}),
    )
    .await
    .expect(201);
    let m = enrol(&app, &t, "Ann", None, "en").await;
    earn(&app, &t, &m, 10).await;

    // First attempt fails and is queued again a second later; the second is the last.
    let deadline = Instant::now() + Duration::from_secs(10);
    let first = loop {
        let d = deliveries(&app, &t, "").await;
        if d.first().is_some_and(|d| d["attempts"] == 1 && d["status"] == "queued") {
            break d[0].clone();
        }
        assert!(Instant::now() < deadline, "no failed first attempt: {d:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(first["lastError"].as_str().is_some());
    let d = settled(&app, &t, "?status=failed", 1).await;
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0]["attempts"], 2);
    let id = d[0]["id"].as_str().unwrap().to_string();

    // The server is fixed; staff retry the delivery and it goes out.
    let sink = SmtpSink::start(None).await;
    app.patch(
        &format!("/notification/api/mail-senders/{}", s["id"].as_str().unwrap()),
        Some(&t),
        json!({"port": sink.port}),
    )
    .await
    .expect(200);
    let r = app
        .post(
            &format!("/notification/api/mail-deliveries/{id}/retry"),
            Some(&t),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["status"], "queued");
    let msgs = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(msgs.len(), 1, "{:?}", deliveries(&app, &t, "").await);
    assert_eq!(msgs[0]["to"], json!(["ops@shop.test"]));
    assert_eq!(
        msgs[0]["subject"], "You earned 10 points",
        "a fixed address gets English"
    );
    let d = settled(&app, &t, "?status=sent", 1).await;
    assert_eq!(d[0]["id"], id.as_str());
    app.post(
        &format!("/notification/api/mail-deliveries/{id}/retry"),
        Some(&t),
        json!({}),
    )
    .await
    .expect(409);
    app.post("/notification/api/mail-deliveries/nope/retry", Some(&t), json!({}))
        .await
        .expect(404);
}

#[tokio::test]
async fn a_password_reset_mails_a_single_use_link_and_ends_the_sessions() {
    let app = spawn(fast()).await;
    let admin = app.admin_token().await;
    let sink = SmtpSink::start(None).await;
    let s = sender(&app, &admin, sink.port, None).await;
    let tpl = app
        .post(
            "/notification/api/mail-templates",
            Some(&admin),
            json!({"code": "staff-reset", "name": "Reset",
                   "variables": [{"name": "resetUrl", "required": true}, {"name": "name"}],
                   "locales": {"en": {"subject": "Reset your password",
                                      "html": "<p>Hello {{ name }}: <a href=\"{{ resetUrl }}\">reset</a></p>",
                                      "text": "Hello {{ name }}: {{ resetUrl }}"}}}),
        )
        .await
        .expect(201)
        .data()
        .clone();
    app.post(
        "/notification/api/mail-actions",
        Some(&admin),
        json!({"name": "Reset link", "event": "staff.password_reset_requested", "templateId": tpl["id"],
               "senderId": s["id"], "recipient": "staff"}),
    )
    .await
    .expect(201);
    app.post(
        "/auth/api/staff",
        Some(&admin),
        json!({"email": "ops@shop.test", "name": "Ops", "role": "support", "password": "first-password-1"}),
    )
    .await
    .expect(201);
    let (session, _) = app.login("ops@shop.test", "first-password-1").await;

    // The same answer whether the account exists or not.
    let unknown = app
        .post(
            "/auth/api/password-reset/request",
            None,
            json!({"email": "ghost@shop.test"}),
        )
        .await
        .expect(202);
    let known = app
        .post(
            "/auth/api/password-reset/request",
            None,
            json!({"email": "OPS@shop.test"}),
        )
        .await
        .expect(202);
    assert_eq!(unknown.body, known.body);
    let msgs = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(msgs.len(), 1, "only the real account gets mail: {msgs:?}");
    assert_eq!(msgs[0]["to"], json!(["ops@shop.test"]));
    let text = msgs[0]["text"].as_str().unwrap();
    let token = text.split("token=").nth(1).unwrap().trim().to_string();
    assert!(text.starts_with("Hello Ops: http://localhost:8080/reset-password?token="));
    // Neither auth's table nor the outbox holds a working link: a hash, and a sealed field.
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM password_resets").await, 1);
    for (table, column) in [
        ("password_resets", "token_hash"),
        ("events", "payload"),
        ("mail_deliveries", "variables_sealed"),
    ] {
        let n = count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} LIKE '%{token}%'"),
        )
        .await;
        assert_eq!(n, 0, "{table}.{column} holds the token");
    }
    let payload = app.events("staff.password_reset_requested").await;
    assert!(payload[0]["resetUrl"].as_str().unwrap().starts_with("sealed:v1:"));

    let r = app
        .post(
            "/auth/api/password-reset/confirm",
            None,
            json!({"token": token, "password": "short"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["password"]);
    app.post(
        "/auth/api/password-reset/confirm",
        None,
        json!({"token": token, "password": "second-password-2"}),
    )
    .await
    .expect(200);
    // The old session is over; the new password works; the link is spent.
    app.get("/auth/api/staff/me", Some(&session)).await.expect(401);
    app.login("ops@shop.test", "second-password-2").await;
    let r = app
        .post(
            "/auth/api/password-reset/confirm",
            None,
            json!({"token": token, "password": "third-password-3"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), ["token"]);

    // At most three live links per account: more requests answer the same and send nothing.
    for _ in 0..4 {
        app.post(
            "/auth/api/password-reset/request",
            None,
            json!({"email": "ops@shop.test"}),
        )
        .await
        .expect(202);
    }
    sink.wait_for(4, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let msgs = sink.messages();
    assert_eq!(msgs.len(), 4, "one before, three now");
    // An expired link does not work either.
    let token2 = msgs[3]["text"]
        .as_str()
        .unwrap()
        .split("token=")
        .nth(1)
        .unwrap()
        .trim()
        .to_string();
    sql_exec(
        &app.db,
        "UPDATE password_resets SET expires_at = created_at WHERE used_at IS NULL",
        vec![],
    )
    .await
    .unwrap();
    app.post(
        "/auth/api/password-reset/confirm",
        None,
        json!({"token": token2, "password": "third-password-3"}),
    )
    .await
    .expect(400);
    // An account with reset links can still be deleted (its links go with it).
    let staff = app
        .get("/auth/api/staff?search=ops%40shop.test", Some(&admin))
        .await
        .expect(200);
    let id = staff.data()["data"][0]["id"].as_str().unwrap().to_string();
    app.delete(&format!("/auth/api/staff/{id}"), Some(&admin))
        .await
        .expect(200);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM password_resets").await, 0);
}
