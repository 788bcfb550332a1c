//! Rate limiting by principal: GCRA in Redis (one EVALSHA per request, the script reads Redis'
//! own clock so replica clocks do not matter), with an in-process limiter of the same
//! semantics for the embedded mode and as the fail-open fallback.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use redis::aio::ConnectionManager;
use tokio::sync::RwLock;

use crate::config::{RateLimitConfig, RedisFailureMode};

/// GCRA over one key. Stores the theoretical arrival time (TAT) as seconds.
/// ARGV: limit, period seconds. Returns {allowed, remaining, retry_after, reset_after} (strings
/// for the fractions, since Lua numbers come back truncated).
const GCRA_LUA: &str = r#"
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = period / limit
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - period
if allow_at > now then
  return {0, 0, tostring(allow_at - now), tostring(tat - now)}
end
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.ceil((new_tat - now) * 1000) + 1000)
return {1, math.floor((now - allow_at) / interval), "0", tostring(new_tat - now)}
"#;

/// The outcome for one request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u64,
    pub remaining: u64,
    /// Seconds until a request would be allowed (0 when allowed).
    pub retry_after: f64,
    /// Unix time (seconds) when the full quota is back.
    pub reset_at: u64,
}

/// Why a decision could not be made.
#[derive(Debug)]
pub enum LimitError {
    /// Redis unreachable and the configuration says fail closed.
    Unavailable,
}

const PERIOD_SECS: f64 = 3600.0;

/// Wall-clock seconds: limits follow real time (Redis' own clock on the shared path).
fn unix_now() -> f64 {
    crate::clock::Clock::system_now().timestamp_micros() as f64 / 1e6
}

/// Same algorithm as the script, in memory.
#[derive(Default)]
pub struct LocalLimiter {
    tats: Mutex<HashMap<String, f64>>,
}

impl LocalLimiter {
    pub fn check(&self, key: &str, limit: u64) -> Decision {
        let now = unix_now();
        let interval = PERIOD_SECS / limit as f64;
        let mut map = self.tats.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() > 100_000 {
            map.retain(|_, tat| *tat > now);
        }
        let tat = map.get(key).copied().filter(|t| *t >= now).unwrap_or(now);
        let new_tat = tat + interval;
        let allow_at = new_tat - PERIOD_SECS;
        if allow_at > now {
            return Decision {
                allowed: false,
                limit,
                remaining: 0,
                retry_after: allow_at - now,
                reset_at: (tat).ceil() as u64,
            };
        }
        map.insert(key.to_string(), new_tat);
        Decision {
            allowed: true,
            limit,
            remaining: ((now - allow_at) / interval).floor() as u64,
            retry_after: 0.0,
            reset_at: new_tat.ceil() as u64,
        }
    }
}

/// How often an open breaker pings Redis to see whether it is back.
const BREAKER_PROBE_EVERY: Duration = Duration::from_millis(500);

/// A circuit breaker in front of Redis: after a failure, requests skip Redis (the local
/// limiter decides, or they are refused when failing closed) instead of each waiting for the
/// timeout. While it is open a background task pings Redis every [`BREAKER_PROBE_EVERY`]; the
/// first answer closes it, so no request pays for finding out that Redis is back.
#[derive(Debug, Default)]
struct Breaker {
    open: std::sync::atomic::AtomicBool,
}

impl Breaker {
    fn is_open(&self) -> bool {
        self.open.load(std::sync::atomic::Ordering::Acquire)
    }
    /// Opens it; true when it was closed (the caller then starts the prober).
    fn trip(&self) -> bool {
        !self.open.swap(true, std::sync::atomic::Ordering::AcqRel)
    }
    /// Closes it; true when it was open.
    fn reset(&self) -> bool {
        self.open.swap(false, std::sync::atomic::Ordering::AcqRel)
    }
}

/// The limiter every service shares.
pub struct RateLimiter {
    pub config: RateLimitConfig,
    breaker: Arc<Breaker>,
    redis: Arc<RwLock<Option<ConnectionManager>>>,
    redis_configured: bool,
    prefix: String,
    script: redis::Script,
    local: LocalLimiter,
}

impl RateLimiter {
    pub fn new(
        config: RateLimitConfig,
        redis: Option<ConnectionManager>,
        redis_configured: bool,
        prefix: &str,
    ) -> Self {
        Self {
            config,
            breaker: Arc::default(),
            redis: Arc::new(RwLock::new(redis)),
            redis_configured,
            prefix: format!("{prefix}rl:"),
            script: redis::Script::new(GCRA_LUA),
            local: LocalLimiter::default(),
        }
    }

    /// Installs the Redis connection once it could be made (start-up retries in the background).
    /// Whether a Redis connection is installed (the reconnect job stops trying once it is).
    pub async fn has_redis(&self) -> bool {
        self.redis.read().await.is_some()
    }

    pub async fn set_redis(&self, conn: ConnectionManager) {
        *self.redis.write().await = Some(conn);
    }

    /// One decision for `key` at `limit` requests per hour.
    pub async fn check(&self, key: &str, limit: u64) -> Result<Decision, LimitError> {
        let limit = limit.max(1);
        if !self.redis_configured {
            return Ok(self.local.check(key, limit));
        }
        if self.breaker.is_open() {
            return self.redis_failed(key, limit, None);
        }
        let conn = self.redis.read().await.clone();
        let result = match conn {
            None => Err("not connected".to_string()),
            Some(mut conn) => {
                let mut inv = self.script.prepare_invoke();
                inv.key(format!("{}{key}", self.prefix))
                    .arg(limit)
                    .arg(PERIOD_SECS as u64);
                match tokio::time::timeout(
                    self.config.redis_timeout,
                    inv.invoke_async::<(i64, i64, String, String)>(&mut conn),
                )
                .await
                {
                    Ok(Ok(v)) => Ok(v),
                    Ok(Err(e)) => Err(e.to_string()),
                    Err(_) => Err("timed out".to_string()),
                }
            }
        };
        match result {
            Ok((allowed, remaining, retry, reset_after)) => {
                metrics::counter!("rate_limit_decisions_total", "outcome" => if allowed == 1 { "allowed" } else { "limited" }, "backend" => "redis").increment(1);
                let now = unix_now();
                Ok(Decision {
                    allowed: allowed == 1,
                    limit,
                    remaining: remaining.max(0) as u64,
                    retry_after: retry.parse().unwrap_or(1.0),
                    reset_at: (now + reset_after.parse::<f64>().unwrap_or(0.0)).ceil() as u64,
                })
            }
            Err(e) => self.redis_failed(key, limit, Some(e)),
        }
    }

    /// Redis failed (`Some(error)`) or is being skipped while the breaker is open (`None`):
    /// the local limiter decides, or the request is refused when failing closed.
    fn redis_failed(&self, key: &str, limit: u64, error: Option<String>) -> Result<Decision, LimitError> {
        if let Some(e) = error {
            metrics::counter!("rate_limit_redis_errors_total").increment(1);
            if self.breaker.trip() {
                metrics::gauge!("rate_limit_redis_breaker_open").set(1.0);
                tracing::warn!(error = %e, mode = ?self.config.on_redis_failure,
                    "rate limiter cannot reach Redis; skipping it until it answers a ping");
                self.probe_until_redis_answers();
            }
        }
        match self.config.on_redis_failure {
            RedisFailureMode::Open => {
                let d = self.local.check(key, limit);
                metrics::counter!("rate_limit_decisions_total", "outcome" => if d.allowed { "allowed" } else { "limited" }, "backend" => "local").increment(1);
                Ok(d)
            }
            RedisFailureMode::Closed => Err(LimitError::Unavailable),
        }
    }

    /// Pings Redis in the background until it answers, then closes the breaker (or until the
    /// limiter is gone).
    fn probe_until_redis_answers(&self) {
        let (breaker, redis, timeout) = (
            self.breaker.clone(),
            Arc::downgrade(&self.redis),
            self.config.redis_timeout,
        );
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(BREAKER_PROBE_EVERY).await;
                let Some(redis) = redis.upgrade() else { return };
                if ping(&redis, timeout).await {
                    breaker.reset();
                    metrics::gauge!("rate_limit_redis_breaker_open").set(0.0);
                    tracing::info!("Redis answers again; distributed rate limiting resumed");
                    return;
                }
            }
        });
    }

    /// Whether Redis answers (for `/readyz`).
    pub async fn redis_ok(&self) -> Option<bool> {
        if !self.redis_configured {
            return None;
        }
        Some(ping(&self.redis, Duration::from_millis(500)).await)
    }
}

/// One PING within `timeout`; false when there is no connection yet.
async fn ping(redis: &RwLock<Option<ConnectionManager>>, timeout: Duration) -> bool {
    let conn = redis.read().await.clone();
    match conn {
        None => false,
        Some(mut c) => matches!(
            tokio::time::timeout(timeout, redis::cmd("PING").query_async::<String>(&mut c)).await,
            Ok(Ok(_))
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_breaker_trips_once_and_resets_once() {
        let b = Breaker::default();
        assert!(!b.is_open());
        assert!(b.trip(), "the first failure opens it (and starts the prober)");
        assert!(!b.trip(), "further failures find it open");
        assert!(b.is_open());
        assert!(b.reset(), "the prober closes it");
        assert!(!b.reset());
        assert!(!b.is_open());
    }

    #[test]
    fn local_gcra_allows_the_quota_then_limits() {
        let l = LocalLimiter::default();
        for i in 0..5 {
            let d = l.check("k", 5);
            assert!(d.allowed, "request {i}");
            assert_eq!(d.remaining, 4 - i);
        }
        let d = l.check("k", 5);
        assert!(!d.allowed);
        assert!(d.retry_after > 0.0 && d.retry_after <= 720.0 + 0.01);
        assert!(l.check("other", 5).allowed);
    }
}
