//! What the server does when things around it fail or misbehave: lost database connections,
//! an unresponsive Redis, clients that never finish their headers, and shutdown under load.
//! (The fault suite in `tests/fault/` does the same to whole processes: kill -9, restarts.)

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use sbm_common::app::{AppState, ServiceRouter};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::helpers::*;

/// Connections dropped under the server (as a PostgreSQL restart does) give 503, never 500,
/// and the pool recovers by itself.
#[tokio::test]
async fn lost_database_connections_answer_503_then_recover() {
    let app = spawn(Opts::default().var("SBM_DB_MAX_CONNECTIONS", "4")).await;
    let admin = app.admin_token().await;
    // Fill the pool with connections, then end every one of them server-side.
    let warm = (0..8).map(|_| app.get("/auth/api/staff/me", Some(&admin)));
    futures::future::join_all(warm).await;
    let killer = sbm_common::db::connect_url(&app.vars["SBM_DATABASE_URL"], 1)
        .await
        .unwrap();
    let killed = sql_exec(
        &killer,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
        vec![],
    )
    .await
    .unwrap();
    assert!(killed > 0);
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(app.get("/auth/api/staff/me", Some(&admin)).await.status.as_u16());
    }
    assert!(statuses.iter().all(|s| *s == 200 || *s == 503), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&200), "recovered: {statuses:?}");
}

/// A client that opens a connection and never finishes its headers is cut off after
/// `SBM_HEADER_READ_TIMEOUT_SECONDS`, instead of holding the connection for ever.
#[tokio::test]
async fn slow_headers_are_cut_off() {
    let app = spawn(Opts::default().var("SBM_HEADER_READ_TIMEOUT_SECONDS", "1")).await;
    let addr = app.running().addr;
    let mut conn = tokio::net::TcpStream::connect(addr).await.unwrap();
    conn.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), conn.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server still holds the half-sent request after 10 s");
    // A connection that sends nothing at all is closed too.
    let mut silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    let read = tokio::time::timeout(Duration::from_secs(10), silent.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server still holds a silent connection after 10 s");
    // A well-behaved client on another connection is unaffected.
    let ok = app.client.get(format!("{}/healthz", app.base)).send().await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
}

/// Set once the drain test's slow request is being handled.
static DRAIN_STARTED: AtomicBool = AtomicBool::new(false);

/// A request that takes longer than the drain.
#[utoipa::path(get, path = "/long", responses((status = 200)))]
async fn long() -> &'static str {
    DRAIN_STARTED.store(true, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    "done"
}

/// SIGTERM (here: the shutdown token) first drains: `/readyz` says 503 while new requests are
/// still served, then the listener closes and requests in flight finish within the grace.
#[tokio::test]
async fn shutdown_drains_before_closing_the_listener() {
    let router: OpenApiRouter<AppState> = OpenApiRouter::new().routes(routes!(long));
    let mut app = spawn_with(
        Opts::default()
            .var("SBM_SHUTDOWN_DRAIN_SECONDS", "1")
            .var("SBM_SHUTDOWN_GRACE_SECONDS", "10"),
        vec![ServiceRouter {
            name: "drainsvc",
            router,
            title: "t",
        }],
    )
    .await;
    let url = format!("{}/drainsvc/api/long", app.base);
    let client = app.client.clone();
    let inflight = tokio::spawn(async move { client.get(url).send().await.map(|r| r.status()) });
    while !DRAIN_STARTED.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let running = app.running.take().unwrap();
    let stop = tokio::spawn(running.stop());
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Draining: not ready, but still serving, on new connections too.
    let fresh = reqwest::Client::new();
    let ready = fresh.get(format!("{}/readyz", app.base)).send().await.unwrap();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.json::<Value>().await.unwrap()["status"], "draining");
    let health = fresh.get(format!("{}/healthz", app.base)).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    // The request that outlives the drain still completes.
    assert_eq!(inflight.await.unwrap().unwrap(), StatusCode::OK);
    stop.await.unwrap();
    assert!(
        reqwest::get(format!("{}/healthz", app.base)).await.is_err(),
        "no longer accepting"
    );
}

/// A TCP proxy to the real Redis that can be switched into a black hole: connections are
/// accepted and then never answered, as when Redis hangs or a network drops packets.
struct RedisProxy {
    addr: std::net::SocketAddr,
    blackhole: Arc<AtomicBool>,
}

impl RedisProxy {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let blackhole = Arc::new(AtomicBool::new(false));
        let hole = blackhole.clone();
        let upstream = redis_url()
            .trim_start_matches("redis://")
            .trim_end_matches('/')
            .to_string();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let (hole, upstream) = (hole.clone(), upstream.clone());
                tokio::spawn(async move {
                    let Ok(mut server) = tokio::net::TcpStream::connect(&upstream).await else {
                        return;
                    };
                    let mut a = [0u8; 4096];
                    let mut b = [0u8; 4096];
                    // Forward both ways until the hole opens; then swallow everything.
                    loop {
                        tokio::select! {
                            n = client.read(&mut a) => match n {
                                Ok(0) | Err(_) => return,
                                Ok(n) if !hole.load(Ordering::SeqCst) => {
                                    if server.write_all(&a[..n]).await.is_err() { return; }
                                }
                                Ok(_) => {}
                            },
                            n = server.read(&mut b) => match n {
                                Ok(0) | Err(_) => return,
                                Ok(n) if !hole.load(Ordering::SeqCst) => {
                                    if client.write_all(&b[..n]).await.is_err() { return; }
                                }
                                Ok(_) => {}
                            },
                        }
                    }
                });
            }
        });
        Self { addr, blackhole }
    }
}

fn counter(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .filter(|l| l.starts_with(name))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// With Redis hanging, the limiter's circuit breaker opens after the first timeout: later
/// requests fall back to the local limiter at once instead of each waiting for Redis.
#[tokio::test]
async fn a_hanging_redis_opens_the_breaker() {
    let proxy = RedisProxy::start().await;
    let app = spawn(
        Opts::default()
            .var("SBM_REDIS_URL", &format!("redis://{}", proxy.addr))
            .var("SBM_RATE_LIMIT_REDIS_TIMEOUT_MS", "300"),
    )
    .await;
    let admin = app.admin_token().await;
    app.get("/auth/api/staff/me", Some(&admin)).await.expect(200);
    assert_eq!(counter(&app.metrics().await, "rate_limit_redis_errors_total"), 0.0);
    proxy.blackhole.store(true, Ordering::SeqCst);
    for _ in 0..10 {
        app.get("/auth/api/staff/me", Some(&admin)).await.expect(200);
    }
    let m = app.metrics().await;
    // One request waited for Redis and opened the breaker; the other nine skipped it.
    assert_eq!(counter(&m, "rate_limit_redis_errors_total"), 1.0, "{m}");
    assert!(m.contains("rate_limit_redis_breaker_open 1"), "{m}");
}
