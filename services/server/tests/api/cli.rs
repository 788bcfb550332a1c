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

#[test]
fn migrate_check_reports_pending_then_clean() {
    let dir = std::env::temp_dir().join(format!("sbm-cli-{}", uuid::Uuid::new_v4().simple()));
    let run = |args: &[&str]| bin().args(args).env("SBM_DATA_DIR", &dir).output().unwrap();
    let out = run(&["migrate", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("pending"));
    let out = run(&["migrate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["migrate", "--check"]);
    assert_eq!(out.status.code(), Some(0));
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
