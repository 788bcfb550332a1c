//! The conventions every service shares: envelopes on every failure path, rate limiting,
//! idempotency, the outbox, health, metrics, OpenAPI.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use reqwest::Method;
use sbm_common::app::{AppState, ServiceRouter};
use sbm_common::outbox::{Consumer, Event, Runner, emit_at as emit};
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::helpers::*;

/// A route that panics (to check the 500 envelope).
#[utoipa::path(get, path = "/panic", responses((status = 500)))]
async fn panics() -> &'static str {
    panic!("boom: secret internals")
}

/// A route slower than the configured request timeout.
#[utoipa::path(get, path = "/slow", responses((status = 200)))]
async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

fn test_service() -> ServiceRouter {
    let router: OpenApiRouter<AppState> = OpenApiRouter::new().routes(routes!(panics)).routes(routes!(slow));
    ServiceRouter {
        name: "testsvc",
        router,
        title: "test",
    }
}

#[tokio::test]
async fn every_failure_path_speaks_the_envelope() {
    let app = spawn_with(
        Opts::default()
            .var("SBM_REQUEST_TIMEOUT_SECONDS", "1")
            .var("SBM_MAX_BODY_BYTES", "2048"),
        vec![test_service()],
    )
    .await;
    let r = app.get("/auth/api/no-such-route", None).await.expect(404);
    assert_eq!(r.data()["message"], "Route not found");
    assert_eq!(r.data()["errors"], json!([]), "errors is always there, empty here");
    app.get("/nowhere", None).await.expect(404);
    app.call(Method::PUT, "/auth/api/login", None, None).await.expect(405);
    // Wrong content type, malformed JSON, missing and unknown fields.
    let res = app
        .client
        .post(format!("{}/auth/api/login", app.base))
        .body("email=x")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["statusCode"], 415);
    let res = app
        .client
        .post(format!("{}/auth/api/login", app.base))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.unwrap();
    assert!(v["data"]["message"].as_str().unwrap().starts_with("Malformed JSON"));
    let r = app
        .post("/auth/api/login", None, json!({"email": "a@b.co"}))
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["password"]);
    let r = app
        .post(
            "/auth/api/login",
            None,
            json!({"email": "a@b.co", "password": "x", "x": 1}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["x"]);
    // Oversized body.
    let big = "a".repeat(10_000);
    let r = app
        .post("/auth/api/login", None, json!({"email": big, "password": "x"}))
        .await
        .expect(413);
    assert_eq!(r.data()["message"], "Request body is too large");
    // Panic: a 500 that leaks nothing.
    let r = app.get("/testsvc/api/panic", None).await.expect(500);
    assert_eq!(r.data()["message"], "Internal server error");
    assert!(!r.body.to_string().contains("boom"));
    // Timeout.
    let r = app.get("/testsvc/api/slow", None).await.expect(503);
    assert_eq!(r.data()["message"], "Request timed out");
    // Every response carries a request id.
    assert!(r.header("x-request-id").is_some());
}

#[tokio::test]
async fn pagination_and_sorting_are_validated() {
    let app = spawn_app().await;
    let t = app.admin_token().await;
    let r = app.get("/auth/api/staff?limit=101", Some(&t)).await.expect(400);
    assert_eq!(r.error_fields(), vec!["limit"]);
    let r = app.get("/auth/api/staff?page=0", Some(&t)).await.expect(400);
    assert_eq!(r.error_fields(), vec!["page"]);
    let r = app
        .get("/auth/api/staff?sortBy=passwordHash", Some(&t))
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["sortBy"]);
    assert!(
        r.data()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("passwordHash")
    );
    let r = app.get("/auth/api/staff?sortOrder=up", Some(&t)).await.expect(400);
    assert_eq!(r.error_fields(), vec!["sortOrder"]);
    let r = app.get("/auth/api/staff?role=king", Some(&t)).await.expect(400);
    assert_eq!(r.error_fields(), vec!["role"]);
}

#[tokio::test]
async fn rate_limit_headers_and_429_per_principal_in_redis() {
    let app = spawn(Opts::default().var("SBM_RATE_LIMIT_TOKEN_PER_HOUR", "3")).await;
    let t = app.admin_token().await; // login is anonymous: keyed by IP, not by this token
    let other = app.staff_token("viewer").await;
    // The admin already spent one request creating the viewer: two remain.
    for left in [1, 0] {
        let r = app.get("/auth/api/staff/me", Some(&t)).await.expect(200);
        assert_eq!(r.header("x-ratelimit-limit").as_deref(), Some("3"));
        assert_eq!(r.header("x-ratelimit-remaining").unwrap(), left.to_string());
        let reset: u64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
        assert!(reset > sbm_common::clock::Clock::system_now().timestamp() as u64);
    }
    let r = app.get("/auth/api/staff/me", Some(&t)).await.expect(429);
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=1200).contains(&retry), "retry-after {retry}");
    assert_eq!(r.header("x-ratelimit-remaining").as_deref(), Some("0"));
    // Another principal has its own budget.
    app.get("/auth/api/staff/me", Some(&other)).await.expect(200);
    // The state lives in Redis under this test's prefix.
    let client = redis::Client::open(redis_url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{}rl:*", app.redis_prefix))
        .query_async(&mut conn)
        .await
        .unwrap();
    let me = format!("staff:{}", staff_id(&app, &t).await);
    assert!(keys.iter().any(|k| k.ends_with(&me)), "{keys:?}");
    // Health and metrics are not rate limited.
    for _ in 0..5 {
        assert_eq!(
            app.client
                .get(format!("{}/healthz", app.base))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }
}

async fn staff_id(app: &TestApp, _t: &str) -> String {
    let row = sql_one(
        &app.db,
        "SELECT id FROM staff WHERE email = $1",
        vec![ADMIN_EMAIL.into()],
    )
    .await
    .unwrap()
    .unwrap();
    row.try_get("", "id").unwrap()
}

#[tokio::test]
async fn api_key_plans_set_the_limit() {
    let app = spawn_app().await;
    let (_, std_key) = app.api_key(&["members:read"], json!("standard")).await;
    let r = app.get("/auth/api/members", Some(&std_key)).await.expect(200);
    assert_eq!(r.header("x-ratelimit-limit").as_deref(), Some("1000"));
    let (_, prem) = app.api_key(&["members:read"], json!("premium")).await;
    let r = app.get("/auth/api/members", Some(&prem)).await.expect(200);
    assert_eq!(r.header("x-ratelimit-limit").as_deref(), Some("10000"));
    let (_, ent) = app
        .api_key(&["members:read"], json!({"plan": "enterprise", "rateLimitPerHour": 2}))
        .await;
    app.get("/auth/api/members", Some(&ent)).await.expect(200);
    app.get("/auth/api/members", Some(&ent)).await.expect(200);
    let r = app.get("/auth/api/members", Some(&ent)).await.expect(429);
    assert_eq!(r.header("x-ratelimit-limit").as_deref(), Some("2"));
    assert!(r.header("retry-after").is_some());
}

#[tokio::test]
async fn redis_down_fails_open_then_recovers_by_itself() {
    // A Redis of our own on a free port, started only after the platform.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("redis://127.0.0.1:{port}");
    let app = spawn(
        Opts::default()
            .var("SBM_REDIS_URL", &url)
            .var("SBM_RATE_LIMIT_TOKEN_PER_HOUR", "50"),
    )
    .await;
    let t = app.admin_token().await;
    let r = app.get("/auth/api/staff/me", Some(&t)).await.expect(200);
    assert_eq!(r.header("x-ratelimit-limit").as_deref(), Some("50"));
    let metrics = app.metrics().await;
    assert!(metrics.contains("rate_limit_redis_errors_total"), "{metrics}");
    let ready: Value = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ready["redis"], "unreachable");

    let mut redis = std::process::Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--save",
            "",
            "--appendonly",
            "no",
            "--bind",
            "127.0.0.1",
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("redis-server is installed");
    let mut recovered = false;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        app.get("/auth/api/staff/me", Some(&t)).await.expect(200);
        let client = redis::Client::open(url.as_str()).unwrap();
        if let Ok(mut c) = client.get_multiplexed_async_connection().await {
            let keys: Vec<String> = redis::cmd("KEYS")
                .arg("*rl:*")
                .query_async(&mut c)
                .await
                .unwrap_or_default();
            if !keys.is_empty() {
                recovered = true;
                break;
            }
        }
    }
    let _ = redis.kill();
    let _ = redis.wait();
    assert!(recovered, "the limiter never went back to Redis");
}

#[tokio::test]
async fn redis_down_fails_closed_when_configured() {
    let app = spawn(
        Opts::default()
            .var("SBM_REDIS_URL", "redis://127.0.0.1:1")
            .var("SBM_RATE_LIMIT_ON_REDIS_FAILURE", "closed"),
    )
    .await;
    let r = app.get("/auth/api/consent-documents", None).await.expect(503);
    assert!(r.data()["message"].as_str().unwrap().contains("Rate limiter"));
    // Every API request would be refused, so the replica is not ready either.
    let ready = app.client.get(format!("{}/readyz", app.base)).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["redis"], "unreachable");
}

#[tokio::test]
async fn idempotency_key_replays_and_refuses_a_different_body() {
    let app = spawn_app().await;
    let t = app.admin_token().await;
    let body = json!({"name": "POS 1", "scopes": ["members:read"], "plan": "standard"});
    let h = [("idempotency-key", "create-pos-1")];
    let a = app
        .call_h(Method::POST, "/auth/api/api-keys", Some(&t), Some(body.clone()), &h)
        .await
        .expect(201);
    let b = app
        .call_h(Method::POST, "/auth/api/api-keys", Some(&t), Some(body.clone()), &h)
        .await
        .expect(201);
    assert_eq!(a.data()["id"], b.data()["id"]);
    assert_eq!(a.data()["key"], b.data()["key"]);
    assert_eq!(b.header("idempotent-replayed").as_deref(), Some("true"));
    let r = app.get("/auth/api/api-keys", Some(&t)).await.expect(200);
    assert_eq!(r.data()["meta"]["total"], 1);
    let other = json!({"name": "POS 2", "scopes": ["members:read"], "plan": "standard"});
    let r = app
        .call_h(Method::POST, "/auth/api/api-keys", Some(&t), Some(other), &h)
        .await
        .expect(422);
    assert!(r.data()["message"].as_str().unwrap().contains("different request"));
    // Keys are per caller: another staff member may use the same key string.
    let t2 = app.staff_token("admin").await;
    let c = app
        .call_h(Method::POST, "/auth/api/api-keys", Some(&t2), Some(body), &h)
        .await
        .expect(201);
    assert_ne!(c.data()["id"], a.data()["id"]);
    // Validation failures are stored too: the retry gets the same 400.
    let bad = json!({"name": "", "scopes": [], "plan": "standard"});
    let h2 = [("idempotency-key", "bad-1")];
    app.call_h(Method::POST, "/auth/api/api-keys", Some(&t), Some(bad.clone()), &h2)
        .await
        .expect(400);
    let r = app
        .call_h(Method::POST, "/auth/api/api-keys", Some(&t), Some(bad), &h2)
        .await
        .expect(400);
    assert_eq!(r.header("idempotent-replayed").as_deref(), Some("true"));
}

#[tokio::test]
async fn health_readiness_metrics() {
    let app = spawn_app().await;
    let r: Value = app
        .client
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["status"], "ok");
    let r: Value = app
        .client
        .get(format!("{}/readyz", app.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["database"], "ok");
    assert_eq!(r["redis"], "ok");
    app.get("/auth/api/consent-documents", None).await.expect(200);
    // Metrics are on their own listener; the public port does not serve them.
    app.get("/metrics", None).await.expect(404);
    let m = app.metrics().await;
    assert!(m.contains("http_requests_total"), "{m}");
    assert!(m.contains("route=\"/auth/api/consent-documents\""), "{m}");
    assert!(m.contains("http_request_duration_seconds_bucket"));
    assert!(m.contains("rate_limit_decisions_total"));
}

#[tokio::test]
async fn every_documented_route_is_routed_and_docs_are_served() {
    let app = spawn_app().await;
    for svc in ["auth", "point"] {
        let doc: Value = app
            .client
            .get(format!("{}/{svc}/api/openapi.json", app.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        // Every `$ref` names a schema the document defines.
        fn refs(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("$ref") {
                        out.push(r.clone());
                    }
                    m.values().for_each(|x| refs(x, out));
                }
                Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
                _ => {}
            }
        }
        let mut all = Vec::new();
        refs(&doc, &mut all);
        for r in all {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or(&r);
            assert!(
                doc["components"]["schemas"].get(name).is_some(),
                "{svc}: `{r}` is referenced but not defined"
            );
        }
        let paths = doc["paths"].as_object().unwrap();
        assert!(paths.len() >= 15, "{svc} documents {} paths", paths.len());
        for (path, ops) in paths {
            for method in ops.as_object().unwrap().keys() {
                let concrete = path
                    .replace("{id}", "00000000-0000-0000-0000-000000000000")
                    .replace("{memberId}", "nobody");
                for base in [format!("/{svc}/api"), format!("/{svc}/api/v1")] {
                    let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                    let r = app.call(m, &format!("{base}{concrete}"), None, None).await;
                    let routed = !(r.status == 404 && r.data()["message"] == "Route not found") && r.status != 405;
                    assert!(
                        routed,
                        "{method} {base}{path} is documented but not routed ({})",
                        r.status
                    );
                }
            }
        }
        let html = app
            .client
            .get(format!("{}/{svc}/api/docs/", app.base))
            .send()
            .await
            .unwrap();
        assert_eq!(html.status(), 200);
        assert!(html.text().await.unwrap().contains("swagger"));
    }
}

struct Recorder {
    name: String,
    seen: Arc<Mutex<Vec<i64>>>,
}

#[async_trait::async_trait]
impl Consumer for Recorder {
    fn name(&self) -> &str {
        &self.name
    }
    fn topics(&self) -> &[&str] {
        &["test.happened"]
    }
    async fn handle(&self, _txn: &DatabaseTransaction, e: &Event) -> anyhow::Result<()> {
        self.seen.lock().unwrap().push(e.payload["n"].as_i64().unwrap());
        Ok(())
    }
}

#[tokio::test]
async fn outbox_consumers_see_each_event_once_in_order_across_replicas() {
    let app = spawn_app().await;
    for n in 0..60 {
        emit(
            &app.db,
            "test.happened",
            "agg",
            json!({"n": n}),
            sbm_common::clock::Clock::system_now(),
        )
        .await
        .unwrap();
        if n % 7 == 0 {
            emit(
                &app.db,
                "test.other",
                "agg",
                json!({}),
                sbm_common::clock::Clock::system_now(),
            )
            .await
            .unwrap();
        }
    }
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mk = || {
        Runner::new(
            app.db.clone(),
            Arc::new(Recorder {
                name: "rec".into(),
                seen: seen.clone(),
            }),
        )
    };
    let (mut a, mut b) = (mk(), mk());
    // Delivery waits for every transaction older than an event to end, server-wide, so other
    // tests running at the same time can delay it: poll up to a deadline.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        let (x, y) = tokio::join!(a.run_once(), b.run_once());
        x.unwrap();
        y.unwrap();
        if seen.lock().unwrap().len() >= 60 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        *seen.lock().unwrap(),
        (0..60).collect::<Vec<_>>(),
        "each event once, in order"
    );
    // A redelivery (here: the offset reset, as after a restore) is skipped by event id.
    app.db
        .execute_unprepared("UPDATE consumer_offsets SET last_event_id = 0 WHERE consumer = 'rec'")
        .await
        .unwrap();
    while a.run_once().await.unwrap() > 0 {}
    assert_eq!(
        seen.lock().unwrap().len(),
        60,
        "redelivered events are not handled again"
    );
}

#[tokio::test]
async fn outbox_consumer_waits_for_an_earlier_id_still_uncommitted() {
    let app = spawn_app().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut runner = Runner::new(
        app.db.clone(),
        Arc::new(Recorder {
            name: "ooo".into(),
            seen: seen.clone(),
        }),
    );
    // Transaction A takes the lower id and stays open; B takes the next id and commits.
    let a = sbm_common::db::begin_write(&app.db).await.unwrap();
    emit(
        &a,
        "test.happened",
        "a",
        json!({"n": 1}),
        sbm_common::clock::Clock::system_now(),
    )
    .await
    .unwrap();
    emit(
        &app.db,
        "test.happened",
        "b",
        json!({"n": 2}),
        sbm_common::clock::Clock::system_now(),
    )
    .await
    .unwrap();
    for _ in 0..5 {
        runner.run_once().await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        seen.lock().unwrap().is_empty(),
        "must not skip past the open transaction's id"
    );
    a.commit().await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        runner.run_once().await.unwrap();
        if seen.lock().unwrap().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(*seen.lock().unwrap(), vec![1, 2]);
}

struct Failing {
    fail: Arc<Mutex<bool>>,
    seen: Arc<Mutex<Vec<i64>>>,
}

#[async_trait::async_trait]
impl Consumer for Failing {
    fn name(&self) -> &str {
        "failing"
    }
    fn topics(&self) -> &[&str] {
        &["test.happened"]
    }
    async fn handle(&self, txn: &DatabaseTransaction, e: &Event) -> anyhow::Result<()> {
        // A database effect of the handler: rolled back with the batch when it fails.
        sql_exec(
            txn,
            "INSERT INTO consumer_offsets (consumer, last_event_id, updated_at) VALUES ($1, 0, $2)",
            vec![
                format!("effect-{}", e.id).into(),
                sbm_common::clock::Clock::system_now().into(),
            ],
        )
        .await?;
        if *self.fail.lock().unwrap() {
            anyhow::bail!("downstream unavailable");
        }
        self.seen.lock().unwrap().push(e.payload["n"].as_i64().unwrap());
        Ok(())
    }
}

#[tokio::test]
async fn outbox_handler_failure_retries_without_losing_or_doubling_effects() {
    let app = spawn_app().await;
    emit(
        &app.db,
        "test.happened",
        "x",
        json!({"n": 7}),
        sbm_common::clock::Clock::system_now(),
    )
    .await
    .unwrap();
    let fail = Arc::new(Mutex::new(true));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut r = Runner::new(
        app.db.clone(),
        Arc::new(Failing {
            fail: fail.clone(),
            seen: seen.clone(),
        }),
    );
    let mut failed = false;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline {
        if r.run_once().await.is_err() {
            failed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(failed);
    *fail.lock().unwrap() = false;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while std::time::Instant::now() < deadline && seen.lock().unwrap().is_empty() {
        r.run_once().await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(*seen.lock().unwrap(), vec![7]);
    let effects = sql_all(
        &app.db,
        "SELECT consumer FROM consumer_offsets WHERE consumer LIKE 'effect-%'",
        vec![],
    )
    .await
    .unwrap();
    assert_eq!(effects.len(), 1, "the failed attempt's effect was rolled back");
}

/// Set once the slow route below has started handling its request.
static MOMENT_STARTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// A route that takes a moment (to check graceful shutdown).
#[utoipa::path(get, path = "/moment", responses((status = 200)))]
async fn moment() -> &'static str {
    MOMENT_STARTED.store(true, std::sync::atomic::Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(600)).await;
    "done"
}

#[tokio::test]
async fn shutdown_lets_in_flight_requests_finish() {
    let router: OpenApiRouter<AppState> = OpenApiRouter::new().routes(routes!(moment));
    let mut app = spawn_with(
        Opts::default(),
        vec![ServiceRouter {
            name: "slowsvc",
            router,
            title: "t",
        }],
    )
    .await;
    let url = format!("{}/slowsvc/api/moment", app.base);
    let client = app.client.clone();
    let inflight = tokio::spawn(async move { client.get(url).send().await.map(|r| r.status()) });
    // Shut down only once the request is being handled.
    while !MOMENT_STARTED.load(std::sync::atomic::Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let running = app.running.take().unwrap();
    let base = app.base.clone();
    let stop = tokio::spawn(running.stop());
    assert_eq!(inflight.await.unwrap().unwrap(), StatusCode::OK);
    stop.await.unwrap();
    assert!(
        reqwest::get(format!("{base}/healthz")).await.is_err(),
        "no longer accepting"
    );
}

/// The first request through `/idem` outlives the request timeout (once).
static IDEM_SLOW_ONCE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// A route that opts in to idempotency: one event per processed request, as its effect; a body
/// with `"secret": true` is stored sealed.
#[utoipa::path(post, path = "/idem", request_body = Value, responses((status = 201)))]
async fn idem_route(
    idem: sbm_common::idempotency::Idempotency,
    sbm_common::ApiJson(body): sbm_common::ApiJson<Value>,
) -> Result<axum::response::Response, sbm_common::ApiError> {
    use sbm_common::idempotency::Begin;
    let tx = match idem.begin("POST /idem", &body).await? {
        Begin::Replay(r) => return Ok(r),
        Begin::Fresh(tx) => tx,
    };
    sbm_common::outbox::emit_at(tx.txn(), "test.idem", "x", body.clone(), chrono::DateTime::UNIX_EPOCH).await?;
    if body["slow"] == true && IDEM_SLOW_ONCE.swap(false, std::sync::atomic::Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_secs(5)).await;
    }
    if body["fail"] == true {
        return tx
            .finish::<Value>(Err(sbm_common::ApiError::field("fail", "asked to fail")), false)
            .await;
    }
    let secret = body["secret"] == true;
    tx.finish(
        Ok(sbm_common::created(json!({"echo": body, "token": "s3cr3t-value"}))),
        secret,
    )
    .await
}

#[tokio::test]
async fn idempotency_commits_with_the_effect_and_never_sticks_leaks_or_stores_secrets() {
    let router: OpenApiRouter<AppState> = OpenApiRouter::new().routes(routes!(idem_route));
    let app = spawn_with(
        Opts::default().var("SBM_REQUEST_TIMEOUT_SECONDS", "1"),
        vec![ServiceRouter {
            name: "idemsvc",
            router,
            title: "t",
        }],
    )
    .await;
    let t = app.admin_token().await;
    let post = |token: Option<String>, body: Value, key: &'static str| {
        let app = &app;
        async move {
            app.call_h(
                Method::POST,
                "/idemsvc/api/idem",
                token.as_deref(),
                Some(body),
                &[("idempotency-key", key)],
            )
            .await
        }
    };
    // A request cut off by the timeout leaves no key behind: the same key works at once, and
    // the cut-off request's effect was rolled back with it.
    let slow = json!({"slow": true});
    post(Some(t.clone()), slow.clone(), "k-timeout").await.expect(503);
    let first = post(Some(t.clone()), slow.clone(), "k-timeout").await.expect(201);
    assert_eq!(first.header("idempotent-replayed"), None);
    let again = post(Some(t.clone()), slow.clone(), "k-timeout").await.expect(201);
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(again.body, first.body);
    assert_eq!(app.events("test.idem").await.len(), 1, "one effect for three tries");
    // Concurrent retries of one key: one effect, the others replay it.
    let body = json!({"n": 1});
    let rs = futures::future::join_all((0..8).map(|_| post(Some(t.clone()), body.clone(), "k-race"))).await;
    assert!(
        rs.iter().all(|r| r.status == 201),
        "{:?}",
        rs.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert_eq!(app.events("test.idem").await.len(), 2);
    // Another body under the same key is refused; client errors are replayed.
    post(Some(t.clone()), json!({"n": 2}), "k-race").await.expect(422);
    post(Some(t.clone()), json!({"fail": true}), "k-fail").await.expect(400);
    let r = post(Some(t.clone()), json!({"fail": true}), "k-fail").await.expect(400);
    assert_eq!(r.header("idempotent-replayed").as_deref(), Some("true"));
    // Anonymous callers get no replay: the same key is a fresh request each time, so nobody can
    // fetch another caller's response by sending their key.
    let a = post(None, json!({"anon": 1}), "k-anon").await.expect(201);
    let b = post(None, json!({"anon": 1}), "k-anon").await.expect(201);
    assert_eq!(a.header("idempotent-replayed"), None);
    assert_eq!(b.header("idempotent-replayed"), None);
    // A secret-bearing response is stored sealed, yet replays in the clear to its caller.
    let s1 = post(Some(t.clone()), json!({"secret": true}), "k-secret")
        .await
        .expect(201);
    let s2 = post(Some(t.clone()), json!({"secret": true}), "k-secret")
        .await
        .expect(201);
    assert_eq!(s2.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(s1.data()["token"], "s3cr3t-value");
    assert_eq!(s2.body, s1.body);
    let stored: Vec<String> = app
        .db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            "SELECT response_body FROM idempotency_keys WHERE response_body IS NOT NULL",
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get::<String>("", "response_body").unwrap())
        .collect();
    assert_eq!(stored.iter().filter(|b| b.starts_with("sealed:v1:")).count(), 1);
    assert_eq!(
        stored.iter().filter(|b| b.contains("s3cr3t-value")).count(),
        2,
        "only the two responses not marked secret hold it in plaintext"
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_anonymous_callers_get_their_own_bucket() {
    let ip_of = |app: &TestApp, ip: &'static str| {
        let req = app
            .client
            .get(format!("{}/auth/api/.well-known/jwks.json", app.base))
            .header("x-forwarded-for", format!("203.0.113.77, {ip}"));
        async move { req.send().await.unwrap() }
    };
    // The test client connects from 127.0.0.1, here the trusted ingress.
    let app = spawn(
        Opts::default()
            .var("SBM_RATE_LIMIT_ANONYMOUS_PER_HOUR", "2")
            .var("SBM_TRUSTED_PROXIES", "127.0.0.0/8"),
    )
    .await;
    for _ in 0..2 {
        assert_eq!(ip_of(&app, "198.51.100.1").await.status(), 200);
    }
    assert_eq!(ip_of(&app, "198.51.100.1").await.status(), 429);
    // Another client behind the same ingress is not limited by the first one's calls; what a
    // client writes further left in the header is not believed.
    assert_eq!(ip_of(&app, "198.51.100.2").await.status(), 200);
    // Without trusted proxies the header is ignored: every caller is the peer, one bucket.
    let app = spawn(Opts::default().var("SBM_RATE_LIMIT_ANONYMOUS_PER_HOUR", "2")).await;
    assert_eq!(ip_of(&app, "198.51.100.1").await.status(), 200);
    assert_eq!(ip_of(&app, "198.51.100.2").await.status(), 200);
    assert_eq!(ip_of(&app, "198.51.100.3").await.status(), 429);
}

#[tokio::test]
async fn nul_characters_are_a_400_naming_the_field_not_a_500() {
    let app = spawn_app().await;
    let t = app.admin_token().await;
    let r = app
        .post(
            "/auth/api/members",
            Some(&t),
            json!({"firstName": "A\u{0}n", "lastName": "B", "phone": "0812345670"}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["firstName"]);
    let r = app.get("/auth/api/members?search=a%00b", Some(&t)).await.expect(400);
    assert_eq!(r.error_fields(), vec!["search"]);
    let r = app.get("/auth/api/members/x%00y", Some(&t)).await.expect(400);
    assert_eq!(r.error_fields(), vec!["path"]);
    let r = app
        .post(
            "/point/api/transactions/earn",
            Some(&t),
            json!({"memberId": "m\u{0}", "points": 1}),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["memberId"]);
}

#[tokio::test]
async fn search_treats_percent_and_underscore_as_plain_characters() {
    let app = spawn_app().await;
    let t = app.admin_token().await;
    for (first, phone) in [("Ann", "0812345601"), ("Bob", "0812345602")] {
        app.post(
            "/auth/api/members",
            Some(&t),
            json!({"firstName": first, "lastName": "Lee", "phone": phone}),
        )
        .await
        .expect(201);
    }
    for wildcard in ["%25", "_", "A_n", "%25n"] {
        let r = app
            .get(&format!("/auth/api/members?search={wildcard}"), Some(&t))
            .await
            .expect(200);
        assert_eq!(
            r.data()["meta"]["total"],
            0,
            "search `{wildcard}` matched as a wildcard"
        );
    }
    let r = app.get("/auth/api/members?search=ann", Some(&t)).await.expect(200);
    assert_eq!(
        r.data()["meta"]["total"],
        1,
        "plain search still matches, case-insensitively"
    );
}

/// A body is a JSON object: an array is not read into the request by position.
#[tokio::test]
async fn bodies_must_be_json_objects() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let me = app.get("/auth/api/staff/me", Some(&admin)).await.expect(200);
    let id = me.data()["id"].as_str().unwrap().to_string();
    let r = app
        .patch(
            &format!("/auth/api/staff/{id}"),
            Some(&admin),
            json!(["Renamed by an array", null, null, null, null]),
        )
        .await
        .expect(400);
    assert_eq!(r.error_fields(), vec!["body"]);
    let me = app.get("/auth/api/staff/me", Some(&admin)).await.expect(200);
    assert_ne!(me.data()["name"], "Renamed by an array");
}

/// A member portal on another origin may call the API from the browser once its origin is
/// configured: the preflight is answered before identity and rate limiting, and the SDK's
/// headers are allowed and its rate-limit headers readable. Other origins get no grant.
#[tokio::test]
async fn browsers_on_configured_origins_may_call_the_api() {
    let portal = "https://members.example.com";
    let app = spawn(Opts::default().var("SBM_CORS_ALLOWED_ORIGINS", portal)).await;
    let preflight = app
        .client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/point/api/transactions/earn", app.base),
        )
        .header("origin", portal)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type, idempotency-key",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 200);
    let h = preflight.headers();
    assert_eq!(h["access-control-allow-origin"], portal);
    let allowed = h["access-control-allow-headers"].to_str().unwrap().to_string();
    for name in ["authorization", "content-type", "idempotency-key", "last-event-id"] {
        assert!(allowed.contains(name), "{name} in {allowed}");
    }
    assert!(h["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    assert!(
        h.get("x-ratelimit-remaining").is_none(),
        "a preflight costs no request of the quota"
    );

    let t = app.admin_token().await;
    let r = app
        .client
        .get(format!("{}/auth/api/staff/me", app.base))
        .bearer_auth(&t)
        .header("origin", portal)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["access-control-allow-origin"], portal);
    let exposed = r.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_string();
    for name in ["x-ratelimit-remaining", "retry-after", "x-request-id"] {
        assert!(exposed.contains(name), "{name} in {exposed}");
    }

    let elsewhere = app
        .client
        .get(format!("{}/auth/api/staff/me", app.base))
        .bearer_auth(&t)
        .header("origin", "https://evil.example.net")
        .send()
        .await
        .unwrap();
    assert!(elsewhere.headers().get("access-control-allow-origin").is_none());

    // Unconfigured (the default), no origin gets a grant.
    let app = spawn_app().await;
    let r = app
        .client
        .get(format!("{}/auth/api/.well-known/jwks.json", app.base))
        .header("origin", portal)
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}
