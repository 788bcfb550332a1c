//! `sbm-bench`: logs in, prepares members with points, then for each scenario runs
//! `--concurrency` clients for `--duration` seconds against the real server and prints one
//! `RESULT` line per scenario (throughput and latency percentiles of successful requests).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use rand::Rng;
use serde_json::{Value, json};

#[derive(Parser, Clone)]
#[command(about = "Load generator for SBM CRM")]
struct Args {
    /// Server base URL.
    #[arg(long, default_value = "http://127.0.0.1:18090")]
    base: String,
    #[arg(long, default_value = "admin@bench.local")]
    email: String,
    #[arg(long, env = "SBM_BENCH_PASSWORD", default_value = "bench-password-1")]
    password: String,
    /// Concurrent clients.
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Seconds per scenario.
    #[arg(long, default_value_t = 15)]
    duration: u64,
    /// Seconds of warm-up before each scenario (not measured).
    #[arg(long, default_value_t = 2)]
    warmup: u64,
    /// Members to spread the load over.
    #[arg(long, default_value_t = 500)]
    members: usize,
    /// Comma-separated: the layers healthz, jwks, me, then earn, spend, balance, mixed, and
    /// redeem (spread over `--rewards` rewards) and redeem-hot (every client on one reward).
    #[arg(long, default_value = "healthz,jwks,me,earn,spend,balance,mixed,redeem,redeem-hot")]
    scenarios: String,
    /// Rewards the `redeem` scenario spreads over (a catalog's worth).
    #[arg(long, default_value_t = 8)]
    rewards: usize,
}

const SCENARIOS: &[&str] = &[
    "healthz",
    "jwks",
    "me",
    "earn",
    "spend",
    "balance",
    "mixed",
    "redeem",
    "redeem-hot",
];

#[derive(Clone, Copy)]
enum Op {
    Earn,
    Spend,
    Balance,
    /// `GET /healthz`: HTTP and the middleware stack alone (no identity, limiter or database).
    Health,
    /// `GET /auth/api/.well-known/jwks.json` anonymously: plus the rate limiter, no database.
    Jwks,
    /// `GET /auth/api/staff/me`: plus the token, the session check and one row.
    Me,
    /// `POST /reward/api/redemptions` for a random member and one of the catalog's rewards.
    Redeem,
    /// The same, every client on one reward (its stock row is the contended one).
    RedeemHot,
}

struct Ctx {
    client: reqwest::Client,
    base: String,
    token: String,
    members: Vec<String>,
    /// The catalog's rewards (unlimited stock, 10 points each); empty unless a redeem scenario
    /// runs.
    rewards: Vec<String>,
}

impl Ctx {
    async fn call(&self, op: Op) -> anyhow::Result<bool> {
        let (m, reward) = {
            let mut rng = rand::thread_rng();
            let m = &self.members[rng.gen_range(0..self.members.len())];
            let reward = match op {
                Op::Redeem => self.rewards.get(rng.gen_range(0..self.rewards.len().max(1))),
                _ => self.rewards.first(),
            };
            (m, reward)
        };
        let req = match op {
            Op::Redeem | Op::RedeemHot => self
                .client
                .post(format!("{}/reward/api/redemptions", self.base))
                .json(&json!({"memberId": m, "rewardId": reward})),
            Op::Earn => self
                .client
                .post(format!("{}/point/api/transactions/earn", self.base))
                .json(&json!({"memberId": m, "points": 10, "source": "bench"})),
            Op::Spend => self
                .client
                .post(format!("{}/point/api/transactions/spend", self.base))
                .json(&json!({"memberId": m, "points": 1, "source": "bench"})),
            Op::Balance => self.client.get(format!("{}/point/api/balance/{m}", self.base)),
            Op::Health => self.client.get(format!("{}/healthz", self.base)),
            Op::Jwks => self.client.get(format!("{}/auth/api/.well-known/jwks.json", self.base)),
            Op::Me => self.client.get(format!("{}/auth/api/staff/me", self.base)),
        };
        let req = match op {
            Op::Health | Op::Jwks => req,
            _ => req.bearer_auth(&self.token),
        };
        let res = req.send().await?;
        let ok = res.status().is_success();
        let _ = res.bytes().await?;
        Ok(ok)
    }
}

fn pick(scenario: &str) -> Op {
    match scenario {
        "earn" => Op::Earn,
        "spend" => Op::Spend,
        "balance" => Op::Balance,
        "healthz" => Op::Health,
        "jwks" => Op::Jwks,
        "me" => Op::Me,
        "redeem" => Op::Redeem,
        "redeem-hot" => Op::RedeemHot,
        _ => {
            // mixed: 50% balance reads, 30% earns, 20% spends.
            let r: u32 = rand::thread_rng().gen_range(0..10);
            match r {
                0..=4 => Op::Balance,
                5..=7 => Op::Earn,
                _ => Op::Spend,
            }
        }
    }
}

async fn run(ctx: Arc<Ctx>, scenario: &str, args: &Args) -> anyhow::Result<()> {
    let warm_stop = Arc::new(AtomicBool::new(false));
    let measuring = Arc::new(AtomicBool::new(false));
    let mut handles = Vec::new();
    for _ in 0..args.concurrency {
        let ctx = ctx.clone();
        let stop = warm_stop.clone();
        let measuring = measuring.clone();
        let scenario = scenario.to_string();
        handles.push(tokio::spawn(async move {
            let mut lat: Vec<u32> = Vec::with_capacity(100_000);
            let mut errors = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let ok = ctx.call(pick(&scenario)).await.unwrap_or(false);
                if measuring.load(Ordering::Relaxed) {
                    if ok {
                        lat.push(t.elapsed().as_micros() as u32);
                    } else {
                        errors += 1;
                    }
                }
            }
            (lat, errors)
        }));
    }
    tokio::time::sleep(Duration::from_secs(args.warmup)).await;
    measuring.store(true, Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(args.duration)).await;
    measuring.store(false, Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    warm_stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    let mut errors = 0;
    for h in handles {
        let (l, e) = h.await?;
        all.extend(l);
        errors += e;
    }
    all.sort_unstable();
    let pct = |p: f64| -> f64 {
        if all.is_empty() {
            return 0.0;
        }
        let i = ((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1;
        all[i] as f64 / 1000.0
    };
    println!(
        "RESULT scenario={scenario} concurrency={} seconds={:.1} requests={} errors={errors} rps={:.0} p50_ms={:.2} p95_ms={:.2} p99_ms={:.2} max_ms={:.2}",
        args.concurrency,
        elapsed,
        all.len(),
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.95),
        pct(0.99),
        all.last().copied().unwrap_or(0) as f64 / 1000.0,
    );
    Ok(())
}

async fn setup(args: &Args) -> anyhow::Result<Ctx> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency * 2)
        .build()?;
    let login: Value = client
        .post(format!("{}/auth/api/login", args.base))
        .json(&json!({"email": args.email, "password": args.password}))
        .send()
        .await
        .context("server unreachable")?
        .json()
        .await?;
    let token = login["data"]["accessToken"]
        .as_str()
        .context("login failed")?
        .to_string();
    let mut members = Vec::with_capacity(args.members);
    let chunks: Vec<usize> = (0..args.members).collect();
    for chunk in chunks.chunks(32) {
        let futs = chunk.iter().map(|i| {
            let client = client.clone();
            let token = token.clone();
            let base = args.base.clone();
            async move {
                let phone = format!("+669{:08}", i);
                let r: Value = client
                    .post(format!("{base}/auth/api/members"))
                    .bearer_auth(&token)
                    .json(&json!({"firstName": "Bench", "lastName": format!("{i}"), "phone": phone}))
                    .send()
                    .await?
                    .json()
                    .await?;
                let id = r["data"]["id"].as_str().context("member not created")?.to_string();
                let e = client
                    .post(format!("{base}/point/api/transactions/earn"))
                    .bearer_auth(&token)
                    .json(&json!({"memberId": id, "points": 1_000_000, "source": "bench-setup", "externalId": format!("setup-{id}")}))
                    .send()
                    .await?;
                if !e.status().is_success() {
                    bail!("setup earn failed: {}", e.status());
                }
                anyhow::Ok(id)
            }
        });
        for r in futures::future::join_all(futs).await {
            members.push(r?);
        }
    }
    let rewards = if args.scenarios.contains("redeem") {
        rewards(&client, &args.base, &token, args.rewards).await?
    } else {
        Vec::new()
    };
    Ok(Ctx {
        client,
        base: args.base.clone(),
        token,
        members,
        rewards,
    })
}

/// A catalog open to every member with `n` unlimited rewards of 10 points each.
async fn rewards(client: &reqwest::Client, base: &str, token: &str, n: usize) -> anyhow::Result<Vec<String>> {
    let post = |path: &str, body: Value| {
        client
            .post(format!("{base}{path}"))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let suffix: u32 = rand::thread_rng().r#gen();
    let cat: Value = post(
        "/reward/api/reward-catalogs",
        json!({"code": format!("bench-{suffix}"), "name_en": "Bench"}),
    )
    .await?
    .json()
    .await?;
    let cat = cat["data"]["id"].as_str().context("catalog not created")?.to_string();
    let mut ids = Vec::with_capacity(n);
    for i in 0..n.max(1) {
        let r: Value = post(
            "/reward/api/rewards",
            json!({"code": format!("bench-{suffix}-{i}"), "catalogId": cat, "type": "voucher",
                   "name_en": format!("Bench voucher {i}"), "pointsCost": 10, "position": i}),
        )
        .await?
        .json()
        .await?;
        ids.push(r["data"]["id"].as_str().context("reward not created")?.to_string());
    }
    Ok(ids)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let ctx = Arc::new(setup(&args).await?);
    for s in args.scenarios.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !SCENARIOS.contains(&s) {
            bail!("unknown scenario `{s}`");
        }
        run(ctx.clone(), s, &args).await?;
    }
    Ok(())
}
