//! Configuration from `SBM_*` environment variables (and optionally a `KEY=VALUE` file named by
//! `SBM_CONFIG_FILE`; the environment wins). Read once at start-up, validated, typed.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Every service this platform knows, in the order `serve` lists them.
pub const ALL_SERVICES: [&str; 5] = ["auth", "point", "reward", "cluster", "notification"];

/// A value that must never reach a log.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("\"***\"")
    }
}

/// A setting that failed validation; the message names the variable.
#[derive(Debug, thiserror::Error)]
#[error("invalid setting {setting}: {message}")]
pub struct ConfigError {
    pub setting: String,
    pub message: String,
}

/// What to do with requests when Redis cannot be reached for rate limiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedisFailureMode {
    /// Fall back to the in-process limiter.
    Open,
    /// Refuse with 503.
    Closed,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Rate-limit settings. Plans follow the seed: Standard 1,000/h, Premium 10,000/h,
/// Enterprise per key.
#[derive(Debug, Clone)]
pub struct RateLimitConfig {
    pub enabled: bool,
    pub standard_per_hour: u64,
    pub premium_per_hour: u64,
    /// Default for staff and member tokens.
    pub token_per_hour: u64,
    /// Per client IP for unauthenticated calls.
    pub anonymous_per_hour: u64,
    pub on_redis_failure: RedisFailureMode,
    pub redis_timeout: Duration,
    /// The most tokens a replica leases per key in one Redis call (1: one call per request).
    /// A lease is also never above 1% of the key's limit.
    pub lease_max: u64,
}

/// The whole configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database_url: Option<Secret>,
    pub db_max_connections: u32,
    /// Apply pending migrations at start (default: only on the embedded SQLite database).
    pub migrate_on_start: bool,
    pub redis_url: Option<Secret>,
    pub redis_prefix: String,
    pub data_dir: PathBuf,
    pub services: Vec<String>,
    /// Whether the services were named explicitly (then a name not built yet is an error).
    pub services_explicit: bool,
    pub bootstrap_admin_email: Option<String>,
    pub bootstrap_admin_password: Option<Secret>,
    pub jwt_signing_key_file: Option<PathBuf>,
    pub jwt_verify_key_files: Vec<PathBuf>,
    pub jwt_issuer: String,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub member_qr_ttl: Duration,
    pub cookie_secure: bool,
    pub login_max_failures: u32,
    pub login_lockout: Duration,
    pub wechat_base_url: String,
    pub wechat_app_id: String,
    pub wechat_app_secret: Secret,
    pub rate_limit: RateLimitConfig,
    pub request_timeout: Duration,
    pub max_body_bytes: usize,
    /// Cap for file uploads (receipt images).
    pub max_upload_bytes: usize,
    /// How often the point-expiry job runs.
    pub point_expiry_interval: Duration,
    /// How often the tier evaluation job runs (downgrades, expired overrides, warnings).
    pub tier_evaluation_interval: Duration,
    /// How many days before lots expire members are told (`points.expiring`; 0: never).
    pub points_expiring_days: u32,
    /// How often claimed redemptions past their voucher life are expired.
    pub redemption_expiry_interval: Duration,
    /// How many days before an evaluation that would demote `tier.downgrade_warning` goes out.
    pub tier_warning_days: u32,
    pub log_format: LogFormat,
    pub outbox_poll_interval: Duration,
    /// Peers whose `X-Forwarded-For` is believed (the Ingress controller, a load balancer).
    /// Empty: the TCP peer is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Origins whose pages may call the API from a browser (CORS); none by default.
    pub cors_allowed_origins: Vec<axum::http::HeaderValue>,
    /// How long a session check is cached: the bound on how long an access token keeps working
    /// on another replica after logout, demotion, deactivation or member deletion.
    pub session_check: Duration,
    /// A connection must send a request's headers within this, or it is closed.
    pub header_read_timeout: Duration,
    /// After SIGTERM: how long `/readyz` answers 503 while requests are still served, so load
    /// balancers stop sending new ones before the listener closes.
    pub shutdown_drain: Duration,
    /// After the drain: how long requests in flight may take before connections are cut.
    pub shutdown_grace: Duration,
    /// Where `/metrics` is served (not on the public port). `None` when set to `off`.
    pub metrics_listen: Option<SocketAddr>,
    /// The real-time stream (`/notification/api/sse`): a heartbeat comment this often.
    pub sse_heartbeat: Duration,
    /// Open streams one principal may hold on one replica.
    pub sse_max_per_principal: usize,
    /// How long stream events are kept for `Last-Event-ID` replay.
    pub sse_retention: Duration,
    /// How often a replica reads new stream events without a wake-up (the fallback when
    /// Redis is absent or a wake-up was lost).
    pub sse_poll_interval: Duration,
    /// How long a staff password reset link works.
    pub password_reset_ttl: Duration,
    /// The page of the back office that takes `?token=`: the link a reset mail carries.
    pub password_reset_url: String,
    /// How often queued mail is looked at.
    pub mail_poll_interval: Duration,
    /// Attempts before a delivery is `failed` (retries back off exponentially from
    /// `mail_retry_base`).
    pub mail_max_attempts: u32,
    pub mail_retry_base: Duration,
}

struct Source {
    vars: HashMap<String, String>,
}

impl Source {
    fn get(&self, key: &str) -> Option<String> {
        self.vars
            .get(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }
    fn err(key: &str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            setting: key.to_string(),
            message: message.into(),
        }
    }
    fn parse<T: std::str::FromStr>(&self, key: &str, default: T, what: &str) -> Result<T, ConfigError> {
        match self.get(key) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| Self::err(key, format!("expected {what}, got `{v}`"))),
        }
    }
    fn bool(&self, key: &str, default: bool) -> Result<bool, ConfigError> {
        match self.get(key).map(|v| v.to_ascii_lowercase()) {
            None => Ok(default),
            Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => Ok(true),
            Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => Ok(false),
            Some(v) => Err(Self::err(key, format!("expected true or false, got `{v}`"))),
        }
    }
    fn secs(&self, key: &str, default: u64) -> Result<Duration, ConfigError> {
        let n: u64 = self.parse(key, default, "a number of seconds")?;
        if n == 0 {
            return Err(Self::err(key, "must be greater than 0"));
        }
        Ok(Duration::from_secs(n))
    }
    /// Seconds where 0 is allowed (turns the wait off).
    fn secs_or_zero(&self, key: &str, default: u64) -> Result<Duration, ConfigError> {
        Ok(Duration::from_secs(self.parse(key, default, "a number of seconds")?))
    }
    fn positive(&self, key: &str, default: u64) -> Result<u64, ConfigError> {
        let n: u64 = self.parse(key, default, "a positive integer")?;
        if n == 0 {
            return Err(Self::err(key, "must be greater than 0"));
        }
        Ok(n)
    }
}

impl Config {
    /// Reads the process environment (and `SBM_CONFIG_FILE` when set).
    pub fn from_env() -> Result<Self, ConfigError> {
        let mut vars: HashMap<String, String> = HashMap::new();
        if let Ok(path) = std::env::var("SBM_CONFIG_FILE") {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Source::err("SBM_CONFIG_FILE", format!("cannot read `{path}`: {e}")))?;
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let (k, v) = line
                    .split_once('=')
                    .ok_or_else(|| Source::err("SBM_CONFIG_FILE", format!("line {} is not KEY=VALUE", n + 1)))?;
                vars.insert(k.trim().to_string(), v.trim().trim_matches('"').to_string());
            }
        }
        vars.extend(std::env::vars().filter(|(k, _)| k.starts_with("SBM_")));
        Self::from_map(vars)
    }

    /// Builds the configuration from explicit key/value pairs (tests use this).
    pub fn from_map(vars: HashMap<String, String>) -> Result<Self, ConfigError> {
        let s = Source { vars };
        let listen = s.parse("SBM_LISTEN", "0.0.0.0:8080".parse().expect("literal"), "host:port")?;
        let services = match s.get("SBM_SERVICES") {
            None => ALL_SERVICES.iter().map(|s| s.to_string()).collect(),
            Some(v) => parse_services(&v).map_err(|m| Source::err("SBM_SERVICES", m))?,
        };
        let database_url = s.get("SBM_DATABASE_URL").map(Secret);
        if let Some(url) = &database_url
            && !(url.0.starts_with("postgres://") || url.0.starts_with("postgresql://") || url.0.starts_with("sqlite:"))
        {
            return Err(Source::err(
                "SBM_DATABASE_URL",
                "must start with postgres://, postgresql:// or sqlite:",
            ));
        }
        let redis_url = s.get("SBM_REDIS_URL").map(Secret);
        if let Some(url) = &redis_url
            && !(url.0.starts_with("redis://") || url.0.starts_with("rediss://"))
        {
            return Err(Source::err("SBM_REDIS_URL", "must start with redis:// or rediss://"));
        }
        let email = s.get("SBM_BOOTSTRAP_ADMIN_EMAIL");
        let password = s.get("SBM_BOOTSTRAP_ADMIN_PASSWORD").map(Secret);
        if email.is_some() != password.is_some() {
            return Err(Source::err(
                "SBM_BOOTSTRAP_ADMIN_PASSWORD",
                "SBM_BOOTSTRAP_ADMIN_EMAIL and SBM_BOOTSTRAP_ADMIN_PASSWORD go together",
            ));
        }
        if let Some(p) = &password
            && p.0.chars().count() < 10
        {
            return Err(Source::err(
                "SBM_BOOTSTRAP_ADMIN_PASSWORD",
                "must be at least 10 characters",
            ));
        }
        let on_redis_failure = match s.get("SBM_RATE_LIMIT_ON_REDIS_FAILURE").as_deref() {
            None | Some("open") => RedisFailureMode::Open,
            Some("closed") => RedisFailureMode::Closed,
            Some(v) => {
                return Err(Source::err(
                    "SBM_RATE_LIMIT_ON_REDIS_FAILURE",
                    format!("expected open or closed, got `{v}`"),
                ));
            }
        };
        let log_format = match s.get("SBM_LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(v) => {
                return Err(Source::err(
                    "SBM_LOG_FORMAT",
                    format!("expected pretty or json, got `{v}`"),
                ));
            }
        };
        let migrate_on_start = s.bool(
            "SBM_MIGRATE_ON_START",
            database_url.as_ref().is_none_or(|u| u.0.starts_with("sqlite:")),
        )?;
        Ok(Config {
            listen,
            database_url,
            migrate_on_start,
            db_max_connections: s.positive("SBM_DB_MAX_CONNECTIONS", 16)? as u32,
            redis_url,
            redis_prefix: s.get("SBM_REDIS_PREFIX").unwrap_or_else(|| "sbm:".into()),
            data_dir: s
                .get("SBM_DATA_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("data")),
            services_explicit: s.get("SBM_SERVICES").is_some(),
            services,
            bootstrap_admin_email: email,
            bootstrap_admin_password: password,
            jwt_signing_key_file: s.get("SBM_JWT_SIGNING_KEY_FILE").map(PathBuf::from),
            jwt_verify_key_files: s
                .get("SBM_JWT_VERIFY_KEY_FILES")
                .map(|v| {
                    v.split(',')
                        .map(|p| PathBuf::from(p.trim()))
                        .filter(|p| !p.as_os_str().is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            jwt_issuer: s.get("SBM_JWT_ISSUER").unwrap_or_else(|| "sbm-crm".into()),
            access_token_ttl: s.secs("SBM_ACCESS_TOKEN_TTL_SECONDS", 900)?,
            refresh_token_ttl: s.secs("SBM_REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600)?,
            member_qr_ttl: s.secs("SBM_MEMBER_QR_TTL_SECONDS", 120)?,
            cookie_secure: s.bool("SBM_COOKIE_SECURE", true)?,
            login_max_failures: s.positive("SBM_LOGIN_MAX_FAILURES", 5)? as u32,
            login_lockout: s.secs("SBM_LOGIN_LOCKOUT_SECONDS", 900)?,
            wechat_base_url: s
                .get("SBM_WECHAT_BASE_URL")
                .unwrap_or_else(|| "https://api.weixin.qq.com".into())
                .trim_end_matches('/')
                .to_string(),
            wechat_app_id: s.get("SBM_WECHAT_APP_ID").unwrap_or_default(),
            wechat_app_secret: Secret(s.get("SBM_WECHAT_APP_SECRET").unwrap_or_default()),
            rate_limit: RateLimitConfig {
                enabled: s.bool("SBM_RATE_LIMIT_ENABLED", true)?,
                standard_per_hour: s.positive("SBM_RATE_LIMIT_STANDARD_PER_HOUR", 1_000)?,
                premium_per_hour: s.positive("SBM_RATE_LIMIT_PREMIUM_PER_HOUR", 10_000)?,
                token_per_hour: s.positive("SBM_RATE_LIMIT_TOKEN_PER_HOUR", 1_000)?,
                anonymous_per_hour: s.positive("SBM_RATE_LIMIT_ANONYMOUS_PER_HOUR", 1_000)?,
                on_redis_failure,
                redis_timeout: Duration::from_millis(s.positive("SBM_RATE_LIMIT_REDIS_TIMEOUT_MS", 250)?),
                lease_max: s.positive("SBM_RATE_LIMIT_LEASE_MAX", 64)?,
            },
            request_timeout: s.secs("SBM_REQUEST_TIMEOUT_SECONDS", 30)?,
            max_body_bytes: s.positive("SBM_MAX_BODY_BYTES", 1024 * 1024)? as usize,
            max_upload_bytes: s.positive("SBM_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)? as usize,
            point_expiry_interval: s.secs("SBM_POINT_EXPIRY_INTERVAL_SECONDS", 60)?,
            tier_evaluation_interval: s.secs("SBM_TIER_EVALUATION_INTERVAL_SECONDS", 300)?,
            redemption_expiry_interval: s.secs("SBM_REDEMPTION_EXPIRY_INTERVAL_SECONDS", 60)?,
            points_expiring_days: u32::try_from(s.parse("SBM_POINTS_EXPIRING_DAYS", 7u64, "a number of days")?)
                .ok()
                .filter(|d| *d <= 365)
                .ok_or_else(|| Source::err("SBM_POINTS_EXPIRING_DAYS", "must be at most 365"))?,
            tier_warning_days: u32::try_from(s.parse("SBM_TIER_DOWNGRADE_WARNING_DAYS", 14u64, "a number of days")?)
                .ok()
                .filter(|d| *d <= 365)
                .ok_or_else(|| Source::err("SBM_TIER_DOWNGRADE_WARNING_DAYS", "must be at most 365"))?,
            log_format,
            outbox_poll_interval: Duration::from_millis(s.positive("SBM_OUTBOX_POLL_MS", 500)?),
            trusted_proxies: parse_cidrs(&s.get("SBM_TRUSTED_PROXIES").unwrap_or_default())
                .map_err(|m| Source::err("SBM_TRUSTED_PROXIES", m))?,
            cors_allowed_origins: parse_origins(&s.get("SBM_CORS_ALLOWED_ORIGINS").unwrap_or_default())
                .map_err(|m| Source::err("SBM_CORS_ALLOWED_ORIGINS", m))?,
            session_check: s.secs("SBM_SESSION_CHECK_SECONDS", 5)?,
            header_read_timeout: s.secs("SBM_HEADER_READ_TIMEOUT_SECONDS", 10)?,
            shutdown_drain: s.secs_or_zero("SBM_SHUTDOWN_DRAIN_SECONDS", 5)?,
            shutdown_grace: s.secs("SBM_SHUTDOWN_GRACE_SECONDS", 20)?,
            sse_heartbeat: s.secs("SBM_SSE_HEARTBEAT_SECONDS", 15)?,
            sse_max_per_principal: s.positive("SBM_SSE_MAX_CONNECTIONS_PER_PRINCIPAL", 5)? as usize,
            sse_retention: s.secs("SBM_SSE_RETENTION_SECONDS", 24 * 3600)?,
            sse_poll_interval: Duration::from_millis(s.positive("SBM_SSE_POLL_MS", 1000)?),
            password_reset_ttl: s.secs("SBM_PASSWORD_RESET_TTL_SECONDS", 1800)?,
            password_reset_url: s
                .get("SBM_PASSWORD_RESET_URL")
                .unwrap_or_else(|| "http://localhost:8080/reset-password".into()),
            mail_poll_interval: Duration::from_millis(s.positive("SBM_MAIL_POLL_MS", 1000)?),
            mail_max_attempts: s.positive("SBM_MAIL_MAX_ATTEMPTS", 5)? as u32,
            mail_retry_base: s.secs("SBM_MAIL_RETRY_BASE_SECONDS", 30)?,
            metrics_listen: match s.get("SBM_METRICS_LISTEN").as_deref() {
                Some("off") => None,
                _ => Some(s.parse(
                    "SBM_METRICS_LISTEN",
                    "127.0.0.1:9090".parse().expect("literal"),
                    "host:port or off",
                )?),
            },
        })
    }

    /// Whether a service runs in this process.
    pub fn runs(&self, service: &str) -> bool {
        self.services.iter().any(|s| s == service)
    }
}

/// Parses `10.0.0.0/8, 192.168.1.7`: CIDRs, or single addresses.
pub fn parse_cidrs(v: &str) -> Result<Vec<ipnet::IpNet>, String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("`{item}` is not an IP address or CIDR"))
        })
        .collect()
}

/// Parses `https://app.example.com,https://m.example.com`: exact origins (scheme, host and
/// port, no path); `*` is refused, since any page could then act with a member's token.
pub fn parse_origins(v: &str) -> Result<Vec<axum::http::HeaderValue>, String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            let bad =
                || format!("`{item}` is not an origin like https://app.example.com (scheme, host, port; no path)");
            let origin = item.strip_suffix('/').unwrap_or(item);
            let rest = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"))
                .ok_or_else(bad)?;
            let (host, port) = rest.rsplit_once(':').unwrap_or((rest, ""));
            let host_ok = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
            if !host_ok || !port.chars().all(|c| c.is_ascii_digit()) || (rest.contains(':') && port.is_empty()) {
                return Err(bad());
            }
            axum::http::HeaderValue::from_str(&origin.to_ascii_lowercase()).map_err(|_| bad())
        })
        .collect()
}

/// Parses `auth,point`: known names only, no duplicates, not empty.
pub fn parse_services(v: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for name in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !ALL_SERVICES.contains(&name) {
            return Err(format!("unknown service `{name}`; known: {}", ALL_SERVICES.join(", ")));
        }
        if !out.iter().any(|s| s == name) {
            out.push(name.to_string());
        }
    }
    if out.is_empty() {
        return Err("names no service".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_map(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect())
    }

    #[test]
    fn defaults() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.listen.to_string(), "0.0.0.0:8080");
        assert_eq!(c.services.len(), 5);
        assert!(c.database_url.is_none());
        assert_eq!(c.rate_limit.standard_per_hour, 1000);
    }

    #[test]
    fn cors_origins_are_exact_origins() {
        assert!(cfg(&[]).unwrap().cors_allowed_origins.is_empty());
        let c = cfg(&[(
            "SBM_CORS_ALLOWED_ORIGINS",
            "https://App.example.com, http://localhost:5173/",
        )])
        .unwrap();
        assert_eq!(
            c.cors_allowed_origins,
            ["https://app.example.com", "http://localhost:5173"]
        );
        for bad in [
            "*",
            "app.example.com",
            "https://app.example.com/portal",
            "ftp://x",
            "https://",
            "https://a:b",
        ] {
            let e = cfg(&[("SBM_CORS_ALLOWED_ORIGINS", bad)]).unwrap_err().to_string();
            assert!(e.contains("SBM_CORS_ALLOWED_ORIGINS"), "{bad}: {e}");
        }
    }

    #[test]
    fn errors_name_the_setting() {
        assert_eq!(cfg(&[("SBM_LISTEN", "nope")]).unwrap_err().setting, "SBM_LISTEN");
        assert_eq!(
            cfg(&[("SBM_SERVICES", "auth,bogus")]).unwrap_err().setting,
            "SBM_SERVICES"
        );
        assert_eq!(
            cfg(&[("SBM_DATABASE_URL", "mysql://x")]).unwrap_err().setting,
            "SBM_DATABASE_URL"
        );
        assert_eq!(
            cfg(&[("SBM_BOOTSTRAP_ADMIN_EMAIL", "a@b.co")]).unwrap_err().setting,
            "SBM_BOOTSTRAP_ADMIN_PASSWORD"
        );
        assert_eq!(
            cfg(&[("SBM_RATE_LIMIT_ON_REDIS_FAILURE", "maybe")])
                .unwrap_err()
                .setting,
            "SBM_RATE_LIMIT_ON_REDIS_FAILURE"
        );
    }

    #[test]
    fn secrets_do_not_print() {
        let c = cfg(&[("SBM_DATABASE_URL", "postgres://u:hunter2@h/db")]).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
