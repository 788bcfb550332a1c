//! The operator's scale gate: N PointRules and N/5 ApiKeys on one platform, an in-memory
//! Kubernetes client that counts every request, and a real PostgreSQL whose triggers count
//! every row written to the rule and key tables. Counts are exact; only the cold pass and the
//! isolation check are timed. Prints the curve for N = 100, 300 and 1,000:
//!
//!     cargo nextest run -p sbm-operator --test scale --no-capture
//!
//! (it also runs with every `cargo nextest run`; `--release` makes it several times faster).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

use futures::StreamExt;
use kube::api::Api;
use kube_fake_client::interceptor;
use sbm_operator::controller::{self, Context, DbKind};
use sbm_operator::crd::{ApiKey, CrmPlatform, PointRule};
use sea_orm::{ConnectionTrait, DatabaseConnection};

mod common;

use common::{NS, client_builder, hanging_database, secret, stamp, yaml};
/// Reconciles at once, as the controllers run them.
const CONCURRENCY: usize = 8;

/// Requests the operator made, by kind of request.
#[derive(Default)]
struct Requests {
    lists: AtomicUsize,
    gets: AtomicUsize,
    writes: AtomicUsize,
}

impl Requests {
    fn take(&self) -> (usize, usize, usize) {
        (
            self.lists.swap(0, Relaxed),
            self.gets.swap(0, Relaxed),
            self.writes.swap(0, Relaxed),
        )
    }
}

fn counting(r: &Arc<Requests>) -> interceptor::Funcs {
    let w = |r: &Arc<Requests>| {
        let r = r.clone();
        move || {
            r.writes.fetch_add(1, Relaxed);
        }
    };
    let (l, g) = (r.clone(), r.clone());
    let (c, u, rp, d, p, ps, rs) = (w(r), w(r), w(r), w(r), w(r), w(r), w(r));
    interceptor::Funcs::new()
        .list(move |_| {
            l.lists.fetch_add(1, Relaxed);
            Ok(None)
        })
        .get(move |_| {
            g.gets.fetch_add(1, Relaxed);
            Ok(None)
        })
        .create(move |_| {
            c();
            Ok(None)
        })
        .update(move |_| {
            u();
            Ok(None)
        })
        .replace(move |_| {
            rp();
            Ok(None)
        })
        .delete(move |_| {
            d();
            Ok(None)
        })
        .patch(move |_| {
            p();
            Ok(None)
        })
        .patch_status(move |_| {
            ps();
            Ok(None)
        })
        .replace_status(move |_| {
            rs();
            Ok(None)
        })
}

fn platform(name: &str, db_secret: &str) -> CrmPlatform {
    let mut p: CrmPlatform = yaml("platform.yaml");
    p.metadata.name = Some(name.into());
    p.spec.database.name = db_secret.into();
    stamp(&mut p, &format!("uid-{name}"), 0);
    p
}

fn rules(platform: &str, n: usize) -> Vec<PointRule> {
    (0..n)
        .map(|i| {
            let mut r: PointRule = yaml("point-rule-base.yaml");
            r.metadata.name = Some(format!("{platform}-rule-{i}"));
            r.spec.platform_ref.name = platform.into();
            r.spec.rule.code = format!("{platform}-earn-{i}");
            stamp(&mut r, &format!("uid-{platform}-rule-{i}"), 0);
            r
        })
        .collect()
}

fn keys(n: usize) -> Vec<ApiKey> {
    (0..n)
        .map(|i| {
            let mut k: ApiKey = yaml("api-key-pos.yaml");
            k.metadata.name = Some(format!("key-{i}"));
            stamp(&mut k, &format!("uid-key-{i}"), 0);
            k
        })
        .collect()
}

/// Counts every row written to the tables the operator manages.
async fn count_row_writes(db: &DatabaseConnection) {
    for sql in [
        "CREATE TABLE scale_row_writes (tbl TEXT NOT NULL)",
        "CREATE FUNCTION scale_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO scale_row_writes VALUES (TG_TABLE_NAME); RETURN NULL; END $$",
        "CREATE TRIGGER scale_rules AFTER INSERT OR UPDATE OR DELETE ON point_rules FOR EACH ROW EXECUTE FUNCTION scale_count()",
        "CREATE TRIGGER scale_keys AFTER INSERT OR UPDATE OR DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION scale_count()",
    ] {
        db.execute_unprepared(sql).await.unwrap();
    }
}

async fn row_writes(db: &DatabaseConnection) -> i64 {
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "WITH gone AS (DELETE FROM scale_row_writes RETURNING 1) SELECT count(*) AS n FROM gone",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get("", "n").unwrap()
}

/// Reconciles every object, `CONCURRENCY` at a time; returns how long it took and the results.
async fn pass<K: DbKind>(objs: Vec<Arc<K>>, ctx: &Arc<Context>) -> (Duration, Vec<controller::Result<()>>) {
    let started = Instant::now();
    let results = futures::stream::iter(objs)
        .map(|o| {
            let ctx = ctx.clone();
            async move { controller::reconcile(o, ctx).await.map(|_| ()) }
        })
        .buffer_unordered(CONCURRENCY)
        .collect::<Vec<_>>()
        .await;
    (started.elapsed(), results)
}

async fn all<K: DbKind>(api: &Api<K>, keep: impl Fn(&K) -> bool) -> Vec<Arc<K>> {
    api.list(&Default::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|o| keep(o))
        .map(Arc::new)
        .collect()
}

fn ok<T>(results: &[controller::Result<T>]) -> usize {
    results.iter().filter(|r| r.is_ok()).count()
}

struct Figures {
    n: usize,
    cold: Duration,
    steady: Duration,
}

/// One platform with `n` rules and `n / 5` keys: the cold pass, the steady pass and the drift
/// pass, asserted; with `hanging`, a second platform whose database never answers.
async fn scenario(n: usize, hanging: bool) -> Figures {
    let t = sbm_testkit::TestDb::create().await;
    let db = sbm_common::db::connect_url(&t.url, 4).await.unwrap();
    sbm_migrations::migrate(&db).await.unwrap();
    count_row_writes(&db).await;
    let hole_url = hanging_database().await;
    let requests = Arc::new(Requests::default());
    let mut b = client_builder()
        .with_object(platform("crm", "crm-database"))
        .with_object(secret("crm-database", "url", &t.url))
        .with_objects(rules("crm", n))
        .with_objects(keys(n / 5))
        .with_interceptor_funcs(counting(&requests));
    if hanging {
        b = b
            .with_object(platform("stuck", "stuck-database"))
            .with_object(secret("stuck-database", "url", &hole_url))
            .with_objects(rules("stuck", 200));
    }
    let client = b.build().await.unwrap();
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let rule_api: Api<PointRule> = Api::namespaced(client.clone(), NS);
    let key_api: Api<ApiKey> = Api::namespaced(client.clone(), NS);
    let ours = |r: &PointRule| r.spec.platform_ref.name == "crm";

    // Cold: each resource gets the finalizer, then its rows (the watch event between the two
    // is the controller's; here the objects are read again).
    let started = Instant::now();
    pass(all(&rule_api, ours).await, &ctx).await;
    pass(all(&key_api, |_| true).await, &ctx).await;
    ctx.relist().await.unwrap();
    let (_, r) = pass(all(&rule_api, ours).await, &ctx).await;
    assert_eq!(ok(&r), n, "every rule converges");
    let (_, k) = pass(all(&key_api, |_| true).await, &ctx).await;
    assert_eq!(ok(&k), n / 5, "every key converges");
    let cold = started.elapsed();
    assert!(cold < Duration::from_secs(60), "cold pass of {n} rules took {cold:?}");
    assert_eq!(row_writes(&db).await as usize, n + n / 5, "one row per resource");

    // Steady, more than a second later (status times are kept to the second): the objects as
    // the watches would deliver them, and not one request beyond reads of the stores.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    ctx.relist().await.unwrap();
    let (rules_now, keys_now) = (all(&rule_api, ours).await, all(&key_api, |_| true).await);
    requests.take();
    let started = Instant::now();
    let (_, r) = pass(rules_now.clone(), &ctx).await;
    let (_, k) = pass(keys_now.clone(), &ctx).await;
    let steady = started.elapsed();
    assert_eq!(ok(&r) + ok(&k), n + n / 5);
    let (lists, gets, writes) = requests.take();
    assert_eq!(
        (lists, writes),
        (0, 0),
        "a steady pass listed {lists} times and wrote {writes} times"
    );
    assert_eq!(gets, 0, "a steady pass fetched {gets} objects the stores hold");
    assert_eq!(row_writes(&db).await, 0, "a steady pass wrote database rows");

    // Drift: ten rows edited behind the operator's back are repaired, and nothing else.
    let now = sbm_common::clock::Clock::default().now();
    for i in 0..10 {
        let row = sbm_point::domain::rulestore::find_by_code(&db, &format!("crm-earn-{}", i * (n / 10)))
            .await
            .unwrap()
            .unwrap();
        let mut edited = row.spec.clone();
        edited.points_per_unit = Some(99);
        sbm_point::domain::rulestore::update_rule(&db, &row.id, &edited, now)
            .await
            .unwrap();
    }
    assert_eq!(row_writes(&db).await, 10);
    let (_, r) = pass(rules_now.clone(), &ctx).await;
    assert_eq!(ok(&r), n);
    assert_eq!(row_writes(&db).await, 10, "exactly the ten edited rows are repaired");

    if hanging {
        // The same steady pass while the other platform's rules wait on their database.
        let alone = {
            let started = Instant::now();
            pass(rules_now.clone(), &ctx).await;
            started.elapsed()
        };
        let is_stuck = |r: &PointRule| r.spec.platform_ref.name == "stuck";
        pass(all(&rule_api, is_stuck).await, &ctx).await; // their finalizers: no database yet
        // The stuck platform's rules (many more than the controller's slots) and this one's,
        // interleaved in the one stream the PointRule controller runs, 8 at a time.
        // The stuck platform has been seen failing once already (as after the operator's first
        // minute): its first contact may hold the slots for one DB_CHECK, never again.
        let stuck = all(&rule_api, is_stuck).await;
        assert!(controller::reconcile(stuck[0].clone(), ctx.clone()).await.is_err());
        let mut stuck = stuck.into_iter();
        let mut mixed = Vec::new();
        for r in rules_now.iter().cloned() {
            mixed.push((true, r));
            if let Some(s) = stuck.next() {
                mixed.push((false, s));
            }
        }
        mixed.extend(stuck.map(|s| (false, s)));
        let started = Instant::now();
        let outcomes = futures::stream::iter(mixed)
            .map(|(ours, o)| {
                let ctx = ctx.clone();
                async move { (ours, controller::reconcile(o, ctx).await.is_ok(), started.elapsed()) }
            })
            .buffer_unordered(CONCURRENCY)
            .collect::<Vec<_>>()
            .await;
        let beside = outcomes.iter().filter(|o| o.0).map(|o| o.2).max().unwrap();
        println!(
            "isolation: {n} rules' steady pass {alone:?} alone, {beside:?} sharing the controller with a platform whose database hangs"
        );
        assert!(
            beside < alone * 2 + Duration::from_millis(500),
            "a hanging platform slowed another: {alone:?} alone, {beside:?} beside it"
        );
        assert!(
            outcomes.iter().filter(|o| o.0).all(|o| o.1),
            "every rule of the healthy platform converges"
        );
        assert!(
            outcomes.iter().filter(|o| !o.0).all(|o| !o.1),
            "the hanging platform's rules are not ready"
        );
    }
    Figures { n, cold, steady }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scale_gate() {
    let mut figures = Vec::new();
    for n in [100, 300] {
        figures.push(scenario(n, false).await);
    }
    figures.push(scenario(1000, true).await);
    println!("| resources (rules + keys) | cold pass | steady pass |");
    println!("|---|---|---|");
    for f in figures {
        println!(
            "| {} + {} | {:.1} s | {:.2} s |",
            f.n,
            f.n / 5,
            f.cold.as_secs_f64(),
            f.steady.as_secs_f64()
        );
    }
}
