//! Test harness: a fresh PostgreSQL database per test (created and dropped here), a Redis key
//! prefix of its own, the real server on port 0, a local stand-in for WeChat, typed helpers.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use sbm_common::app::ServiceRouter;
use sbm_common::config::Config;
use sbm_testkit::TestDb;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

pub const ADMIN_EMAIL: &str = "admin@test.local";
pub const ADMIN_PASSWORD: &str = "correct-horse-battery";

pub fn redis_url() -> String {
    std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

fn init_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        if std::env::var("TEST_LOG").is_ok() {
            sbm_common::app::init_tracing(sbm_common::config::LogFormat::Pretty);
        }
    });
}

/// A running platform plus everything it was started with.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub running: Option<sbm_crm::Running>,
    pub db: DatabaseConnection,
    /// The test's own PostgreSQL database (none on SQLite), dropped with the app.
    _pg: Option<TestDb>,
    pub data_dir: PathBuf,
    pub vars: HashMap<String, String>,
    pub redis_prefix: String,
    pub wechat: WechatStub,
}

/// Response pieces a test looks at.
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Res {
    pub fn data(&self) -> &Value {
        &self.body["data"]
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
    }
    /// Field names of a validation error.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["data"]["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.body);
        assert_eq!(
            self.body["statusCode"],
            json!(status),
            "envelope statusCode differs: {}",
            self.body
        );
        self
    }
}

/// Start options.
#[derive(Default, Clone)]
pub struct Opts {
    pub vars: Vec<(String, String)>,
    pub sqlite: bool,
    pub no_redis: bool,
}

impl Opts {
    pub fn var(mut self, k: &str, v: &str) -> Self {
        self.vars.push((k.into(), v.into()));
        self
    }
}

pub async fn spawn_app() -> TestApp {
    spawn(Opts::default()).await
}

pub async fn spawn(opts: Opts) -> TestApp {
    spawn_with(opts, Vec::new()).await
}

pub async fn spawn_with(opts: Opts, extra: Vec<ServiceRouter>) -> TestApp {
    init_logs();
    let id = uuid::Uuid::new_v4().simple().to_string();
    let data_dir = std::env::temp_dir().join(format!("sbm-test-{id}"));
    std::fs::create_dir_all(&data_dir).unwrap();
    let wechat = WechatStub::start().await;
    let mut vars: HashMap<String, String> = HashMap::from([
        ("SBM_DATA_DIR".into(), data_dir.display().to_string()),
        ("SBM_BOOTSTRAP_ADMIN_EMAIL".into(), ADMIN_EMAIL.into()),
        ("SBM_BOOTSTRAP_ADMIN_PASSWORD".into(), ADMIN_PASSWORD.into()),
        ("SBM_COOKIE_SECURE".into(), "false".into()),
        ("SBM_WECHAT_BASE_URL".into(), wechat.base.clone()),
        ("SBM_WECHAT_APP_ID".into(), "wx-test-app".into()),
        ("SBM_WECHAT_APP_SECRET".into(), "wx-test-secret".into()),
        ("SBM_REDIS_PREFIX".into(), format!("test:{id}:")),
        // Tests stop their servers at once, and run many side by side.
        ("SBM_SHUTDOWN_DRAIN_SECONDS".into(), "0".into()),
        ("SBM_METRICS_LISTEN".into(), "127.0.0.1:0".into()),
    ]);
    let pg = if opts.sqlite {
        let url = format!("sqlite://{}?mode=rwc", data_dir.join("test.db").display());
        vars.insert("SBM_DATABASE_URL".into(), url);
        None
    } else {
        let pg = TestDb::create().await;
        vars.insert("SBM_DATABASE_URL".into(), pg.url.clone());
        vars.insert("SBM_MIGRATE_ON_START".into(), "true".into());
        vars.insert("SBM_DB_MAX_CONNECTIONS".into(), "8".into());
        Some(pg)
    };
    if !opts.no_redis && !opts.sqlite {
        vars.insert("SBM_REDIS_URL".into(), redis_url());
    }
    for (k, v) in opts.vars {
        if v.is_empty() {
            vars.remove(&k);
        } else {
            vars.insert(k, v);
        }
    }
    let prefix = vars["SBM_REDIS_PREFIX"].clone();
    let mut app = TestApp {
        base: String::new(),
        client: reqwest::Client::builder().cookie_store(true).build().unwrap(),
        running: None,
        db: DatabaseConnection::default(),
        _pg: pg,
        data_dir,
        vars,
        redis_prefix: prefix,
        wechat,
    };
    app.boot(extra).await;
    app
}

impl TestApp {
    async fn boot(&mut self, extra: Vec<ServiceRouter>) {
        let config = Config::from_map(self.vars.clone()).expect("valid test config");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let running = sbm_crm::start_with(config, listener, CancellationToken::new(), extra)
            .await
            .expect("platform starts");
        self.base = format!("http://{}", running.addr);
        self.db = running.state.db.clone();
        self.running = Some(running);
    }

    /// Stops and starts again on the same database with changed settings.
    pub async fn restart(&mut self, vars: &[(&str, &str)]) {
        if let Some(r) = self.running.take() {
            r.stop().await;
        }
        for (k, v) in vars {
            self.vars.insert(k.to_string(), v.to_string());
        }
        self.boot(Vec::new()).await;
    }

    pub fn running(&self) -> &sbm_crm::Running {
        self.running.as_ref().unwrap()
    }

    /// What the metrics listener (not the public port) serves.
    pub async fn metrics(&self) -> String {
        let at = self.running().metrics_addr.expect("metrics listener");
        let r = self.client.get(format!("http://{at}/metrics")).send().await.unwrap();
        assert_eq!(r.status(), 200);
        r.text().await.unwrap()
    }

    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Res {
        self.call_h(method, path, token, body, &[]).await
    }

    pub async fn call_h(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Res {
        let mut rb = self.client.request(method, format!("{}{}", self.base, path));
        if let Some(t) = token {
            if t.starts_with("sbmk_") && headers.iter().any(|(k, _)| *k == "use-x-api-key") {
                rb = rb.header("x-api-key", t);
            } else {
                rb = rb.bearer_auth(t);
            }
        }
        for (k, v) in headers {
            if *k != "use-x-api-key" {
                rb = rb.header(*k, *v);
            }
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let res = rb.send().await.expect("request sent");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Res { status, headers, body }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Res {
        self.call(Method::GET, path, token, None).await
    }
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Res {
        self.call(Method::POST, path, token, Some(body)).await
    }
    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Res {
        self.call(Method::PATCH, path, token, Some(body)).await
    }
    pub async fn put(&self, path: &str, token: Option<&str>, body: Value) -> Res {
        self.call(Method::PUT, path, token, Some(body)).await
    }
    pub async fn delete(&self, path: &str, token: Option<&str>) -> Res {
        self.call(Method::DELETE, path, token, None).await
    }

    /// Logs in as staff, returning (access, refresh).
    pub async fn login(&self, email: &str, password: &str) -> (String, String) {
        let r = self
            .post("/auth/api/login", None, json!({"email": email, "password": password}))
            .await
            .expect(200);
        (
            r.data()["accessToken"].as_str().unwrap().to_string(),
            r.data()["refreshToken"].as_str().unwrap().to_string(),
        )
    }

    pub async fn admin_token(&self) -> String {
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await.0
    }

    /// Creates a staff account with a role and returns its token.
    pub async fn staff_token(&self, role: &str) -> String {
        let admin = self.admin_token().await;
        let email = format!("{role}-{}@test.local", uuid::Uuid::new_v4().simple());
        self.post(
            "/auth/api/staff",
            Some(&admin),
            json!({"email": email, "name": role, "role": role, "password": "a-long-password-1"}),
        )
        .await
        .expect(201);
        self.login(&email, "a-long-password-1").await.0
    }

    /// Creates an API key and returns (id, key).
    pub async fn api_key(&self, scopes: &[&str], plan: Value) -> (String, String) {
        let admin = self.admin_token().await;
        let mut body = json!({"name": "test key", "scopes": scopes});
        if let Value::Object(extra) = plan {
            for (k, v) in extra {
                body[k] = v;
            }
        } else {
            body["plan"] = plan;
        }
        let r = self.post("/auth/api/api-keys", Some(&admin), body).await.expect(201);
        (
            r.data()["id"].as_str().unwrap().into(),
            r.data()["key"].as_str().unwrap().into(),
        )
    }

    /// Logs a member in through the WeChat stand-in; returns (access, member id).
    pub async fn member_token(&self, code: &str) -> (String, String) {
        let r = self
            .post(
                "/auth/api/members/wechat-login",
                None,
                json!({"code": code, "firstName": "Mei"}),
            )
            .await
            .expect(200);
        (
            r.data()["accessToken"].as_str().unwrap().into(),
            r.data()["member"]["id"].as_str().unwrap().into(),
        )
    }

    /// Events of a topic in the outbox, oldest first.
    pub async fn events(&self, topic: &str) -> Vec<Value> {
        sql_all(
            &self.db,
            "SELECT payload FROM events WHERE topic = $1 ORDER BY id",
            vec![topic.into()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| serde_json::from_str(&r.try_get::<String>("", "payload").unwrap()).unwrap())
        .collect()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(r) = self.running.take() {
            r.shutdown.cancel();
        }
        let _ = std::fs::remove_dir_all(&self.data_dir);
        // `_pg` drops after this, its database with it (forcibly, should the platform still hold
        // connections while it stops).
    }
}

/// A local stand-in for WeChat's `jscode2session`: `code` `ok-X` answers openid `o-X`;
/// `union-X` answers openid `o-X` and unionid `u-X`; `unionb-X` answers openid `ob-X` with
/// unionid `u-X` (the same person in another mini-program); anything else is refused.
pub struct WechatStub {
    pub base: String,
    pub calls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl WechatStub {
    async fn start() -> Self {
        use axum::extract::Query;
        let calls = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let c = calls.clone();
        let app = axum::Router::new().route(
            "/sns/jscode2session",
            axum::routing::get(move |Query(q): Query<HashMap<String, String>>| {
                let c = c.clone();
                async move {
                    c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if q.get("appid").map(String::as_str) != Some("wx-test-app")
                        || q.get("secret").map(String::as_str) != Some("wx-test-secret")
                        || q.get("grant_type").map(String::as_str) != Some("authorization_code")
                    {
                        return axum::Json(json!({"errcode": 40013, "errmsg": "invalid appid"}));
                    }
                    let code = q.get("js_code").cloned().unwrap_or_default();
                    if let Some(x) = code.strip_prefix("ok-") {
                        axum::Json(json!({"openid": format!("o-{x}"), "session_key": "sk"}))
                    } else if let Some(x) = code.strip_prefix("union-") {
                        axum::Json(
                            json!({"openid": format!("o-{x}"), "unionid": format!("u-{x}"), "session_key": "sk"}),
                        )
                    } else if let Some(x) = code.strip_prefix("unionb-") {
                        axum::Json(
                            json!({"openid": format!("ob-{x}"), "unionid": format!("u-{x}"), "session_key": "sk"}),
                        )
                    } else {
                        axum::Json(json!({"errcode": 40029, "errmsg": "invalid code"}))
                    }
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        WechatStub {
            base: format!("http://{addr}"),
            calls,
        }
    }
}

/// Raw SQL for assertions, with numbered parameters (`$1`, `$2`, …), which PostgreSQL and
/// SQLite both read.
pub async fn sql_all(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
    db.query_all_raw(sea_orm::Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        values,
    ))
    .await
}

/// [`sql_all`] for at most one row.
pub async fn sql_one(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Option<sea_orm::QueryResult>, sea_orm::DbErr> {
    db.query_one_raw(sea_orm::Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        values,
    ))
    .await
}

/// [`sql_all`] for a statement; returns the rows affected.
pub async fn sql_exec(
    db: &impl ConnectionTrait,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> Result<u64, sea_orm::DbErr> {
    Ok(db
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            values,
        ))
        .await?
        .rows_affected())
}

/// One event read from a `text/event-stream`.
#[derive(Debug, Clone, Default)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: String,
    pub data: String,
    pub retry: Option<u64>,
}

impl SseEvent {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap_or(Value::Null)
    }
    pub fn id(&self) -> i64 {
        self.id.as_deref().unwrap().parse().unwrap()
    }
}

/// What came next on a stream.
#[derive(Debug)]
pub enum SseItem {
    Event(SseEvent),
    Comment(String),
    /// The server ended the stream.
    End,
}

/// A real-time stream read line by line, as `EventSource` does.
pub struct SseClient {
    pub status: StatusCode,
    pub headers: HeaderMap,
    body: std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<Vec<u8>>> + Send>>,
    buf: String,
    pub error: Value,
    /// Kept for as long as the stream is read.
    _client: reqwest::Client,
}

impl SseClient {
    /// Opens `url` with optional bearer token and extra headers.
    pub async fn open(url: &str, token: Option<&str>, headers: &[(&str, &str)]) -> SseClient {
        let client = reqwest::Client::new();
        let mut req = client.get(url);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        if !status.is_success() {
            let error = res.json().await.unwrap_or(Value::Null);
            return SseClient {
                status,
                headers,
                body: Box::pin(futures::stream::empty()),
                buf: String::new(),
                error,
                _client: client,
            };
        }
        SseClient {
            status,
            headers,
            body: Box::pin(futures::stream::unfold(res, |mut r| async move {
                match r.chunk().await {
                    Ok(Some(b)) => Some((Ok(b.to_vec()), r)),
                    Ok(None) => None,
                    Err(e) => Some((Err(e), r)),
                }
            })),
            buf: String::new(),
            error: Value::Null,
            _client: client,
        }
    }

    /// The next event or comment, or `None` if nothing came within `wait`.
    pub async fn next_item(&mut self, wait: std::time::Duration) -> Option<SseItem> {
        use futures::StreamExt;
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            // A complete block ends with a blank line.
            if let Some(at) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..at + 2).collect();
                let mut ev = SseEvent::default();
                let mut comment = None;
                let mut fields = false;
                for line in block.lines().filter(|l| !l.is_empty()) {
                    if let Some(c) = line.strip_prefix(':') {
                        comment = Some(c.trim().to_string());
                        continue;
                    }
                    let (k, v) = line.split_once(':').unwrap_or((line, ""));
                    let v = v.strip_prefix(' ').unwrap_or(v);
                    fields = true;
                    match k {
                        "id" => ev.id = Some(v.to_string()),
                        "event" => ev.event = v.to_string(),
                        "data" => {
                            if !ev.data.is_empty() {
                                ev.data.push('\n');
                            }
                            ev.data.push_str(v)
                        }
                        "retry" => ev.retry = v.parse().ok(),
                        _ => {}
                    }
                }
                if fields {
                    return Some(SseItem::Event(ev));
                }
                if let Some(c) = comment {
                    return Some(SseItem::Comment(c));
                }
                continue;
            }
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Err(_) => return None,
                Ok(None) | Ok(Some(Err(_))) => return Some(SseItem::End),
                Ok(Some(Ok(chunk))) => self.buf.push_str(&String::from_utf8_lossy(&chunk)),
            }
        }
    }

    /// The next event (skipping comments and the `retry` preamble), or `None` if none came
    /// within `wait` or the stream ended.
    pub async fn next_event(&mut self, wait: std::time::Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_item(left).await? {
                SseItem::Event(e) if e.event.is_empty() && e.data.is_empty() => continue,
                SseItem::Event(e) => return Some(e),
                SseItem::Comment(_) => continue,
                SseItem::End => return None,
            }
        }
    }

    /// Every event that arrives until `quiet` passes without one.
    pub async fn drain(&mut self, quiet: std::time::Duration) -> Vec<SseEvent> {
        let mut out = Vec::new();
        while let Some(e) = self.next_event(quiet).await {
            out.push(e);
        }
        out
    }
}

impl TestApp {
    /// Another replica of this platform: the same database, Redis and settings, its own port.
    pub async fn replica(&self) -> sbm_crm::Running {
        let config = Config::from_map(self.vars.clone()).expect("valid test config");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        sbm_crm::start(config, listener, CancellationToken::new())
            .await
            .expect("replica starts")
    }
}

/// A real SMTP server (Python's aiosmtpd, `tests/support/smtp_sink.py`) on a port of its own;
/// every message it accepts lands in a directory as JSON, decoded by Python's mail parser.
pub struct SmtpSink {
    pub port: u16,
    dir: PathBuf,
    child: std::process::Child,
}

impl SmtpSink {
    /// Starts one; with `auth`, it requires AUTH with that user and password.
    pub async fn start(auth: Option<(&str, &str)>) -> SmtpSink {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = std::env::temp_dir().join(format!("sbm-smtp-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_sink.py");
        let mut cmd = std::process::Command::new("python3");
        cmd.arg(script).arg(port.to_string()).arg(&dir);
        if let Some((u, p)) = auth {
            cmd.arg(u).arg(p);
        }
        let mut child = cmd
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .expect("python3 runs (the mail tests need `pip install aiosmtpd`)");
        let stdout = child.stdout.take().unwrap();
        let ready = tokio::task::spawn_blocking(move || {
            use std::io::BufRead;
            let mut line = String::new();
            let _ = std::io::BufReader::new(stdout).read_line(&mut line);
            line
        });
        let line = tokio::time::timeout(std::time::Duration::from_secs(20), ready)
            .await
            .expect("the SMTP sink starts")
            .unwrap();
        assert_eq!(
            line.trim(),
            "ready",
            "the SMTP sink did not start (is aiosmtpd installed?)"
        );
        SmtpSink { port, dir, child }
    }

    /// Every message received so far, in order.
    pub fn messages(&self) -> Vec<Value> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }

    /// Waits until `n` messages arrived (or `wait` passed); returns them all.
    pub async fn wait_for(&self, n: usize, wait: std::time::Duration) -> Vec<Value> {
        let deadline = std::time::Instant::now() + wait;
        loop {
            let got = self.messages();
            if got.len() >= n || std::time::Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
