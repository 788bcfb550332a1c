//! Members (WeChat login, profile, QR code, search, enrolment, anonymisation) and consent.

use std::time::Duration;

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn wechat_login_finds_or_creates_the_member() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/auth/api/members/wechat-login",
            None,
            json!({"code": "ok-1", "firstName": "Mei"}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["isNewMember"], true);
    assert_eq!(r.data()["member"]["source"], "wechat");
    assert_eq!(r.data()["member"]["firstName"], "Mei");
    assert!(r.data()["member"].get("wechatOpenid").is_none());
    let id = r.data()["member"]["id"].as_str().unwrap().to_string();
    let r = app
        .post("/auth/api/members/wechat-login", None, json!({"code": "ok-1"}))
        .await
        .expect(200);
    assert_eq!(r.data()["isNewMember"], false);
    assert_eq!(r.data()["member"]["id"], id.as_str());
    // unionid links the same person across mini-programs.
    let a = app
        .post("/auth/api/members/wechat-login", None, json!({"code": "union-7"}))
        .await
        .expect(200);
    let b = app
        .post("/auth/api/members/wechat-login", None, json!({"code": "unionb-7"}))
        .await
        .expect(200);
    assert_eq!(a.data()["member"]["id"], b.data()["member"]["id"]);
    assert_eq!(b.data()["isNewMember"], false);
    // Refused codes and an unreachable WeChat.
    let r = app
        .post("/auth/api/members/wechat-login", None, json!({"code": "stolen"}))
        .await
        .expect(401);
    assert_eq!(r.data()["message"], "WeChat did not accept the login code");
    app.post("/auth/api/members/wechat-login", None, json!({"code": ""}))
        .await
        .expect(400);
    assert_eq!(
        app.wechat.calls.load(std::sync::atomic::Ordering::SeqCst),
        5,
        "each login asks WeChat once"
    );
    // One member.registered event per new member.
    let events = app.events("member.registered").await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["memberId"], id.as_str());
    assert_eq!(events[0]["source"], "wechat");
    let mut down = spawn(Opts::default().var("SBM_WECHAT_BASE_URL", "http://127.0.0.1:1")).await;
    let r = down
        .post("/auth/api/members/wechat-login", None, json!({"code": "ok-1"}))
        .await
        .expect(503);
    assert!(!r.body.to_string().contains("wx-test-secret"));
    down.restart(&[]).await;
}

#[tokio::test]
async fn concurrent_first_logins_create_one_member() {
    let app = spawn_app().await;
    let futs = (0..6).map(|_| app.post("/auth/api/members/wechat-login", None, json!({"code": "ok-race"})));
    let results = futures::future::join_all(futs).await;
    let ids: std::collections::HashSet<String> = results
        .iter()
        .map(|r| {
            assert_eq!(r.status, 200, "{}", r.body);
            r.data()["member"]["id"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(app.events("member.registered").await.len(), 1);
}

#[tokio::test]
async fn members_read_and_update_their_own_profile_only() {
    let app = spawn_app().await;
    let (t, id) = app.member_token("ok-me").await;
    let r = app.get("/auth/api/members/me", Some(&t)).await.expect(200);
    assert_eq!(r.data()["id"], id.as_str());
    let r = app
        .patch(
            "/auth/api/members/me",
            Some(&t),
            json!({"lastName": "Chen", "email": "Mei@Example.com", "birthDate": "1990-02-03", "locale": "th"}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["email"], "mei@example.com");
    assert_eq!(r.data()["locale"], "th");
    let r = app
        .patch(
            "/auth/api/members/me",
            Some(&t),
            json!({"email": "nope", "birthDate": "2999-01-01", "gender": "x", "locale": "fr"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["email", "birthDate", "gender", "locale"]);
    app.patch("/auth/api/members/me", Some(&t), json!({"memberCode": "HACK"}))
        .await
        .expect(400);
    assert_eq!(app.events("member.updated").await.len(), 1);
    // Another member's data is off limits; staff routes too.
    let (t2, id2) = app.member_token("ok-other").await;
    app.get(&format!("/auth/api/members/{id}"), Some(&t2)).await.expect(403);
    app.get(&format!("/auth/api/members/{id2}"), Some(&t2))
        .await
        .expect(200);
    app.get("/auth/api/members", Some(&t2)).await.expect(403);
    app.get(&format!("/auth/api/members/{id}/consents"), Some(&t2))
        .await
        .expect(403);
    app.get("/auth/api/members/me", None).await.expect(401);
    // Email taken by another member.
    let r = app
        .patch("/auth/api/members/me", Some(&t2), json!({"email": "mei@example.com"}))
        .await
        .expect(409);
    assert_eq!(r.error_fields(), vec!["email"]);
    // A staff token is not a member.
    let admin = app.admin_token().await;
    app.get("/auth/api/members/me", Some(&admin)).await.expect(403);
    // Member refresh works and rotates.
    let r = app
        .post("/auth/api/members/wechat-login", None, json!({"code": "ok-me"}))
        .await
        .expect(200);
    let refresh = r.data()["refreshToken"].as_str().unwrap();
    let r = app
        .post("/auth/api/get-new-access-token", None, json!({"refreshToken": refresh}))
        .await
        .expect(200);
    let access = r.data()["accessToken"].as_str().unwrap();
    let r = app
        .get("/auth/api/check-access-token-session", Some(access))
        .await
        .expect(200);
    assert_eq!(r.data()["data"]["valid"], true);
}

#[tokio::test]
async fn member_qr_code_is_short_lived_and_signed() {
    let app = spawn(Opts::default().var("SBM_MEMBER_QR_TTL_SECONDS", "2")).await;
    let (t, id) = app.member_token("ok-qr").await;
    let r = app.get("/auth/api/members/me/qr-code", Some(&t)).await.expect(200);
    let code = r.data()["code"].as_str().unwrap().to_string();
    use base64::Engine;
    let png = base64::engine::general_purpose::STANDARD
        .decode(r.data()["pngBase64"].as_str().unwrap())
        .unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let res = app
        .client
        .get(format!("{}/auth/api/members/me/qr-code?format=png", app.base))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-type"], "image/png");
    let bytes = res.bytes().await.unwrap();
    let img = image::load_from_memory(&bytes).unwrap();
    assert!(img.width() >= 256);
    app.get("/auth/api/members/me/qr-code?format=gif", Some(&t))
        .await
        .expect(400);
    // A cashier scans it.
    let (_, pos) = app.api_key(&["members:read"], json!("standard")).await;
    let r = app
        .post("/auth/api/members/qr-code/verify", Some(&pos), json!({"code": code}))
        .await
        .expect(200);
    assert_eq!(r.data()["id"], id.as_str());
    // An access token is not a member code, and codes expire.
    let r = app
        .post("/auth/api/members/qr-code/verify", Some(&pos), json!({"code": t}))
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["code"]);
    // TTL 2 s, and 1 s of leeway when verifying: 4 s later the code is refused.
    tokio::time::sleep(Duration::from_millis(4_100)).await;
    app.post("/auth/api/members/qr-code/verify", Some(&pos), json!({"code": code}))
        .await
        .expect(400);
}

#[tokio::test]
async fn staff_and_keys_search_enrol_and_anonymise_members() {
    let app = spawn_app().await;
    let (_, key) = app
        .api_key(&["members:read", "members:write", "members:delete"], json!("standard"))
        .await;
    let body = json!({"firstName": "Somchai", "lastName": "Jaidee", "phone": "+66 81-555-0101", "storeId": "BKK-01"});
    let a = app
        .post("/auth/api/members", Some(&key), body.clone())
        .await
        .expect(201);
    assert_eq!(a.data()["source"], "pos");
    assert_eq!(a.data()["phone"], "+66815550101");
    // Enrolling the same phone again returns the same member.
    let b = app.post("/auth/api/members", Some(&key), body).await.expect(200);
    assert_eq!(a.data()["id"], b.data()["id"]);
    let r = app
        .post(
            "/auth/api/members",
            Some(&key),
            json!({"firstName": "No", "lastName": "Contact"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["phone"]);
    app.post(
        "/auth/api/members",
        Some(&key),
        json!({"firstName": "Anna", "lastName": "Berg", "email": "anna@example.com"}),
    )
    .await
    .expect(201);
    app.member_token("ok-zed").await;
    assert_eq!(app.events("member.registered").await.len(), 3);

    let r = app
        .get("/auth/api/members?search=somchai", Some(&key))
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
    let r = app
        .get("/auth/api/members?search=5550101", Some(&key))
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
    let code = a.data()["memberCode"].as_str().unwrap();
    let r = app
        .get(&format!("/auth/api/members?search={code}"), Some(&key))
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
    let r = app.get("/auth/api/members?source=wechat", Some(&key)).await.expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
    let r = app
        .get("/auth/api/members?storeId=BKK-01", Some(&key))
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
    let r = app
        .get("/auth/api/members?sortBy=firstName&sortOrder=asc", Some(&key))
        .await
        .expect(200);
    let names: Vec<&str> = r.data()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["firstName"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Anna", "Mei", "Somchai"]);
    let r = app
        .get(
            "/auth/api/members?limit=1&page=2&sortBy=firstName&sortOrder=asc",
            Some(&key),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["data"][0]["firstName"], "Mei");
    assert_eq!(r.data()["meta"]["totalPages"], 3);
    app.get("/auth/api/members?sortBy=phoneHash", Some(&key))
        .await
        .expect(400);
    app.get("/auth/api/members?status=gone", Some(&key)).await.expect(400);

    let id = a.data()["id"].as_str().unwrap();
    let r = app
        .patch(
            &format!("/auth/api/members/{id}"),
            Some(&key),
            json!({"firstName": "Som"}),
        )
        .await
        .expect(200);
    assert_eq!(r.data()["firstName"], "Som");
    app.get("/auth/api/members/does-not-exist", Some(&key))
        .await
        .expect(404);

    // Anonymise: personal data gone, id kept, sessions ended, event emitted.
    let (mt, mid) = app.member_token("ok-leaving").await;
    let r = app
        .delete(&format!("/auth/api/members/{mid}"), Some(&key))
        .await
        .expect(200);
    assert_eq!(r.data()["status"], "anonymized");
    assert_eq!(r.data()["firstName"], "Deleted");
    assert!(r.data()["phone"].is_null() && r.data()["email"].is_null());
    app.get("/auth/api/check-access-token-session", Some(&mt))
        .await
        .expect(401);
    assert_eq!(app.events("member.anonymized").await.len(), 1);
    // An anonymised member earns nothing (the balance upsert itself checks the member).
    let admin = app.admin_token().await;
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(&admin),
            json!({"memberId": mid, "points": 5}),
        )
        .await
        .expect(409);
    assert!(r.body.to_string().contains("anonymised"), "{}", r.body);
    assert!(app.events("points.earned").await.is_empty());
    let row = sql_one(
        &app.db,
        "SELECT wechat_openid FROM members WHERE id = $1",
        vec![mid.clone().into()],
    )
    .await
    .unwrap()
    .unwrap();
    assert!(row.try_get::<Option<String>>("", "wechat_openid").unwrap().is_none());
    // Deleting twice is harmless; editing an anonymised member is refused.
    app.delete(&format!("/auth/api/members/{mid}"), Some(&key))
        .await
        .expect(200);
    app.patch(
        &format!("/auth/api/members/{mid}"),
        Some(&key),
        json!({"firstName": "Back"}),
    )
    .await
    .expect(409);
    // The same WeChat user comes back as a new member.
    let r = app
        .post("/auth/api/members/wechat-login", None, json!({"code": "ok-leaving"}))
        .await
        .expect(200);
    assert_eq!(r.data()["isNewMember"], true);
}

#[tokio::test]
async fn consent_documents_are_versioned_and_acceptance_is_append_only() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.get("/auth/api/consent-documents/current", None).await.expect(404);
    let doc = |v: &str| {
        json!({"kind": "privacy_policy", "title_en": format!("Privacy {v}"), "title_th": format!("นโยบาย {v}"),
               "body_en": "We keep your points safe.", "body_th": "เราเก็บคะแนนของคุณอย่างปลอดภัย"})
    };
    let v1 = app
        .post("/auth/api/consent-documents", Some(&admin), doc("v1"))
        .await
        .expect(201);
    assert_eq!(v1.data()["version"], 1);
    let v2 = app
        .post("/auth/api/consent-documents", Some(&admin), doc("v2"))
        .await
        .expect(201);
    assert_eq!(v2.data()["version"], 2);
    let future = json!({"kind": "privacy_policy", "title_en": "Privacy v3", "body_en": "Later.", "effectiveAt": "2999-01-01T00:00:00Z"});
    app.post("/auth/api/consent-documents", Some(&admin), future)
        .await
        .expect(201);
    app.post(
        "/auth/api/consent-documents",
        Some(&admin),
        json!({"kind": "terms_of_service", "title_en": "Terms", "body_en": "Be nice."}),
    )
    .await
    .expect(201);
    let r = app
        .post(
            "/auth/api/consent-documents",
            Some(&admin),
            json!({"kind": "cookie", "title_en": "", "body_en": ""}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["kind", "title_en", "body_en"]);
    let viewer = app.staff_token("viewer").await;
    app.post("/auth/api/consent-documents", Some(&viewer), doc("x"))
        .await
        .expect(403);

    // Current: the newest version in force per kind; localized on request.
    let r = app
        .get(
            "/auth/api/consent-documents/current?kind=privacy_policy&locale=th",
            None,
        )
        .await
        .expect(200);
    assert_eq!(r.data()[0]["version"], 2);
    assert_eq!(r.data()[0]["title"], "นโยบาย v2");
    let r = app.get("/auth/api/consent-documents/current", None).await.expect(200);
    assert_eq!(r.data().as_array().unwrap().len(), 2);
    let r = app
        .get(
            "/auth/api/consent-documents?kind=privacy_policy&sortBy=version&sortOrder=asc",
            None,
        )
        .await
        .expect(200);
    assert_eq!(r.data()["meta"]["total"], 3);
    assert_eq!(r.data()["data"][0]["version"], 1);
    let r = app
        .get("/auth/api/consent-documents?locale=cn&kind=terms_of_service", None)
        .await
        .expect(200);
    assert_eq!(r.data()["data"][0]["title"], "Terms", "falls back to English");

    // A member accepts v1, then v2, then withdraws: three records, none rewritten.
    let (t, mid) = app.member_token("ok-consent").await;
    let v1id = v1.data()["id"].as_str().unwrap();
    let v2id = v2.data()["id"].as_str().unwrap();
    app.post(
        "/auth/api/members/me/consents",
        Some(&t),
        json!({"documentId": v1id, "accepted": true}),
    )
    .await
    .expect(201);
    app.post(
        "/auth/api/members/me/consents",
        Some(&t),
        json!({"documentId": v2id, "accepted": true}),
    )
    .await
    .expect(201);
    let r = app
        .post(
            "/auth/api/members/me/consents",
            Some(&t),
            json!({"documentId": v2id, "accepted": false}),
        )
        .await
        .expect(201);
    assert_eq!(r.data()["version"], 2);
    let r = app
        .post(
            "/auth/api/members/me/consents",
            Some(&t),
            json!({"documentId": "nope", "accepted": true}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["documentId"]);
    let r = app.get("/auth/api/members/me/consents", Some(&t)).await.expect(200);
    let hist = r.data().as_array().unwrap();
    assert_eq!(hist.len(), 3);
    assert_eq!(hist[0]["accepted"], false);
    assert_eq!(hist[2]["version"], 1);
    let r = app
        .get(&format!("/auth/api/members/{mid}/consents"), Some(&admin))
        .await
        .expect(200);
    assert_eq!(r.data().as_array().unwrap().len(), 3);
    assert_eq!(app.events("member.consent_recorded").await.len(), 3);
    app.get("/auth/api/members/nobody/consents", Some(&admin))
        .await
        .expect(404);
}

/// Ten publications at once get ten consecutive versions, none refused.
#[tokio::test]
async fn concurrent_consent_publications_all_succeed() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let publish = (0..10).map(|i| {
        let (app, admin) = (&app, &admin);
        async move {
            app.post(
                "/auth/api/consent-documents",
                Some(admin),
                json!({"kind": "terms_of_service", "title_en": format!("Terms {i}"), "body_en": "Be nice."}),
            )
            .await
        }
    });
    let results = futures::future::join_all(publish).await;
    let mut versions: Vec<i64> = results
        .iter()
        .map(|r| {
            assert_eq!(r.status, 201, "{:?}", r.body);
            r.data()["version"].as_i64().unwrap()
        })
        .collect();
    versions.sort();
    assert_eq!(versions, (1..=10).collect::<Vec<i64>>());
}

/// "Enrolling" a known phone is reading that member: without `members:read` the caller learns
/// only that it is taken (409), not the profile.
#[tokio::test]
async fn enrolling_a_known_phone_needs_members_read_to_see_the_member() {
    let app = spawn_app().await;
    let (_, write_only) = app.api_key(&["members:write"], json!("standard")).await;
    let (_, read_write) = app.api_key(&["members:read", "members:write"], json!("standard")).await;
    let body = json!({"firstName": "Somchai", "lastName": "Secret", "phone": "+66 81 234 5678"});
    app.post("/auth/api/members", Some(&read_write), body.clone())
        .await
        .expect(201);
    let probe = json!({"firstName": "X", "lastName": "Y", "phone": "+66812345678"});
    let r = app
        .post("/auth/api/members", Some(&write_only), probe.clone())
        .await
        .expect(409);
    assert_eq!(r.error_fields(), vec!["phone"]);
    assert!(!r.body.to_string().contains("Secret"), "{}", r.body);
    let r = app
        .post("/auth/api/members", Some(&read_write), probe)
        .await
        .expect(200);
    assert_eq!(r.data()["lastName"], "Secret");
}
