//! The `sbm-crm` binary itself: configuration errors, migrations, OpenAPI output.

use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sbm-crm"));
    c.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default());
    c
}

#[test]
fn a_bad_setting_is_named_and_exits_non_zero() {
    let out = bin()
        .args(["serve"])
        .env("SBM_LISTEN", "not-an-address")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("SBM_LISTEN"), "{err}");
    let out = bin().args(["serve", "--services", "auth,loyalty"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("loyalty"));
}

/// `migrate status`, `migrate --check` and `migrate` against one database, from empty to up to
/// date; `env` names the database.
fn migrate_check_and_status(env: &[(&str, &str)]) {
    let run = |args: &[&str]| {
        let out = bin().args(args).envs(env.iter().copied()).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), stdout, stderr)
    };
    let (code, out, err) = run(&["migrate", "status"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let all = sbm_migrations::names().len();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), all, "{out}");
    assert!(lines.iter().all(|l| l.starts_with("pending ")), "{out}");
    assert!(
        lines[0].ends_with("m20261127_000001_common_outbox_idempotency"),
        "{out}"
    );

    let (code, out, _) = run(&["migrate", "--check"]);
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("pending: m2026")).count(),
        all,
        "{out}"
    );

    let (code, out, err) = run(&["migrate"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains(&format!("applied {all} migration(s)")), "{out}");

    let (code, out, _) = run(&["migrate", "--check"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("up to date"), "{out}");

    let (code, out, err) = run(&["migrate", "status"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), all, "{out}");
    for l in &lines {
        let cols: Vec<&str> = l.split_whitespace().collect();
        assert_eq!(cols.len(), 3, "{l}");
        assert_eq!(cols[0], "applied", "{l}");
        assert!(
            chrono::DateTime::parse_from_rfc3339(cols[1]).is_ok(),
            "applied time in {l}"
        );
    }

    let (code, _, err) = run(&["migrate", "--check", "status"]);
    assert_eq!(code, Some(2), "--check and status do not combine: {err}");
}

#[test]
fn migrate_check_and_status_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("sbm-cli-{}", uuid::Uuid::new_v4().simple()));
    migrate_check_and_status(&[("SBM_DATA_DIR", dir.to_str().unwrap())]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn migrate_check_and_status_on_postgres() {
    let db = sbm_testkit::TestDb::create().await;
    let dir = std::env::temp_dir().join(format!("sbm-cli-{}", uuid::Uuid::new_v4().simple()));
    tokio::task::spawn_blocking({
        let url = db.url.clone();
        let dir = dir.clone();
        move || migrate_check_and_status(&[("SBM_DATABASE_URL", &url), ("SBM_DATA_DIR", dir.to_str().unwrap())])
    })
    .await
    .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn openapi_prints_the_auth_document() {
    let out = bin().args(["openapi", "auth"]).output().unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/members/wechat-login"]["post"].is_object());
    let out = bin().args(["openapi", "nope"]).output().unwrap();
    assert!(!out.status.success());
}

/// OpenAPI wants operation ids unique; the SDKs name their functions after them.
#[test]
fn operation_ids_are_unique_across_the_five_documents() {
    let mut seen = std::collections::HashMap::new();
    for service in ["auth", "point", "cluster", "reward", "notification"] {
        let out = bin().args(["openapi", service]).output().unwrap();
        assert!(out.status.success());
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let id = op["operationId"].as_str().unwrap().to_string();
                let at = format!("{service} {method} {path}");
                if let Some(first) = seen.insert(id.clone(), at.clone()) {
                    panic!("operationId {id} is used by {first} and {at}");
                }
            }
        }
    }
    assert!(seen.contains_key("transactionsEarn"), "{:?}", seen.keys());
    assert!(seen.contains_key("redemptionsMarkUsed"));
}

#[test]
fn create_admin_reads_the_password_from_stdin() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("sbm-cli-{}", uuid::Uuid::new_v4().simple()));
    let mut child = bin()
        .args(["create-admin", "--email", "root@test.local"])
        .env("SBM_DATA_DIR", &dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-long-admin-password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `sbm-crm serve` on a free port, on the embedded default in `dir`, with the first admin
/// (`admin@example.com`); killed and reaped when dropped. Returns once `/readyz` answers.
async fn serve(dir: &std::path::Path, extra: &[(&str, &str)]) -> (Reaped, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = bin();
    cmd.args(["serve"])
        .env("SBM_LISTEN", format!("127.0.0.1:{port}"))
        .env("SBM_DATA_DIR", dir)
        .env("SBM_BOOTSTRAP_ADMIN_EMAIL", "admin@example.com")
        .env("SBM_BOOTSTRAP_ADMIN_PASSWORD", "change-me-now")
        .env("SBM_METRICS_LISTEN", "127.0.0.1:0")
        .env("SBM_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let child = Reaped(cmd.spawn().unwrap());
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200)
        {
            return (child, base);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the server did not become ready");
}

/// The first admin's access token.
async fn admin_token(http: &reqwest::Client, base: &str) -> reqwest::Result<String> {
    let login: serde_json::Value = http
        .post(format!("{base}/auth/api/login"))
        .json(&serde_json::json!({"email": "admin@example.com", "password": "change-me-now"}))
        .send()
        .await?
        .json()
        .await?;
    Ok(login["data"]["accessToken"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn the_binary_serves_on_the_embedded_default() {
    let dir = std::env::temp_dir().join(format!("sbm-cli-{}", uuid::Uuid::new_v4().simple()));
    let (child, base) = serve(&dir, &[]).await;
    let http = reqwest::Client::new();
    let result = async {
        let token = admin_token(&http, &base).await?;
        let key: serde_json::Value = http
            .post(format!("{base}/auth/api/api-keys"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"name": "POS", "scopes": ["members:write", "points:write"], "plan": "standard"}))
            .send()
            .await?
            .json()
            .await?;
        let key = key["data"]["key"].as_str().unwrap().to_string();
        let res = http
            .post(format!("{base}/auth/api/members"))
            .header("x-api-key", &key)
            .json(&serde_json::json!({"firstName": "Ann", "lastName": "Lee", "phone": "0812345678"}))
            .send()
            .await?;
        assert_eq!(res.status(), 201);
        assert_eq!(res.headers()["x-ratelimit-limit"], "1000");
        let member: serde_json::Value = res.json().await?;
        let id = member["data"]["id"].as_str().unwrap();
        let res = http
            .post(format!("{base}/point/api/transactions/earn"))
            .header("x-api-key", &key)
            .json(&serde_json::json!({"memberId": id, "points": 10}))
            .send()
            .await?;
        assert_eq!(res.status(), 201);
        anyhow::Ok(())
    }
    .await;
    drop(child);
    assert!(
        dir.join("sbm-crm.db").exists(),
        "the embedded database lives in the data directory"
    );
    let _ = std::fs::remove_dir_all(&dir);
    result.unwrap();
}

/// SIGTERM with a stream open: the stream ends at once (clients reconnect to another
/// replica), and the process exits after its drain instead of waiting on the stream. On the
/// embedded database the stream runs on in-process wake-ups and polling.
#[tokio::test]
async fn sigterm_ends_open_streams_and_the_process_exits() {
    use std::time::{Duration, Instant};
    let dir = std::env::temp_dir().join(format!("sbm-cli-{}", uuid::Uuid::new_v4().simple()));
    let (mut child, base) = serve(
        &dir,
        &[("SBM_SHUTDOWN_DRAIN_SECONDS", "1"), ("SBM_OUTBOX_POLL_MS", "50")],
    )
    .await;
    let http = reqwest::Client::new();
    let result = async {
        let token = admin_token(&http, &base).await?;
        let member: serde_json::Value = http
            .post(format!("{base}/auth/api/members"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"firstName": "Ann", "lastName": "Lee", "phone": "0812345678"}))
            .send()
            .await?
            .json()
            .await?;
        let id = member["data"]["id"].as_str().unwrap().to_string();
        let mut stream =
            crate::helpers::SseClient::open(&format!("{base}/notification/api/sse?access_token={token}"), None, &[])
                .await;
        assert_eq!(stream.status, 200, "{}", stream.error);
        let res = http
            .post(format!("{base}/point/api/transactions/earn"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"memberId": id, "points": 10}))
            .send()
            .await?;
        assert_eq!(res.status(), 201);
        let earned = stream.next_event(Duration::from_secs(5)).await.expect("the earn, live");
        assert_eq!(earned.event, "points.earned");

        let sent = Command::new("kill")
            .args(["-TERM", &child.0.id().to_string()])
            .status()?;
        assert!(sent.success());
        let at = Instant::now();
        loop {
            match stream.next_item(Duration::from_secs(5)).await {
                Some(crate::helpers::SseItem::End) => break,
                Some(_) => continue,
                None => panic!("the stream stayed open after SIGTERM"),
            }
        }
        assert!(
            at.elapsed() < Duration::from_secs(1),
            "stream ended after {:?}",
            at.elapsed()
        );
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(s) = child.0.try_wait()? {
                break s;
            }
            assert!(Instant::now() < deadline, "the process did not exit after SIGTERM");
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert!(status.success(), "{status:?}");
        anyhow::Ok(())
    }
    .await;
    drop(child);
    let _ = std::fs::remove_dir_all(&dir);
    result.unwrap();
}

/// A child process killed and reaped when dropped, a failed assertion included.
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
