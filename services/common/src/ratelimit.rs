//! Rate limiting by principal: GCRA in Redis (the script reads Redis' own clock so replica
//! clocks do not matter), with an in-process limiter of the same semantics for the embedded
//! mode and as the fail-open fallback.
//!
//! **Leases.** A busy key does not pay a Redis round trip per request: a replica takes a
//! batch of tokens in one EVALSHA and spends them locally for up to [`LEASE_TTL`]. A key starts
//! at one token per call (exactly the unleased limiter); each lease used up within its TTL
//! doubles the next, up to `lease_max` and never above 1% of the key's limit. Tokens are taken
//! from Redis before they are spent, so **a key is never admitted past its limit**, across any
//! number of replicas. The price is early refusal: while another replica holds unspent tokens
//! of the same key, at most `replicas × min(lease_max, 1% of the limit)` tokens can be out of
//! reach, for at most the TTL. A lease that expires with tokens left hands them back to Redis
//! with the key's next call.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::aio::ConnectionManager;
use tokio::sync::RwLock;

use crate::config::{RateLimitConfig, RedisFailureMode};

/// GCRA over one key, taking up to `want` tokens at once (a lease). Stores the theoretical
/// arrival time (TAT) as seconds. ARGV: limit, period seconds, want, returned (tokens a lease
/// gave back unused, which move the TAT back). Returns {taken, remaining, retry_after,
/// reset_after} (strings for the fractions, since Lua numbers come back truncated); `taken`
/// is 0 when not even one token is there.
const GCRA_LUA: &str = r#"
local limit = tonumber(ARGV[1])
local period = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local returned = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = period / limit
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil then tat = now end
tat = tat - returned * interval
if tat < now then tat = now end
local avail = math.floor((now + period - tat) / interval + 1e-9)
if avail < 1 then
  return {0, 0, tostring(tat + interval - period - now), tostring(tat - now)}
end
local taken = math.min(want, avail)
local new_tat = tat + taken * interval
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.ceil((new_tat - now) * 1000) + 1000)
return {taken, avail - taken, "0", tostring(new_tat - now)}
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

/// How long a replica may spend a lease's tokens before it must ask Redis again.
pub const LEASE_TTL: Duration = Duration::from_secs(1);

/// Tokens of one key held by this replica.
#[derive(Debug, Clone)]
struct Lease {
    /// Tokens left to spend.
    tokens: u64,
    /// Size of the last lease taken (the next doubles it when this one runs out in time).
    size: u64,
    until: Instant,
    /// What Redis said was left after the lease, and when the full quota is back.
    remaining: u64,
    reset_at: u64,
    /// Since when a request has been asking Redis for this key's next lease; others meanwhile
    /// wait for it (for at most the Redis timeout) instead of each calling Redis. A time, not a
    /// flag: a request dropped mid-call must not leave it set.
    refreshing: Option<Instant>,
}

/// The largest lease for a key at `limit` per hour: `lease_max`, at most 1% of the limit,
/// at least one token.
fn lease_cap(lease_max: u64, limit: u64) -> u64 {
    lease_max.min(limit / 100).max(1)
}

/// What to ask Redis for (tokens wanted, tokens handed back) given the key's lease, if any.
fn next_lease(lease: Option<&Lease>, cap: u64, now: Instant) -> (u64, u64) {
    match lease {
        None => (1, 0),
        // Ran out while still valid: the key is busy, take twice as many.
        Some(l) if l.tokens == 0 && l.until > now => ((l.size * 2).min(cap), 0),
        // Expired: whatever is left goes back, and the next lease starts small again.
        Some(l) => ((l.size / 2).clamp(1, cap), l.tokens),
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
    leases: Mutex<HashMap<String, Lease>>,
    /// Wakes requests waiting for a key's next lease (any key's: they look again).
    lease_taken: tokio::sync::Notify,
    /// Redis calls made (leases taken or refused): what leasing saves shows here.
    redis_calls: std::sync::atomic::AtomicU64,
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
            leases: Mutex::default(),
            lease_taken: tokio::sync::Notify::new(),
            redis_calls: Default::default(),
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
        let cap = lease_cap(self.config.lease_max, limit);
        let mut deadline = None;
        let (now, want, returned, leader) = loop {
            let now = Instant::now();
            // Registered before the lock is let go, so a lease taken in between still wakes it.
            let notified = self.lease_taken.notified();
            tokio::pin!(notified);
            {
                let mut leases = self.leases.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if let Some(l) = leases.get_mut(key)
                    && l.tokens > 0
                    && l.until > now
                {
                    l.tokens -= 1;
                    metrics::counter!("rate_limit_decisions_total", "outcome" => "allowed", "backend" => "lease")
                        .increment(1);
                    return Ok(Decision {
                        allowed: true,
                        limit,
                        remaining: l.remaining + l.tokens,
                        retry_after: 0.0,
                        reset_at: l.reset_at,
                    });
                }
                if leases.len() > 100_000 {
                    leases.retain(|_, l| l.until > now || l.refreshing.is_some());
                }
                let l = leases.entry(key.to_string()).or_insert(Lease {
                    tokens: 0,
                    size: 0,
                    until: now,
                    remaining: 0,
                    reset_at: 0,
                    refreshing: None,
                });
                let busy = l
                    .refreshing
                    .is_some_and(|since| now.duration_since(since) < self.config.redis_timeout);
                if !busy {
                    let (want, returned) = next_lease(Some(l), cap, now);
                    // Handed-back tokens leave the lease now, so no other request returns them.
                    l.tokens = 0;
                    l.refreshing = Some(now);
                    break (now, want, returned, true);
                }
                if deadline.is_some_and(|d| now >= d) {
                    // Waited as long as a Redis call may take: ask for this request alone.
                    break (now, 1, 0, false);
                }
                notified.as_mut().enable();
            }
            // Another request is taking this key's next lease: wait for it, then spend from it.
            let d = *deadline.get_or_insert(now + self.config.redis_timeout);
            let _ = tokio::time::timeout_at(d.into(), notified).await;
        };
        let result = self.call_redis(key, limit, want, returned).await;
        if leader {
            let mut leases = self.leases.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(l) = leases.get_mut(key) {
                l.refreshing = None;
                if let Ok((taken, remaining, _, reset_after)) = &result
                    && *taken >= 1
                {
                    // The request itself spends one token.
                    l.tokens = *taken as u64 - 1;
                    l.size = *taken as u64;
                    l.until = now + LEASE_TTL;
                    l.remaining = (*remaining).max(0) as u64;
                    l.reset_at = (unix_now() + reset_after.parse::<f64>().unwrap_or(0.0)).ceil() as u64;
                }
            }
            drop(leases);
            self.lease_taken.notify_waiters();
        }
        match result {
            Ok((taken, remaining, retry, reset_after)) => {
                let allowed = taken >= 1;
                metrics::counter!("rate_limit_decisions_total", "outcome" => if allowed { "allowed" } else { "limited" }, "backend" => "redis").increment(1);
                let reset_at = (unix_now() + reset_after.parse::<f64>().unwrap_or(0.0)).ceil() as u64;
                let remaining = remaining.max(0) as u64;
                if allowed {
                    return Ok(Decision {
                        allowed,
                        limit,
                        remaining: remaining + taken as u64 - 1,
                        retry_after: 0.0,
                        reset_at,
                    });
                }
                Ok(Decision {
                    allowed,
                    limit,
                    remaining: 0,
                    retry_after: retry.parse().unwrap_or(1.0),
                    reset_at,
                })
            }
            Err(e) => self.redis_failed(key, limit, Some(e)),
        }
    }

    /// One EVALSHA: take up to `want` tokens of `key`, handing `returned` back.
    async fn call_redis(
        &self,
        key: &str,
        limit: u64,
        want: u64,
        returned: u64,
    ) -> Result<(i64, i64, String, String), String> {
        let Some(mut conn) = self.redis.read().await.clone() else {
            return Err("not connected".to_string());
        };
        self.redis_calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut inv = self.script.prepare_invoke();
        inv.key(format!("{}{key}", self.prefix))
            .arg(limit)
            .arg(PERIOD_SECS as u64)
            .arg(want)
            .arg(returned);
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

    /// How many calls this limiter has made to Redis.
    pub fn redis_calls(&self) -> u64 {
        self.redis_calls.load(std::sync::atomic::Ordering::Relaxed)
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

    #[test]
    fn leases_start_at_one_double_while_busy_and_shrink_when_idle() {
        let now = Instant::now();
        assert_eq!(lease_cap(64, 1_000), 10, "1% of the limit");
        assert_eq!(lease_cap(64, 50), 1, "small limits are never leased");
        assert_eq!(lease_cap(64, 1_000_000), 64);
        assert_eq!(next_lease(None, 64, now), (1, 0));
        let lease = |tokens, size, until| Lease {
            tokens,
            size,
            until,
            remaining: 0,
            reset_at: 0,
            refreshing: None,
        };
        let later = now + LEASE_TTL;
        assert_eq!(next_lease(Some(&lease(0, 8, later)), 64, now), (16, 0));
        assert_eq!(next_lease(Some(&lease(0, 48, later)), 64, now), (64, 0));
        // Expired with tokens left: they go back, and the next lease is half the last.
        assert_eq!(next_lease(Some(&lease(5, 8, now)), 64, now), (4, 5));
        assert_eq!(next_lease(Some(&lease(0, 1, now)), 64, now), (1, 0));
    }

    fn config(lease_max: u64) -> RateLimitConfig {
        RateLimitConfig {
            enabled: true,
            standard_per_hour: 1,
            premium_per_hour: 1,
            token_per_hour: 1,
            anonymous_per_hour: 1,
            on_redis_failure: RedisFailureMode::Closed,
            redis_timeout: Duration::from_secs(2),
            lease_max,
        }
    }

    /// Two limiters on one Redis prefix: two replicas.
    async fn replicas(lease_max: u64) -> (Arc<RateLimiter>, Arc<RateLimiter>) {
        let url = std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
        let prefix = format!("test:{}:", uuid::Uuid::new_v4());
        let mut out = Vec::new();
        for _ in 0..2 {
            let client = redis::Client::open(url.as_str()).unwrap();
            let conn = ConnectionManager::new(client).await.expect("Redis on TEST_REDIS_URL");
            out.push(Arc::new(RateLimiter::new(config(lease_max), Some(conn), true, &prefix)));
        }
        let b = out.pop().unwrap();
        (out.pop().unwrap(), b)
    }

    /// 16 concurrent callers per replica until both are refused; returns the requests allowed.
    async fn drain(a: &Arc<RateLimiter>, b: &Arc<RateLimiter>, limit: u64) -> u64 {
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..32 {
            let l = if i % 2 == 0 { a.clone() } else { b.clone() };
            tasks.spawn(async move {
                let mut allowed = 0u64;
                let mut refused_in_a_row = 0;
                while refused_in_a_row < 3 {
                    if l.check("busy", limit).await.unwrap().allowed {
                        allowed += 1;
                        refused_in_a_row = 0;
                    } else {
                        refused_in_a_row += 1;
                    }
                }
                allowed
            });
        }
        tasks.join_all().await.into_iter().sum()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn leased_limits_never_admit_past_the_limit_across_replicas() {
        // 6,400 an hour: leases of up to 64 tokens, one token back every 0.5625 s.
        let limit = 6_400;
        let (a, b) = replicas(64).await;
        let started = Instant::now();
        let first = drain(&a, &b, limit).await;
        let refilled = |t: Instant| (t.elapsed().as_secs_f64() / 0.5625).ceil() as u64;
        assert!(
            first <= limit + refilled(started),
            "{first} allowed against a limit of {limit}"
        );
        // Out of reach at most: two replicas' leases of 64.
        assert!(
            first + 2 * 64 >= limit,
            "{first} allowed: more than the leases held back"
        );
        let calls = a.redis_calls() + b.redis_calls();
        assert!(
            calls * 8 < first,
            "{calls} Redis calls for {first} requests: leasing should save most of them"
        );
        // Once the leases expire their tokens go back with the next call: the total reaches the
        // limit (plus what refilled meanwhile), and still never passes it.
        tokio::time::sleep(LEASE_TTL + Duration::from_millis(100)).await;
        let second = drain(&a, &b, limit).await;
        let total = first + second;
        assert!(
            total <= limit + refilled(started),
            "{total} allowed against a limit of {limit}"
        );
        assert!(total >= limit, "{total} allowed: handed-back tokens were lost");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn tokens_left_in_an_expired_lease_go_back() {
        let limit = 6_400;
        let (a, b) = replicas(64).await;
        let started = Instant::now();
        // Replica a serves a short burst, its leases growing to 64: it is left holding tokens.
        for _ in 0..200 {
            assert!(a.check("busy", limit).await.unwrap().allowed);
        }
        let held = a.leases.lock().unwrap()["busy"].tokens;
        assert!(held > 0, "the burst should leave tokens in a's lease");
        // Replica b can take everything else, but not what a holds.
        let by_b = drain(&b, &b, limit).await;
        let refilled = |t: Instant| (t.elapsed().as_secs_f64() / 0.5625).ceil() as u64;
        assert!(200 + by_b + held <= limit + refilled(started), "{by_b} + {held} held");
        // Once a's lease expires, its next call hands the tokens back, and they can be spent.
        tokio::time::sleep(LEASE_TTL + Duration::from_millis(100)).await;
        let rest = drain(&a, &b, limit).await;
        let total = 200 + by_b + rest;
        assert!(total >= limit, "{total} allowed: the {held} tokens a held were lost");
        assert!(total <= limit + refilled(started), "{total} allowed against {limit}");
    }

    #[tokio::test]
    async fn without_leases_every_request_asks_redis() {
        let (a, _) = replicas(1).await;
        for _ in 0..20 {
            assert!(a.check("k", 6_400).await.unwrap().allowed);
        }
        assert_eq!(a.redis_calls(), 20);
        // A small limit is exact even with leasing on.
        let (c, d) = replicas(64).await;
        let allowed = drain(&c, &d, 40).await;
        assert!((40..=41).contains(&allowed), "{allowed} allowed at a limit of 40");
    }
}
