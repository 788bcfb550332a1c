//! Staff sessions, tokens, keys, staff CRUD and API keys.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn login_by_email_or_username_and_session_check() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/auth/api/login",
            None,
            json!({"email": ADMIN_EMAIL.to_uppercase(), "password": ADMIN_PASSWORD}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["tokenType"], "Bearer");
    let cookie = r.header("set-cookie").unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("refreshToken=sbmr_"),
        "{cookie}"
    );
    let r = app
        .post(
            "/auth/api/login",
            None,
            json!({"username": "admin", "password": ADMIN_PASSWORD}),
        )
        .await
        .expect(200);
    let access = r.data()["accessToken"].as_str().unwrap().to_string();
    let r = app
        .get("/auth/api/check-access-token-session", Some(&access))
        .await
        .expect(200);
    // Exactly the shape the SBM docs give.
    assert_eq!(
        r.body,
        json!({"statusCode": 200, "data": {"message": "Access token is valid", "data": {"valid": true}}})
    );
    // Who the token belongs to is /staff/me's answer.
    let me = app.get("/auth/api/staff/me", Some(&access)).await.expect(200);
    assert_eq!(me.data()["role"], "admin");
    app.get("/auth/api/check-access-token-session", None).await.expect(401);
    app.get("/auth/api/check-access-token-session", Some("garbage.token.here"))
        .await
        .expect(401);
    let r = app
        .post(
            "/auth/api/login",
            None,
            json!({"email": ADMIN_EMAIL, "password": "wrong-password"}),
        )
        .await
        .expect(401);
    assert_eq!(r.data()["message"], "Invalid credentials");
    let r = app
        .post(
            "/auth/api/login",
            None,
            json!({"email": "nobody@test.local", "password": "x"}),
        )
        .await
        .expect(401);
    assert_eq!(r.data()["message"], "Invalid credentials");
    let r = app
        .post("/auth/api/login", None, json!({"password": "x"}))
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["email"]);
}

#[tokio::test]
async fn repeated_failed_logins_lock_the_account() {
    let app = spawn(
        Opts::default()
            .var("SBM_LOGIN_MAX_FAILURES", "3")
            .var("SBM_LOGIN_LOCKOUT_SECONDS", "2"),
    )
    .await;
    let login = |email: &'static str, password: &'static str| {
        let app = &app;
        async move {
            app.post("/auth/api/login", None, json!({"email": email, "password": password}))
                .await
        }
    };
    let unknown = login("nobody@example.com", "nope-nope").await.expect(401);
    for _ in 0..3 {
        login(ADMIN_EMAIL, "nope-nope").await.expect(401);
    }
    // Even the right password is refused while locked, and the answer is the one an unknown
    // account gets: lock-outs do not tell which accounts exist.
    let locked = login(ADMIN_EMAIL, ADMIN_PASSWORD).await.expect(401);
    assert_eq!(locked.body, unknown.body);
    assert_eq!(locked.header("retry-after"), None);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    login(ADMIN_EMAIL, ADMIN_PASSWORD).await.expect(200);
}

/// Concurrent logins each take an attempt from the allowance before the password is checked:
/// 20 at once try at most `max` passwords, and the account ends up locked.
#[tokio::test]
async fn concurrent_failed_logins_cannot_exceed_the_allowance() {
    let app = spawn(
        Opts::default()
            .var("SBM_LOGIN_MAX_FAILURES", "5")
            .var("SBM_LOGIN_LOCKOUT_SECONDS", "600"),
    )
    .await;
    let tries = (0..20).map(|i| {
        let app = &app;
        async move {
            app.post(
                "/auth/api/login",
                None,
                json!({"email": ADMIN_EMAIL, "password": format!("wrong-password-{i}")}),
            )
            .await
            .status
        }
    });
    let statuses = futures::future::join_all(tries).await;
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    let row = sql_one(
        &app.db,
        "SELECT failed_logins, locked_until FROM staff WHERE email = $1",
        vec![ADMIN_EMAIL.into()],
    )
    .await
    .unwrap()
    .unwrap();
    let failed: i32 = row.try_get("", "failed_logins").unwrap();
    assert_eq!(failed, 5, "attempts beyond the allowance were checked");
    let until: Option<chrono::DateTime<chrono::Utc>> = row.try_get("", "locked_until").unwrap();
    assert!(until.is_some(), "the account is locked");
    app.post(
        "/auth/api/login",
        None,
        json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}),
    )
    .await
    .expect(401);
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let app = spawn_app().await;
    let (access, refresh) = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    // Body form.
    let r = app
        .post("/auth/api/get-new-access-token", None, json!({"refreshToken": refresh}))
        .await
        .expect(200);
    let keys: Vec<&String> = r.data().as_object().unwrap().keys().collect();
    assert_eq!(keys, vec!["accessToken", "refreshToken"]);
    let refresh2 = r.data()["refreshToken"].as_str().unwrap().to_string();
    assert_ne!(refresh2, refresh);
    // Cookie form: the client's cookie jar holds the newest refresh token.
    let r = app
        .call(Method::POST, "/auth/api/get-new-access-token", None, None)
        .await
        .expect(200);
    let refresh3 = r.data()["refreshToken"].as_str().unwrap().to_string();
    let access3 = r.data()["accessToken"].as_str().unwrap().to_string();
    app.get("/auth/api/check-access-token-session", Some(&access3))
        .await
        .expect(200);
    // Replaying an old token revokes the whole family, including the newest token.
    let r = app
        .post("/auth/api/get-new-access-token", None, json!({"refreshToken": refresh}))
        .await
        .expect(401);
    assert!(r.data()["message"].as_str().unwrap().contains("already used"));
    app.post(
        "/auth/api/get-new-access-token",
        None,
        json!({"refreshToken": refresh3}),
    )
    .await
    .expect(401);
    let r = app
        .get("/auth/api/check-access-token-session", Some(&access))
        .await
        .expect(401);
    assert_eq!(r.data()["message"], "Session has ended");
    app.post(
        "/auth/api/get-new-access-token",
        None,
        json!({"refreshToken": "sbmr_unknown"}),
    )
    .await
    .expect(401);
    let fresh = reqwest::Client::new();
    let res = fresh
        .post(format!("{}/auth/api/get-new-access-token", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn concurrent_use_of_one_refresh_token_wins_once() {
    let app = spawn_app().await;
    let (_, refresh) = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let futs = (0..8).map(|_| app.post("/auth/api/get-new-access-token", None, json!({"refreshToken": refresh})));
    let results = futures::future::join_all(futs).await;
    let ok = results.iter().filter(|r| r.status == 200).count();
    assert!(ok <= 1, "{ok} rotations succeeded");
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = spawn_app().await;
    let (access, refresh) = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let r = app.post("/auth/api/logout", Some(&access), json!({})).await.expect(200);
    assert!(r.header("set-cookie").unwrap().contains("Max-Age=0"));
    app.get("/auth/api/check-access-token-session", Some(&access))
        .await
        .expect(401);
    app.post("/auth/api/get-new-access-token", None, json!({"refreshToken": refresh}))
        .await
        .expect(401);
}

#[tokio::test]
async fn jwks_publishes_the_key_and_rotation_keeps_old_tokens_valid() {
    let mut app = spawn_app().await;
    let dir = app.data_dir.clone();
    let k1 = dir.join("k1.pem");
    let k2 = dir.join("k2.pem");
    std::fs::write(&k1, sbm_common::identity::generate_signing_key_pem()).unwrap();
    std::fs::write(&k2, sbm_common::identity::generate_signing_key_pem()).unwrap();
    app.restart(&[("SBM_JWT_SIGNING_KEY_FILE", k1.to_str().unwrap())]).await;
    let (old_token, _) = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let jwks = app
        .client
        .get(format!("{}/auth/api/.well-known/jwks.json", app.base))
        .send()
        .await
        .unwrap();
    let jwks: serde_json::Value = jwks.json().await.unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
    assert_eq!(jwks["keys"][0]["kty"], "OKP");
    assert_eq!(jwks["keys"][0]["alg"], "EdDSA");
    // Rotate: k2 signs, k1 still verifies.
    app.restart(&[
        ("SBM_JWT_SIGNING_KEY_FILE", k2.to_str().unwrap()),
        ("SBM_JWT_VERIFY_KEY_FILES", k1.to_str().unwrap()),
    ])
    .await;
    app.get("/auth/api/check-access-token-session", Some(&old_token))
        .await
        .expect(200);
    let (new_token, _) = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    app.get("/auth/api/check-access-token-session", Some(&new_token))
        .await
        .expect(200);
    let jwks: serde_json::Value = app
        .client
        .get(format!("{}/auth/api/.well-known/jwks.json", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 2);
    // Once k1 is dropped, its tokens stop working.
    app.restart(&[("SBM_JWT_VERIFY_KEY_FILES", "")]).await;
    app.vars.remove("SBM_JWT_VERIFY_KEY_FILES");
    app.restart(&[]).await;
    app.get("/auth/api/check-access-token-session", Some(&old_token))
        .await
        .expect(401);
}

#[tokio::test]
async fn staff_crud_roles_and_permission_matrix() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app
        .post(
            "/auth/api/staff",
            Some(&admin),
            json!({"email": "Sue@Shop.example", "name": "Sue", "role": "manager", "password": "sue-password-1", "username": "sue"}),
        )
        .await
        .expect(201);
    let sue = r.data()["id"].as_str().unwrap().to_string();
    assert_eq!(r.data()["email"], "sue@shop.example");
    assert!(r.data().get("passwordHash").is_none() && !r.body.to_string().contains("argon2"));
    let r = app
        .post(
            "/auth/api/staff",
            Some(&admin),
            json!({"email": "sue@shop.example", "name": "S", "role": "viewer", "password": "another-pass-1"}),
        )
        .await
        .expect(409);
    assert_eq!(r.error_fields(), vec!["email"]);
    let r = app
        .post(
            "/auth/api/staff",
            Some(&admin),
            json!({"email": "bad", "name": "", "role": "viewer", "password": "short"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["email", "name", "password"]);
    let r = app
        .post(
            "/auth/api/staff",
            Some(&admin),
            json!({"email": "x@y.co", "name": "X", "role": "king", "password": "long-enough-1"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["role"]);

    let manager = app.login("sue@shop.example", "sue-password-1").await.0;
    let r = app.get("/auth/api/staff/me", Some(&manager)).await.expect(200);
    assert_eq!(r.data()["role"], "manager");
    app.get("/auth/api/staff", Some(&manager)).await.expect(200);
    let r = app
        .post(
            "/auth/api/staff",
            Some(&manager),
            json!({"email": "z@y.co", "name": "Z", "role": "admin", "password": "long-enough-1"}),
        )
        .await
        .expect(403);
    assert!(r.data()["message"].as_str().unwrap().contains("staff:write"));
    app.get("/auth/api/api-keys", Some(&manager)).await.expect(403);
    let viewer = app.staff_token("viewer").await;
    app.get("/auth/api/members", Some(&viewer)).await.expect(200);
    app.post(
        "/auth/api/members",
        Some(&viewer),
        json!({"firstName": "A", "lastName": "B", "phone": "0812345678"}),
    )
    .await
    .expect(403);
    let support = app.staff_token("support").await;
    app.post(
        "/auth/api/members",
        Some(&support),
        json!({"firstName": "A", "lastName": "B", "phone": "0812345678"}),
    )
    .await
    .expect(201);

    // List: search, filter, sort, pagination.
    let r = app.get("/auth/api/staff?search=sue", Some(&admin)).await.expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
    let r = app.get("/auth/api/staff?role=viewer", Some(&admin)).await.expect(200);
    assert_eq!(r.data()["data"][0]["role"], "viewer");
    let r = app
        .get(
            "/auth/api/staff?sortBy=email&sortOrder=asc&limit=2&page=1",
            Some(&admin),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["limit"], 2);
    assert_eq!(r.data()["meta"]["total"], 4);
    assert_eq!(r.data()["meta"]["totalPages"], 2);
    let emails: Vec<&str> = r.data()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["email"].as_str().unwrap())
        .collect();
    let mut sorted = emails.clone();
    sorted.sort();
    assert_eq!(emails, sorted);

    // Update: role change ends sessions; the last admin is protected.
    let r = app
        .patch(
            &format!("/auth/api/staff/{sue}"),
            Some(&admin),
            json!({"role": "support"}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["role"], "support");
    app.get("/auth/api/check-access-token-session", Some(&manager))
        .await
        .expect(401);
    let me = app.get("/auth/api/staff/me", Some(&admin)).await.expect(200);
    let admin_id = me.data()["id"].as_str().unwrap().to_string();
    app.patch(
        &format!("/auth/api/staff/{admin_id}"),
        Some(&admin),
        json!({"role": "viewer"}),
    )
    .await
    .expect(409);
    app.patch(
        &format!("/auth/api/staff/{admin_id}"),
        Some(&admin),
        json!({"active": false}),
    )
    .await
    .expect(409);
    app.delete(&format!("/auth/api/staff/{admin_id}"), Some(&admin))
        .await
        .expect(409);
    // Deactivated staff cannot log in.
    app.patch(
        &format!("/auth/api/staff/{sue}"),
        Some(&admin),
        json!({"active": false}),
    )
    .await
    .expect(200);
    let r = app
        .post(
            "/auth/api/login",
            None,
            json!({"email": "sue@shop.example", "password": "sue-password-1"}),
        )
        .await
        .expect(401);
    assert_eq!(r.data()["message"], "Account is deactivated");
    app.delete(&format!("/auth/api/staff/{sue}"), Some(&admin))
        .await
        .expect(200);
    app.get(&format!("/auth/api/staff/{sue}"), Some(&admin))
        .await
        .expect(404);
    // Members and keys have no staff profile.
    let (member, _) = app.member_token("ok-staffcheck").await;
    app.get("/auth/api/staff/me", Some(&member)).await.expect(403);
    app.get("/auth/api/staff", Some(&member)).await.expect(403);
}

#[tokio::test]
async fn bootstrap_creates_the_first_admin_only_once() {
    let mut app = spawn_app().await;
    app.restart(&[("SBM_BOOTSTRAP_ADMIN_EMAIL", "second@test.local")]).await;
    let admin = app.admin_token().await;
    let r = app.get("/auth/api/staff", Some(&admin)).await.expect(200);
    assert_eq!(r.data()["meta"]["total"], 1, "a second bootstrap must not add an admin");
}

#[tokio::test]
async fn api_keys_lifecycle() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let r = app
        .post(
            "/auth/api/api-keys",
            Some(&admin),
            json!({"name": "POS Siam", "scopes": ["members:read", "members:write"], "plan": "premium"}),
        )
        .await
        .expect(201);
    let id = r.data()["id"].as_str().unwrap().to_string();
    let key = r.data()["key"].as_str().unwrap().to_string();
    assert!(key.starts_with("sbmk_") && key.len() > 40);
    assert_eq!(r.data()["prefix"], key[..12]);
    assert_eq!(r.data()["rateLimitPerHour"], 10000);
    // Stored hashed, never listed.
    let row = sql_one(
        &app.db,
        "SELECT key_hash FROM api_keys WHERE id = $1",
        vec![id.clone().into()],
    )
    .await
    .unwrap()
    .unwrap();
    let hash: String = row.try_get("", "key_hash").unwrap();
    assert_ne!(hash, key);
    let list = app.get("/auth/api/api-keys", Some(&admin)).await.expect(200);
    assert!(!list.body.to_string().contains(&key));
    assert_eq!(list.data()["data"][0]["status"], "active");

    // The key works as Bearer and as X-API-Key; scopes are enforced.
    let r = app
        .get("/auth/api/check-access-token-session", Some(&key))
        .await
        .expect(200);
    assert_eq!(r.data()["data"]["valid"], true);
    app.call_h(
        Method::GET,
        "/auth/api/members",
        Some(&key),
        None,
        &[("use-x-api-key", "1")],
    )
    .await
    .expect(200);
    app.delete("/auth/api/members/whatever", Some(&key)).await.expect(403);
    app.get("/auth/api/staff", Some(&key)).await.expect(403);
    app.get("/auth/api/api-keys", Some(&key)).await.expect(403);

    // Last use is recorded without a write per request, then flushed.
    let r = app
        .get(&format!("/auth/api/api-keys/{id}"), Some(&admin))
        .await
        .expect(200);
    assert!(r.data()["lastUsedAt"].is_string());
    app.running().state.credentials.flush().await.unwrap();
    let row = sql_one(
        &app.db,
        "SELECT last_used_at FROM api_keys WHERE id = $1",
        vec![id.clone().into()],
    )
    .await
    .unwrap()
    .unwrap();
    assert!(
        row.try_get::<Option<chrono::DateTime<chrono::Utc>>>("", "last_used_at")
            .unwrap()
            .is_some()
    );

    // Validation.
    let r = app
        .post(
            "/auth/api/api-keys",
            Some(&admin),
            json!({"name": "", "scopes": ["staff:write"], "plan": "enterprise"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["name", "scopes", "rateLimitPerHour"]);
    let r = app
        .post(
            "/auth/api/api-keys",
            Some(&admin),
            json!({"name": "x", "scopes": ["members:read"], "plan": "standard", "expiresAt": "2020-01-01T00:00:00Z"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["expiresAt"]);
    let r = app
        .post(
            "/auth/api/api-keys",
            Some(&admin),
            json!({"name": "x", "scopes": ["members:read"], "plan": "gold"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["plan"]);

    // Update, rotate, revoke.
    let r = app
        .patch(
            &format!("/auth/api/api-keys/{id}"),
            Some(&admin),
            json!({"plan": "enterprise", "rateLimitPerHour": 42, "scopes": ["members:read"]}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["rateLimitPerHour"], 42);
    app.post(
        "/auth/api/members",
        Some(&key),
        json!({"firstName": "A", "lastName": "B", "phone": "0811111111"}),
    )
    .await
    .expect(403);
    let r = app
        .post(&format!("/auth/api/api-keys/{id}/rotate"), Some(&admin), json!({}))
        .await
        .expect(200);
    let key2 = r.data()["key"].as_str().unwrap().to_string();
    app.get("/auth/api/members", Some(&key)).await.expect(401);
    app.get("/auth/api/members", Some(&key2)).await.expect(200);
    app.delete(&format!("/auth/api/api-keys/{id}"), Some(&admin))
        .await
        .expect(200);
    let r = app.get("/auth/api/members", Some(&key2)).await.expect(401);
    assert!(r.data()["message"].as_str().unwrap().contains("API key"));
    let r = app
        .get("/auth/api/api-keys?status=revoked", Some(&admin))
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
    app.post(&format!("/auth/api/api-keys/{id}/rotate"), Some(&admin), json!({}))
        .await
        .expect(409);
    app.get("/auth/api/api-keys/nope", Some(&admin)).await.expect(404);
}

#[tokio::test]
async fn api_keys_expire_even_while_cached() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let soon = (sbm_common::clock::Clock::system_now() + chrono::Duration::seconds(4)).to_rfc3339();
    let r = app
        .post(
            "/auth/api/api-keys",
            Some(&admin),
            json!({"name": "temp", "scopes": ["members:read"], "plan": "standard", "expiresAt": soon}),
        )
        .await
        .expect(201);
    let key = r.data()["key"].as_str().unwrap().to_string();
    app.get("/auth/api/members", Some(&key)).await.expect(200);
    tokio::time::sleep(Duration::from_millis(4500)).await;
    app.get("/auth/api/members", Some(&key)).await.expect(401);
    let r = app
        .get("/auth/api/api-keys?status=expired", Some(&admin))
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
}

#[tokio::test]
async fn operator_managed_keys_are_read_only_here() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let key = sbm_auth::domain::api_keys::new_key();
    let id = sbm_auth::domain::api_keys::managed::create(
        &app.db,
        "uid-123",
        &key,
        sbm_auth::domain::api_keys::NewApiKey {
            name: "from-operator".into(),
            scopes: vec!["members:read".to_string()],
            plan: sbm_common::identity::Plan::Standard,
            rate_limit_per_hour: None,
            expires_at: None,
        },
        sbm_common::clock::Clock::default().now(),
    )
    .await
    .unwrap();
    let r = app
        .get(&format!("/auth/api/api-keys/{id}"), Some(&admin))
        .await
        .expect(200);
    assert_eq!(r.data()["managed"], true);
    let r = app
        .patch(&format!("/auth/api/api-keys/{id}"), Some(&admin), json!({"name": "x"}))
        .await
        .expect(409);
    assert!(r.data()["message"].as_str().unwrap().contains("operator"));
    app.delete(&format!("/auth/api/api-keys/{id}"), Some(&admin))
        .await
        .expect(409);
    app.post(&format!("/auth/api/api-keys/{id}/rotate"), Some(&admin), json!({}))
        .await
        .expect(409);
    app.get("/auth/api/members", Some(&key)).await.expect(200);
}

#[tokio::test]
async fn a_token_refresh_is_never_replayed_to_another_caller_by_idempotency_key() {
    let app = spawn_app().await;
    app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    // The victim refreshes through its cookie, sending an Idempotency-Key.
    let key = [("idempotency-key", "victim-refresh-1")];
    let victim = app
        .call_h(Method::POST, "/auth/api/get-new-access-token", None, None, &key)
        .await
        .expect(200);
    assert!(victim.data()["accessToken"].is_string());
    // An attacker without the cookie sends the same key: no stored tokens come back.
    let attacker = reqwest::Client::new();
    let res = attacker
        .post(format!("{}/auth/api/get-new-access-token", app.base))
        .header("idempotency-key", "victim-refresh-1")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    assert!(res.headers().get("idempotent-replayed").is_none());
    let body = res.text().await.unwrap();
    assert!(!body.contains("accessToken"), "{body}");
    // Nothing of the exchange was stored.
    let stored = sql_all(&app.db, "SELECT scope FROM idempotency_keys", vec![])
        .await
        .unwrap();
    assert!(stored.is_empty());
}

/// Two admins demoting each other at once: one wins, the other is refused, and an active admin
/// always remains (the admins are locked while the count is taken).
#[tokio::test]
async fn concurrent_demotions_leave_an_active_admin() {
    let app = spawn_app().await;
    let mut boss = app.admin_token().await;
    for trial in 0..5 {
        let mut pair = Vec::new();
        for who in ["a", "b"] {
            let email = format!("{who}-{trial}@race.local");
            let r = app
                .post(
                    "/auth/api/staff",
                    Some(&boss),
                    json!({"email": email, "name": who, "role": "admin", "password": "a-long-password-1"}),
                )
                .await
                .expect(201);
            let id = r.data()["id"].as_str().unwrap().to_string();
            let token = app.login(&email, "a-long-password-1").await.0;
            pair.push((id, token));
        }
        // Leave exactly the two racers as active admins.
        let me = app.get("/auth/api/staff/me", Some(&boss)).await.expect(200);
        let my_id = me.data()["id"].as_str().unwrap().to_string();
        app.patch(
            &format!("/auth/api/staff/{my_id}"),
            Some(&boss),
            json!({"active": false}),
        )
        .await
        .expect(200);
        let (a, b) = (&pair[0], &pair[1]);
        let (path_a, path_b) = (format!("/auth/api/staff/{}", a.0), format!("/auth/api/staff/{}", b.0));
        let (ra, rb) = tokio::join!(
            app.patch(&path_b, Some(&a.1), json!({"role": "viewer"})),
            app.patch(&path_a, Some(&b.1), json!({"role": "viewer"})),
        );
        let mut statuses = [ra.status.as_u16(), rb.status.as_u16()];
        statuses.sort();
        // One demotion goes through; the other is refused as the last admin (409), or, when
        // its caller was demoted first, its token's session has already ended (401).
        assert!(
            statuses == [200, 409] || statuses == [200, 401],
            "trial {trial}: {statuses:?}"
        );
        let row = sql_one(
            &app.db,
            "SELECT COUNT(*) AS n FROM staff WHERE role = 'admin' AND active",
            vec![],
        )
        .await
        .unwrap()
        .unwrap();
        let n: i64 = row.try_get("", "n").unwrap();
        assert_eq!(n, 1, "trial {trial}");
        // The survivor runs the next trial.
        boss = if ra.status == 200 { a.1.clone() } else { b.1.clone() };
    }
}

/// Access tokens stop working when their session ends: at once on the replica that ended it,
/// and within `SBM_SESSION_CHECK_SECONDS` on the others.
#[tokio::test]
async fn ended_sessions_stop_access_tokens() {
    let app = spawn(Opts::default().var("SBM_SESSION_CHECK_SECONDS", "1")).await;
    let admin = app.admin_token().await;
    // Demotion through this replica: the old token is refused at once.
    let email = format!("demoted-{}@test.local", uuid::Uuid::new_v4().simple());
    let r = app
        .post(
            "/auth/api/staff",
            Some(&admin),
            json!({"email": email, "name": "m", "role": "manager", "password": "a-long-password-1"}),
        )
        .await
        .expect(201);
    let id = r.data()["id"].as_str().unwrap().to_string();
    let token = app.login(&email, "a-long-password-1").await.0;
    app.get("/auth/api/staff/me", Some(&token)).await.expect(200);
    app.patch(
        &format!("/auth/api/staff/{id}"),
        Some(&admin),
        json!({"role": "viewer"}),
    )
    .await
    .expect(200);
    app.get("/auth/api/staff/me", Some(&token)).await.expect(401);
    // A session ended by another replica (here: straight in the database) is noticed once the
    // cached check expires.
    let other = app.staff_token("support").await;
    app.get("/auth/api/staff/me", Some(&other)).await.expect(200);
    sql_exec(
        &app.db,
        "UPDATE refresh_tokens SET revoked_at = created_at WHERE revoked_at IS NULL AND subject_kind = 'staff' AND subject_id <> (SELECT id FROM staff WHERE email = $1)",
        vec![ADMIN_EMAIL.into()],
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    app.get("/auth/api/staff/me", Some(&other)).await.expect(401);
}

/// A username change is checked like a new one: empty and oversized names are refused.
#[tokio::test]
async fn staff_username_changes_are_validated() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let me = app.get("/auth/api/staff/me", Some(&admin)).await.expect(200);
    let id = me.data()["id"].as_str().unwrap().to_string();
    for bad in [String::new(), "x".repeat(500_000), "has space".into()] {
        let r = app
            .patch(&format!("/auth/api/staff/{id}"), Some(&admin), json!({"username": bad}))
            .await
            .expect(400);
        assert_eq!(r.error_fields(), vec!["username"]);
    }
    app.patch(
        &format!("/auth/api/staff/{id}"),
        Some(&admin),
        json!({"username": "boss.1"}),
    )
    .await
    .expect(200);
}
