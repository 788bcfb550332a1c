//! Reconcilers called directly, with an in-memory Kubernetes client and a real PostgreSQL.

use std::sync::Arc;

use k8s_openapi::ByteString;
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::batch::v1::Job;
use k8s_openapi::api::core::v1::{ConfigMap, Secret, Service};
use k8s_openapi::api::networking::v1::Ingress;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use kube::api::{Api, Patch, PatchParams};
use kube::{Client, ResourceExt};
use kube_fake_client::ClientBuilder;
use sbm_operator::controller::{self, Context};
use sbm_operator::crd::{ApiKey, CrmPlatform, PointRule, RewardCatalog, Tier};
use sea_orm::DatabaseConnection;

mod common;

use common::{NS, client_builder, hanging_database, secret, stamp, yaml};

/// A fresh, migrated database for one test, dropped at the end.
struct TestDb {
    url: String,
    db: DatabaseConnection,
    _pg: sbm_testkit::TestDb,
}

impl TestDb {
    async fn new() -> Self {
        let pg = sbm_testkit::TestDb::create().await;
        let db = sbm_common::db::connect_url(&pg.url, 4).await.unwrap();
        sbm_migrations::migrate(&db).await.unwrap();
        TestDb {
            url: pg.url.clone(),
            db,
            _pg: pg,
        }
    }
}

/// One reconcile as the controller would run it, once the stores have caught up. A resource
/// without the finalizer gets it first (`finalizer()` then waits for the watch event that the
/// in-memory client does not send), so it is reconciled a second time.
async fn pass<K>(obj: K, ctx: &Arc<Context>) -> Result<kube::runtime::controller::Action, controller::Error>
where
    K: controller::DbKind,
{
    ctx.relist().await.unwrap();
    let fresh = !obj.finalizers().iter().any(|f| f == controller::FINALIZER) && obj.meta().deletion_timestamp.is_none();
    if !fresh {
        return controller::reconcile(Arc::new(obj), ctx.clone()).await;
    }
    controller::reconcile(Arc::new(obj.clone()), ctx.clone()).await?;
    let api: Api<K> = Api::namespaced(ctx.client.clone(), &obj.namespace().unwrap());
    controller::reconcile(Arc::new(api.get(&obj.name_any()).await.unwrap()), ctx.clone()).await
}

fn db_secret(url: &str) -> Secret {
    secret("crm-database", "url", url)
}

async fn cluster(url: &str, extra: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
    let mut platform: CrmPlatform = yaml("platform.yaml");
    stamp(&mut platform, "platform-uid", 3600);
    let builder = client_builder().with_object(platform).with_object(db_secret(url));
    extra(builder).build().await.unwrap()
}

fn cond(status: &serde_json::Value, type_: &str) -> (String, String) {
    let c = status["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == type_)
        .unwrap()
        .clone();
    (
        c["status"].as_str().unwrap().to_string(),
        c["reason"].as_str().unwrap().to_string(),
    )
}

fn status_of<K: serde::Serialize>(k: &K) -> serde_json::Value {
    serde_json::to_value(k).unwrap()["status"].clone()
}

#[tokio::test]
async fn point_rules_become_managed_rows_with_drift_repair_and_conflicts() {
    let t = TestDb::new().await;
    let mut first: PointRule = yaml("point-rule-base.yaml");
    stamp(&mut first, "uid-first", 600);
    let mut second: PointRule = yaml("point-rule-base.yaml");
    second.metadata.name = Some("base-earn-copy".into());
    stamp(&mut second, "uid-second", 60);
    let (f, s) = (first.clone(), second.clone());
    let client = cluster(&t.url, move |b| b.with_object(f).with_object(s)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let api: Api<PointRule> = Api::namespaced(client.clone(), NS);

    pass(api.get("base-earn").await.unwrap(), &ctx).await.unwrap();
    let got = api.get("base-earn").await.unwrap();
    assert!(got.finalizers().contains(&controller::FINALIZER.to_string()));
    let st = status_of(&got);
    assert_eq!(cond(&st, "Ready").0, "True");
    let rule_id = st["ruleId"].as_str().unwrap().to_string();
    let row = sbm_point::domain::rulestore::get_rule(&t.db, &rule_id).await.unwrap();
    assert!(row.managed);
    assert_eq!(row.spec, first.spec.rule);
    assert_eq!(
        sbm_point::domain::rulestore::managed_by(&t.db, &rule_id)
            .await
            .unwrap()
            .as_deref(),
        Some("uid-first")
    );

    // The younger claim on the same code gets a Conflict and does not touch the row.
    pass(api.get("base-earn-copy").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("base-earn-copy").await.unwrap());
    assert_eq!(cond(&st, "Conflict"), ("True".to_string(), "CodeClaimed".to_string()));
    assert_eq!(cond(&st, "Ready").0, "False");

    // An out-of-band edit is put back on the next (periodic) reconcile.
    let mut edited = row.spec.clone();
    edited.points_per_unit = Some(99);
    sbm_point::domain::rulestore::update_rule(&t.db, &rule_id, &edited, sbm_common::clock::Clock::default().now())
        .await
        .unwrap();
    pass(api.get("base-earn").await.unwrap(), &ctx).await.unwrap();
    let row = sbm_point::domain::rulestore::get_rule(&t.db, &rule_id).await.unwrap();
    assert_eq!(row.spec.points_per_unit, Some(1));

    // Deletion with the Delete policy removes the row, then the finalizer (the fake ignores
    // finalizers on DELETE, so the resource is seeded with a deletion timestamp).
    let mut deleting = api.get("base-earn").await.unwrap();
    deleting.metadata.deletion_timestamp = Some(Time(k8s_openapi::jiff::Timestamp::now()));
    pass(deleting, &ctx).await.unwrap();
    assert!(
        sbm_point::domain::rulestore::find_by_code(&t.db, "base-earn")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        !api.get("base-earn")
            .await
            .unwrap()
            .finalizers()
            .contains(&controller::FINALIZER.to_string())
    );
}

#[tokio::test]
async fn retained_rules_stay_and_unmanaged_codes_conflict() {
    let t = TestDb::new().await;
    let mut ff: PointRule = yaml("point-rule-fashion-friday.yaml");
    stamp(&mut ff, "uid-ff", 60);
    let mut welcome: PointRule = yaml("point-rule-welcome.yaml");
    stamp(&mut welcome, "uid-welcome", 60);
    // A rule staff already made through the API with the welcome rule's code.
    sbm_point::domain::rulestore::insert_rule(
        &t.db,
        &welcome.spec.rule,
        None,
        sbm_common::clock::Clock::default().now(),
    )
    .await
    .unwrap();
    let (a, b) = (ff.clone(), welcome.clone());
    let client = cluster(&t.url, move |bld| bld.with_object(a).with_object(b)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let api: Api<PointRule> = Api::namespaced(client.clone(), NS);
    pass(api.get("welcome").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("welcome").await.unwrap());
    assert_eq!(cond(&st, "Conflict"), ("True".to_string(), "CodeExists".to_string()));

    pass(api.get("fashion-friday").await.unwrap(), &ctx).await.unwrap();
    let mut deleting = api.get("fashion-friday").await.unwrap();
    deleting.metadata.deletion_timestamp = Some(Time(k8s_openapi::jiff::Timestamp::now()));
    pass(deleting, &ctx).await.unwrap();
    let row = sbm_point::domain::rulestore::find_by_code(&t.db, "fashion-friday")
        .await
        .unwrap()
        .unwrap();
    assert!(!row.managed, "Retain hands the rule back to the API");
}

#[tokio::test]
async fn a_database_that_is_down_makes_resources_not_ready_without_crashing() {
    let t = TestDb::new().await;
    let mut rule: PointRule = yaml("point-rule-base.yaml");
    stamp(&mut rule, "uid-1", 60);
    let r = rule.clone();
    let client = cluster("postgres://postgres@127.0.0.1:1/none", move |b| b.with_object(r)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let api: Api<PointRule> = Api::namespaced(client.clone(), NS);
    // Not an error to crash on: `Unavailable`, retried with the object's own backoff.
    let err = pass(api.get("base-earn").await.unwrap(), &ctx).await.unwrap_err();
    assert!(matches!(err, controller::Error::Unavailable(_)), "{err}");
    let backoff = controller::error_policy(Arc::new(api.get("base-earn").await.unwrap()), &err, ctx.clone());
    let again = controller::error_policy(Arc::new(api.get("base-earn").await.unwrap()), &err, ctx.clone());
    assert!(
        backoff != again,
        "each failure in a row waits longer (and jitter makes equal delays unlikely)"
    );
    let st = status_of(&api.get("base-earn").await.unwrap());
    assert_eq!(
        cond(&st, "Ready"),
        ("False".to_string(), "DatabaseUnavailable".to_string())
    );
    assert!(!st.to_string().contains("127.0.0.1:1"), "the database URL is a secret");
    drop(t);
}

#[tokio::test]
async fn api_keys_live_in_an_owned_secret_and_work_against_the_platform() {
    let t = TestDb::new().await;
    let mut key: ApiKey = yaml("api-key-pos.yaml");
    stamp(&mut key, "uid-key", 60);
    let mut rule: PointRule = yaml("point-rule-base.yaml");
    stamp(&mut rule, "uid-rule", 60);
    let (k, r) = (key.clone(), rule.clone());
    let client = cluster(&t.url, move |b| b.with_object(k).with_object(r)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let keys: Api<ApiKey> = Api::namespaced(client.clone(), NS);
    pass(keys.get("pos-siam").await.unwrap(), &ctx).await.unwrap();
    pass(
        Api::<PointRule>::namespaced(client.clone(), NS)
            .get("base-earn")
            .await
            .unwrap(),
        &ctx,
    )
    .await
    .unwrap();
    let secrets: Api<Secret> = Api::namespaced(client.clone(), NS);
    let secret = secrets.get("pos-siam-api-key").await.unwrap();
    assert_eq!(secret.owner_references()[0].uid, "uid-key");
    let plaintext = String::from_utf8(secret.data.unwrap()["apiKey"].0.clone()).unwrap();
    assert!(plaintext.starts_with("sbmk_"));
    let got = keys.get("pos-siam").await.unwrap();
    let st = status_of(&got);
    assert_eq!(cond(&st, "Ready").0, "True");
    assert_eq!(st["prefix"], plaintext[..12]);
    assert!(
        !serde_json::to_string(&got).unwrap().contains(&plaintext),
        "the key never appears in the resource"
    );

    // The platform accepts the key, with the plan's limit, and lists the rule as managed.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let data = std::env::temp_dir().join(format!("sbm-op-{}", uuid::Uuid::new_v4().simple()));
    let config = sbm_common::config::Config::from_map(
        [
            ("SBM_DATABASE_URL".to_string(), t.url.clone()),
            ("SBM_DATA_DIR".to_string(), data.display().to_string()),
            ("SBM_SERVICES".to_string(), "auth,point".to_string()),
        ]
        .into(),
    )
    .unwrap();
    let running = sbm_crm::start(config, listener, Default::default()).await.unwrap();
    let base = format!("http://{}", running.addr);
    let http = reqwest::Client::new();
    let res = http
        .get(format!("{base}/auth/api/members"))
        .header("x-api-key", &plaintext)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-ratelimit-limit"], "50000");
    let res = http
        .get(format!("{base}/point/api/point-rules"))
        .header("x-api-key", &plaintext)
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["data"]["data"][0]["code"], "base-earn");
    assert_eq!(body["data"]["data"][0]["managed"], true);

    // Rotation on an annotation: a new key in the Secret, the old one refused.
    keys.patch(
        "pos-siam",
        &PatchParams::default(),
        &Patch::Merge(serde_json::json!({"metadata": {"annotations": {controller::ROTATE_ANNOTATION: "2026-11-28"}}})),
    )
    .await
    .unwrap();
    pass(keys.get("pos-siam").await.unwrap(), &ctx).await.unwrap();
    let rotated = String::from_utf8(
        secrets.get("pos-siam-api-key").await.unwrap().data.unwrap()["apiKey"]
            .0
            .clone(),
    )
    .unwrap();
    assert_ne!(rotated, plaintext);
    // Reconciling again does not rotate again.
    pass(keys.get("pos-siam").await.unwrap(), &ctx).await.unwrap();
    let again = String::from_utf8(
        secrets.get("pos-siam-api-key").await.unwrap().data.unwrap()["apiKey"]
            .0
            .clone(),
    )
    .unwrap();
    assert_eq!(again, rotated);
    // Running services cache keys for up to 30 s; a fresh process sees the change at once.
    running.stop().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let config = sbm_common::config::Config::from_map(
        [
            ("SBM_DATABASE_URL".to_string(), t.url.clone()),
            ("SBM_DATA_DIR".to_string(), data.display().to_string()),
        ]
        .into(),
    )
    .unwrap();
    let running = sbm_crm::start(config, listener, Default::default()).await.unwrap();
    let base = format!("http://{}", running.addr);
    let old = http
        .get(format!("{base}/auth/api/members"))
        .header("x-api-key", &plaintext)
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 401);
    let new = http
        .get(format!("{base}/auth/api/members"))
        .header("x-api-key", &rotated)
        .send()
        .await
        .unwrap();
    assert_eq!(new.status(), 200);
    // A managed key is read-only through the API.
    assert!(
        sbm_auth::domain::api_keys::managed::find(&t.db, "uid-key")
            .await
            .unwrap()
            .is_some()
    );

    // Deletion (policy Delete) removes the row.
    let mut deleting = keys.get("pos-siam").await.unwrap();
    deleting.metadata.deletion_timestamp = Some(Time(k8s_openapi::jiff::Timestamp::now()));
    pass(deleting, &ctx).await.unwrap();
    assert!(
        sbm_auth::domain::api_keys::managed::find(&t.db, "uid-key")
            .await
            .unwrap()
            .is_none()
    );
    running.stop().await;
    let _ = std::fs::remove_dir_all(&data);
}

#[tokio::test]
async fn platforms_migrate_first_then_deploy_each_service_and_prune_removed_ones() {
    let t = TestDb::new().await;
    let client = cluster(&t.url, |b| b).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let platforms: Api<CrmPlatform> = Api::namespaced(client.clone(), NS);
    let deployments: Api<Deployment> = Api::namespaced(client.clone(), NS);
    let secrets: Api<Secret> = Api::namespaced(client.clone(), NS);
    // The platform names Secrets for Redis and the JWT keys that do not exist yet: status says
    // which, and nothing is started.
    controller::reconcile_platform(Arc::new(platforms.get("crm").await.unwrap()), ctx.clone())
        .await
        .unwrap();
    let st = status_of(&platforms.get("crm").await.unwrap());
    assert_eq!(cond(&st, "Ready"), ("False".to_string(), "SecretMissing".to_string()));
    assert!(st.to_string().contains("Secret crm-redis with key url"), "{st}");
    assert!(
        Api::<Job>::namespaced(client.clone(), NS)
            .list(&Default::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    for (name, key) in [("crm-redis", "url"), ("crm-jwt", "signing.pem")] {
        let mut s = db_secret("redis://redis:6379");
        s.metadata.name = Some(name.into());
        s.data = Some([(key.to_string(), ByteString(b"value".to_vec()))].into());
        secrets.create(&Default::default(), &s).await.unwrap();
    }
    ctx.relist().await.unwrap();
    controller::reconcile_platform(Arc::new(platforms.get("crm").await.unwrap()), ctx.clone())
        .await
        .unwrap();
    // Only the ConfigMap and the migration Job so far.
    let st = status_of(&platforms.get("crm").await.unwrap());
    assert_eq!(cond(&st, "Ready"), ("False".to_string(), "Migrating".to_string()));
    assert!(
        Api::<ConfigMap>::namespaced(client.clone(), NS)
            .get_opt("crm-config")
            .await
            .unwrap()
            .is_some()
    );
    assert!(deployments.get_opt("crm-auth").await.unwrap().is_none());
    let jobs: Api<Job> = Api::namespaced(client.clone(), NS);
    let job_name = jobs.list(&Default::default()).await.unwrap().items[0].name_any();
    jobs.patch_status(
        &job_name,
        &PatchParams::default(),
        &Patch::Merge(serde_json::json!({"status": {"succeeded": 1}})),
    )
    .await
    .unwrap();
    controller::reconcile_platform(Arc::new(platforms.get("crm").await.unwrap()), ctx.clone())
        .await
        .unwrap();
    for svc in ["crm-auth", "crm-point"] {
        assert!(deployments.get_opt(svc).await.unwrap().is_some(), "{svc} deployed");
        assert!(
            Api::<Service>::namespaced(client.clone(), NS)
                .get_opt(svc)
                .await
                .unwrap()
                .is_some()
        );
    }
    assert!(
        Api::<Ingress>::namespaced(client.clone(), NS)
            .get_opt("crm")
            .await
            .unwrap()
            .is_some()
    );
    let st = status_of(&platforms.get("crm").await.unwrap());
    assert_eq!(st["services"]["point"]["replicas"], 3);
    assert_eq!(cond(&st, "Ready"), ("False".to_string(), "Progressing".to_string()));
    // Ready pods of the previous template do not count: the Deployment has not rolled yet.
    let roll = |svc: &'static str, n: i32, updated: i32| {
        let deployments = deployments.clone();
        async move {
            // The in-memory client bumps the generation on every apply, even an unchanged one
            // (an API server does not): the Deployment controller is taken to have seen them all.
            let generation = 1_000;
            deployments
                .patch_status(
                    svc,
                    &PatchParams::default(),
                    &Patch::Merge(serde_json::json!({"status": {"observedGeneration": generation,
                        "replicas": n, "updatedReplicas": updated, "readyReplicas": n}})),
                )
                .await
                .unwrap();
        }
    };
    roll("crm-auth", 2, 0).await;
    roll("crm-point", 3, 3).await;
    controller::reconcile_platform(Arc::new(platforms.get("crm").await.unwrap()), ctx.clone())
        .await
        .unwrap();
    let st = status_of(&platforms.get("crm").await.unwrap());
    assert_eq!(cond(&st, "Ready").0, "False");
    assert_eq!(st["services"]["auth"]["readyReplicas"], 0);
    // Replicas of the current template become ready: the platform is Ready.
    roll("crm-auth", 2, 2).await;
    controller::reconcile_platform(Arc::new(platforms.get("crm").await.unwrap()), ctx.clone())
        .await
        .unwrap();
    let st = status_of(&platforms.get("crm").await.unwrap());
    assert_eq!(cond(&st, "Ready").0, "True");
    assert_eq!(st["migratedTag"], "0.1.0", "the Job may be collected now");

    // A rule row whose PointRule vanished without its finalizer (forced off) is switched off
    // and handed to the API on the platform's next pass; rows of live resources stay.
    use sbm_point::domain::rulestore;
    let mut orphan: PointRule = yaml("point-rule-base.yaml");
    orphan.spec.rule.code = "orphan-earn".into();
    rulestore::insert_rule(
        &t.db,
        &orphan.spec.rule,
        Some("uid-gone"),
        sbm_common::clock::Clock::default().now(),
    )
    .await
    .unwrap();
    controller::reconcile_platform(Arc::new(platforms.get("crm").await.unwrap()), ctx.clone())
        .await
        .unwrap();
    let row = rulestore::find_by_code(&t.db, "orphan-earn").await.unwrap().unwrap();
    assert!(!row.spec.active && !row.managed, "the orphan is off and editable");

    // A new rate limit, or a new version of a Secret the pods read, rolls the pods.
    let hash = || async {
        deployments
            .get("crm-auth")
            .await
            .unwrap()
            .spec
            .unwrap()
            .template
            .metadata
            .unwrap()
            .annotations
            .unwrap()[sbm_operator::builders::CONFIG_HASH_ANNOTATION]
            .clone()
    };
    let before = hash().await;
    platforms
        .patch(
            "crm",
            &PatchParams::default(),
            &Patch::Merge(serde_json::json!({"spec": {"rateLimits": {"tokenPerHour": 6000}}})),
        )
        .await
        .unwrap();
    controller::reconcile_platform(Arc::new(platforms.get("crm").await.unwrap()), ctx.clone())
        .await
        .unwrap();
    let after_limits = hash().await;
    assert_ne!(after_limits, before, "a configuration change must roll the pods");
    secrets
        .patch(
            "crm-database",
            &PatchParams::default(),
            &Patch::Merge(serde_json::json!({"data": {"url": "cG9zdGdyZXM6Ly9uZXc="}})),
        )
        .await
        .unwrap();
    ctx.relist().await.unwrap();
    controller::reconcile_platform(Arc::new(platforms.get("crm").await.unwrap()), ctx.clone())
        .await
        .unwrap();
    assert_ne!(hash().await, after_limits, "a new database password must roll the pods");
    // Taking a service out of the spec removes its objects.
    platforms
        .patch(
            "crm",
            &PatchParams::default(),
            &Patch::Merge(serde_json::json!({"spec": {"services": {"point": null}, "ingress": null}})),
        )
        .await
        .unwrap();
    controller::reconcile_platform(Arc::new(platforms.get("crm").await.unwrap()), ctx.clone())
        .await
        .unwrap();
    assert!(deployments.get_opt("crm-point").await.unwrap().is_none());
    let st = status_of(&platforms.get("crm").await.unwrap());
    assert!(
        st["services"].get("point").is_none(),
        "a removed service leaves the status: {st}"
    );
    assert!(
        Api::<Service>::namespaced(client.clone(), NS)
            .get_opt("crm-point")
            .await
            .unwrap()
            .is_none()
    );
    assert!(deployments.get_opt("crm-auth").await.unwrap().is_some());
    assert!(
        Api::<Ingress>::namespaced(client.clone(), NS)
            .get_opt("crm")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn without_spec_jwt_the_platform_gets_one_shared_signing_key() {
    let t = TestDb::new().await;
    let client = cluster(&t.url, |b| {
        let mut redis = db_secret("redis://redis:6379");
        redis.metadata.name = Some("crm-redis".into());
        b.with_object(redis)
    })
    .await;
    let platforms: Api<CrmPlatform> = Api::namespaced(client.clone(), NS);
    platforms
        .patch(
            "crm",
            &PatchParams::default(),
            &Patch::Merge(serde_json::json!({"spec": {"jwt": null}})),
        )
        .await
        .unwrap();
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    for _ in 0..2 {
        controller::reconcile_platform(Arc::new(platforms.get("crm").await.unwrap()), ctx.clone())
            .await
            .unwrap();
        ctx.relist().await.unwrap();
    }
    let secrets: Api<Secret> = Api::namespaced(client.clone(), NS);
    let key = secrets.get("crm-jwt").await.unwrap();
    assert_eq!(
        key.owner_references()[0].uid,
        "platform-uid",
        "it goes with the platform"
    );
    let pem = String::from_utf8(key.data.clone().unwrap()["signing.pem"].0.clone()).unwrap();
    assert!(pem.contains("PRIVATE KEY"));
    assert_eq!(
        key.resource_version(),
        secrets.get("crm-jwt").await.unwrap().resource_version(),
        "made once, never replaced"
    );
    // The server reads it: tokens signed by one pod verify on another.
    let dir = std::env::temp_dir().join(format!("sbm-jwt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("signing.pem");
    std::fs::write(&path, &pem).unwrap();
    assert!(sbm_common::identity::read_signing_key(&path).is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn one_replica_leads_until_its_lease_expires() {
    use k8s_openapi::api::coordination::v1::Lease;
    let client = ClientBuilder::new().build().await.unwrap();
    let leases: Api<Lease> = Api::namespaced(client, "sbm-system");
    assert!(sbm_operator::run::try_lead(&leases, "sbm-operator", "a").await.unwrap());
    assert!(!sbm_operator::run::try_lead(&leases, "sbm-operator", "b").await.unwrap());
    assert!(
        sbm_operator::run::try_lead(&leases, "sbm-operator", "a").await.unwrap(),
        "the leader renews"
    );
    // The leader stops renewing: after the lease duration another replica takes over.
    let stale = k8s_openapi::jiff::Timestamp::now() - k8s_openapi::jiff::SignedDuration::from_secs(60);
    leases
        .patch(
            "sbm-operator",
            &PatchParams::default(),
            &Patch::Merge(serde_json::json!({"spec": {"renewTime": k8s_openapi::apimachinery::pkg::apis::meta::v1::MicroTime(stale)}})),
        )
        .await
        .unwrap();
    assert!(sbm_operator::run::try_lead(&leases, "sbm-operator", "b").await.unwrap());
    assert!(!sbm_operator::run::try_lead(&leases, "sbm-operator", "a").await.unwrap());
    let lease = leases.get("sbm-operator").await.unwrap();
    assert_eq!(lease.spec.unwrap().holder_identity.as_deref(), Some("b"));
    // On SIGTERM the leader gives the lease up: another replica takes it at once, not after
    // the lease runs out. Releasing a lease one does not hold changes nothing.
    sbm_operator::run::release(&leases, "sbm-operator", "a").await.unwrap();
    assert!(!sbm_operator::run::try_lead(&leases, "sbm-operator", "c").await.unwrap());
    sbm_operator::run::release(&leases, "sbm-operator", "b").await.unwrap();
    assert!(sbm_operator::run::try_lead(&leases, "sbm-operator", "c").await.unwrap());
}

#[test]
fn a_failed_renewal_is_retried_while_the_lease_lasts() {
    use sbm_operator::run::{LEASE_SECONDS, Renewal, after_renewal};
    use std::time::Duration;
    let lease = Duration::from_secs(LEASE_SECONDS as u64);
    // Unreachable, timed out, or a conflict while the lease is still ours: retry.
    assert_eq!(
        after_renewal(None, Duration::from_secs(6)),
        Renewal::RetryIn(Duration::from_secs(1))
    );
    assert_eq!(
        after_renewal(None, lease - Duration::from_secs(1)),
        Renewal::Lost,
        "the lease is running out"
    );
    assert_eq!(
        after_renewal(Some(false), Duration::ZERO),
        Renewal::Lost,
        "another replica holds it"
    );
    assert_eq!(after_renewal(Some(true), Duration::ZERO), Renewal::RetryIn(lease / 3));
}

#[tokio::test]
async fn an_upgrade_brings_its_new_kind_and_a_missing_crd_is_named() {
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    // The cluster as an older release left it: PointRule did not exist yet.
    let mut older = sbm_operator::crd_objects();
    older.retain(|c| c.name_any() != "pointrules.sbmcrm.io");
    let client = ClientBuilder::new()
        .with_resource::<CustomResourceDefinition>()
        .with_objects(older)
        .build()
        .await
        .unwrap();
    let err = sbm_operator::run::ensure_crds(&client, false)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("pointrules.sbmcrm.io"), "{err}");
    assert!(!err.contains("apikeys.sbmcrm.io"), "{err}");
    // The new operator applies what it was built with: the new kind appears, the others are
    // brought up to date, and the check passes.
    sbm_operator::run::ensure_crds(&client, true).await.unwrap();
    let crds: Api<CustomResourceDefinition> = Api::all(client.clone());
    let installed = crds.get("pointrules.sbmcrm.io").await.unwrap();
    assert_eq!(installed.spec.names.kind, "PointRule");
    sbm_operator::run::ensure_crds(&client, false).await.unwrap();
}

fn transition_time(status: &serde_json::Value, type_: &str) -> String {
    status["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == type_)
        .unwrap()["lastTransitionTime"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_steady_resync_writes_no_status_and_a_flip_moves_the_transition_time() {
    let t = TestDb::new().await;
    let mut rule: PointRule = yaml("point-rule-base.yaml");
    stamp(&mut rule, "uid-rule", 60);
    let mut key: ApiKey = yaml("api-key-pos.yaml");
    stamp(&mut key, "uid-key", 60);
    let (r, k) = (rule.clone(), key.clone());
    let client = cluster(&t.url, move |b| b.with_object(r).with_object(k)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let rules: Api<PointRule> = Api::namespaced(client.clone(), NS);
    let keys: Api<ApiKey> = Api::namespaced(client.clone(), NS);
    // A missing database Secret is an error the controller retries; the status is what counts.
    let sync_rule = || async {
        let _ = pass(rules.get("base-earn").await.unwrap(), &ctx).await;
        rules.get("base-earn").await.unwrap()
    };
    let sync_key = || async {
        pass(keys.get("pos-siam").await.unwrap(), &ctx).await.unwrap();
        keys.get("pos-siam").await.unwrap()
    };
    // The first pass adds the finalizer, which the in-memory client (unlike an API server)
    // counts as a new generation; the second records that generation.
    sync_rule().await;
    sync_key().await;
    let (r1, k1) = (sync_rule().await, sync_key().await);
    let ready_since = transition_time(&status_of(&r1), "Ready");
    // Timestamps are kept to the second: a resync a second later would show a rewrite.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (r2, k2) = (sync_rule().await, sync_key().await);
    assert_eq!(
        r2.resource_version(),
        r1.resource_version(),
        "a steady PointRule resync wrote: {} then {}",
        serde_json::to_string(&r1).unwrap(),
        serde_json::to_string(&r2).unwrap()
    );
    assert_eq!(
        k2.resource_version(),
        k1.resource_version(),
        "a steady ApiKey resync wrote"
    );
    assert_eq!(transition_time(&status_of(&r2), "Ready"), ready_since);

    // Ready flips when the database Secret goes, and flips back when it returns: each flip
    // moves the time, and the unchanged status in between is not written again.
    let secrets: Api<Secret> = Api::namespaced(client.clone(), NS);
    secrets.delete("crm-database", &Default::default()).await.unwrap();
    let r3 = sync_rule().await;
    let st = status_of(&r3);
    assert_eq!(
        cond(&st, "Ready"),
        ("False".to_string(), "DatabaseSecretMissing".to_string())
    );
    assert_ne!(transition_time(&st, "Ready"), ready_since);
    let r4 = sync_rule().await;
    assert_eq!(
        r4.resource_version(),
        r3.resource_version(),
        "an unchanged failure was written again"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    secrets.create(&Default::default(), &db_secret(&t.url)).await.unwrap();
    let r5 = sync_rule().await;
    let st = status_of(&r5);
    assert_eq!(cond(&st, "Ready").0, "True");
    assert_ne!(transition_time(&st, "Ready"), transition_time(&status_of(&r4), "Ready"));
}

#[tokio::test]
async fn a_changed_code_does_not_leave_the_old_rule_awarding() {
    let t = TestDb::new().await;
    let mut rule: PointRule = yaml("point-rule-base.yaml");
    stamp(&mut rule, "uid-rule", 60);
    let r = rule.clone();
    let client = cluster(&t.url, move |b| b.with_object(r)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let rules: Api<PointRule> = Api::namespaced(client.clone(), NS);
    pass(rules.get("base-earn").await.unwrap(), &ctx).await.unwrap();
    use sbm_point::domain::rulestore;
    assert!(rulestore::find_by_code(&t.db, "base-earn").await.unwrap().is_some());
    // The CRD refuses this edit (a CEL transition rule); the in-memory client, like an API
    // server with an older CRD, lets it through.
    rules
        .patch(
            "base-earn",
            &PatchParams::default(),
            &Patch::Merge(serde_json::json!({"spec": {"rule": {"code": "base-earn-v2"}}})),
        )
        .await
        .unwrap();
    pass(rules.get("base-earn").await.unwrap(), &ctx).await.unwrap();
    assert!(
        rulestore::find_by_code(&t.db, "base-earn").await.unwrap().is_none(),
        "the row under the old code is still there"
    );
    let new = rulestore::find_by_code(&t.db, "base-earn-v2").await.unwrap().unwrap();
    assert_eq!(
        rulestore::managed_rows(&t.db, "uid-rule").await.unwrap().len(),
        1,
        "one row per resource"
    );
    assert!(new.managed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_database_does_not_stall_another_platform() {
    let t = TestDb::new().await;
    // Platform b's "database" accepts connections and never answers.
    let hole = hanging_database().await;
    let mut other: CrmPlatform = yaml("platform.yaml");
    other.metadata.name = Some("crm-b".into());
    other.spec.database.name = "crm-b-database".into();
    stamp(&mut other, "platform-b", 3600);
    let mut hanging = db_secret(&hole);
    hanging.metadata.name = Some("crm-b-database".into());
    let mut rule_a: PointRule = yaml("point-rule-base.yaml");
    stamp(&mut rule_a, "uid-a", 60);
    let mut rule_b = rule_a.clone();
    rule_b.metadata.name = Some("b-earn".into());
    rule_b.spec.platform_ref.name = "crm-b".into();
    stamp(&mut rule_b, "uid-b", 60);
    let (a, b) = (rule_a.clone(), rule_b.clone());
    let client = cluster(&t.url, move |c| {
        c.with_object(other).with_object(hanging).with_object(a).with_object(b)
    })
    .await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let rules: Api<PointRule> = Api::namespaced(client.clone(), NS);
    // b's finalizer first (no database involved), then its reconcile, which hangs.
    controller::reconcile(Arc::new(rules.get("b-earn").await.unwrap()), ctx.clone())
        .await
        .unwrap();
    let stuck = tokio::spawn(controller::reconcile(
        Arc::new(rules.get("b-earn").await.unwrap()),
        ctx.clone(),
    ));
    // Let b's reconcile reach its connect, then reconcile a.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    pass(rules.get("base-earn").await.unwrap(), &ctx).await.unwrap();
    assert!(
        !stuck.is_finished(),
        "platform a's reconcile waited for platform b's hanging database"
    );
    assert_eq!(
        cond(&status_of(&rules.get("base-earn").await.unwrap()), "Ready").0,
        "True"
    );
    // b gives up within the check's deadline and says why.
    assert!(matches!(stuck.await.unwrap(), Err(controller::Error::Unavailable(_))));
    let st = status_of(&rules.get("b-earn").await.unwrap());
    assert_eq!(
        cond(&st, "Ready"),
        ("False".to_string(), "DatabaseUnavailable".to_string())
    );
}

#[tokio::test]
async fn an_api_key_never_adopts_a_secret_it_does_not_own() {
    let t = TestDb::new().await;
    let mut key: ApiKey = yaml("api-key-pos.yaml");
    stamp(&mut key, "uid-key", 60);
    // Someone's Secret already has the name the key's Secret would get.
    let mut theirs = db_secret("not an api key");
    theirs.metadata.name = Some("pos-siam-api-key".into());
    let k = key.clone();
    let client = cluster(&t.url, move |b| b.with_object(k).with_object(theirs)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let keys: Api<ApiKey> = Api::namespaced(client.clone(), NS);
    let secrets: Api<Secret> = Api::namespaced(client.clone(), NS);
    let before = secrets.get("pos-siam-api-key").await.unwrap();
    pass(keys.get("pos-siam").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&keys.get("pos-siam").await.unwrap());
    assert_eq!(
        cond(&st, "Conflict"),
        ("True".to_string(), "SecretNotOwned".to_string())
    );
    assert_eq!(cond(&st, "Ready").0, "False");
    let after = secrets.get("pos-siam-api-key").await.unwrap();
    assert_eq!(
        after.resource_version(),
        before.resource_version(),
        "the Secret is left alone"
    );
    assert!(
        sbm_auth::domain::api_keys::managed::find(&t.db, "uid-key")
            .await
            .unwrap()
            .is_none(),
        "no key row made from someone else's Secret"
    );
}

#[tokio::test]
async fn a_standby_is_ready_while_another_replica_leads() {
    use k8s_openapi::api::coordination::v1::Lease;
    use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    // Another replica holds the lease (the old pod of a rolling update).
    let client = client_builder()
        .with_resource::<CustomResourceDefinition>()
        .build()
        .await
        .unwrap();
    let leases: Api<Lease> = Api::namespaced(client.clone(), "sbm-system");
    assert!(
        sbm_operator::run::try_lead(&leases, "sbm-operator", "old-pod")
            .await
            .unwrap()
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let opts = sbm_operator::run::Options {
        listen: format!("127.0.0.1:{port}").parse().unwrap(),
        leader_election: Some(("sbm-system".into(), "new-pod".into())),
        install_crds: true,
    };
    let operator = tokio::spawn(sbm_operator::run::run(client.clone(), opts));
    // The new pod must become ready without the lease, or the rollout never completes.
    let mut ready = false;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if let Ok(r) = reqwest::get(format!("http://127.0.0.1:{port}/readyz")).await
            && r.status() == 200
        {
            ready = true;
            break;
        }
    }
    assert!(ready, "the standby never became ready");
    let holder = leases.get("sbm-operator").await.unwrap().spec.unwrap().holder_identity;
    assert_eq!(
        holder.as_deref(),
        Some("old-pod"),
        "the standby does not take a held lease"
    );
    operator.abort();
}

#[tokio::test]
async fn stale_stores_never_rotate_a_key_twice_nor_restore_the_old_one() {
    let t = TestDb::new().await;
    let mut key: ApiKey = yaml("api-key-pos.yaml");
    stamp(&mut key, "uid-key", 60);
    let k = key.clone();
    let client = cluster(&t.url, move |b| b.with_object(k)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let keys: Api<ApiKey> = Api::namespaced(client.clone(), NS);
    let secrets: Api<Secret> = Api::namespaced(client.clone(), NS);
    let plaintext = || async {
        String::from_utf8(
            secrets.get("pos-siam-api-key").await.unwrap().data.unwrap()["apiKey"]
                .0
                .clone(),
        )
        .unwrap()
    };
    let row_hash = || async {
        sbm_auth::domain::api_keys::managed::find(&t.db, "uid-key")
            .await
            .unwrap()
            .unwrap()
            .key_hash
    };
    pass(keys.get("pos-siam").await.unwrap(), &ctx).await.unwrap();
    let first = plaintext().await;
    keys.patch(
        "pos-siam",
        &PatchParams::default(),
        &Patch::Merge(serde_json::json!({"metadata": {"annotations": {controller::ROTATE_ANNOTATION: "r1"}}})),
    )
    .await
    .unwrap();
    // The object as a reconcile sees it before its own status update arrives.
    let stale_key = keys.get("pos-siam").await.unwrap();
    pass(stale_key.clone(), &ctx).await.unwrap();
    let second = plaintext().await;
    assert_ne!(second, first, "rotated");
    assert_eq!(row_hash().await, sbm_common::identity::hash_api_key(&second));
    // The Secret store has not seen the new key yet, and the ApiKey is the stale one: no second
    // rotation, and the old key's hash is not put back.
    controller::reconcile(Arc::new(stale_key.clone()), ctx.clone())
        .await
        .unwrap();
    assert_eq!(plaintext().await, second, "rotated twice");
    assert_eq!(
        row_hash().await,
        sbm_common::identity::hash_api_key(&second),
        "the old key came back"
    );
    // Once the store catches up, the same holds without a live read.
    pass(stale_key, &ctx).await.unwrap();
    assert_eq!(plaintext().await, second);
}

/// The example ladder (member, silver, gold), stamped, oldest first.
fn ladder() -> Vec<Tier> {
    let mut tiers: Vec<Tier> = common::yaml_all("tiers.yaml");
    for (i, t) in tiers.iter_mut().enumerate() {
        let uid = format!("uid-{}", t.metadata.name.clone().unwrap());
        stamp(t, &uid, 600 - i as i64);
    }
    tiers
}

async fn row(db: &DatabaseConnection, code: &str) -> sbm_cluster::domain::tiers::Tier {
    sbm_cluster::domain::tiers::find_by_code(db, code)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_ladder_is_written_as_a_set_and_a_half_edited_one_reaches_no_row() {
    let t = TestDb::new().await;
    let tiers = ladder();
    let seed = tiers.clone();
    let client = cluster(&t.url, move |mut b| {
        for t in seed {
            b = b.with_object(t);
        }
        b
    })
    .await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let api: Api<Tier> = Api::namespaced(client.clone(), NS);
    // One reconcile writes the whole ladder; the others find their rows as they should be.
    pass(api.get("silver").await.unwrap(), &ctx).await.unwrap();
    for code in ["member", "silver", "gold"] {
        let r = row(&t.db, code).await;
        assert!(r.managed, "{code}");
        assert_eq!(
            r.spec,
            tiers.iter().find(|x| x.spec.code == code).unwrap().spec.to_domain()
        );
    }
    for name in ["member", "gold", "silver"] {
        pass(api.get(name).await.unwrap(), &ctx).await.unwrap();
        let st = status_of(&api.get(name).await.unwrap());
        assert_eq!(cond(&st, "Ready").0, "True", "{name}: {st}");
        assert_eq!(st["tierId"], serde_json::json!(row(&t.db, name).await.id));
    }
    // A steady resync writes nothing.
    let before = row(&t.db, "gold").await.updated_at;
    pass(api.get("gold").await.unwrap(), &ctx).await.unwrap();
    assert_eq!(row(&t.db, "gold").await.updated_at, before);

    // Half of a GitOps change: silver moves up to gold's rank before gold moves. Nothing is
    // written, and every tier of the set says why.
    let merge = |v: serde_json::Value| Patch::Merge(v);
    api.patch(
        "silver",
        &PatchParams::default(),
        &merge(serde_json::json!({"spec": {"rank": 2}})),
    )
    .await
    .unwrap();
    for name in ["silver", "gold", "member"] {
        pass(api.get(name).await.unwrap(), &ctx).await.unwrap();
        let st = status_of(&api.get(name).await.unwrap());
        assert_eq!(
            cond(&st, "Ready"),
            ("False".to_string(), "LadderInvalid".to_string()),
            "{name}: {st}"
        );
        let msg = st["conditions"][0]["message"].as_str().unwrap();
        assert!(msg.contains("uniqueRanks"), "{msg}");
    }
    assert_eq!(row(&t.db, "silver").await.spec.rank, 1, "no row was written");
    // The rest of the change lands: both move in one write (silver takes gold's old rank).
    api.patch(
        "gold",
        &PatchParams::default(),
        &merge(serde_json::json!({"spec": {"rank": 3}})),
    )
    .await
    .unwrap();
    pass(api.get("member").await.unwrap(), &ctx).await.unwrap();
    assert_eq!(
        (row(&t.db, "silver").await.spec.rank, row(&t.db, "gold").await.spec.rank),
        (2, 3)
    );
    for name in ["silver", "gold", "member"] {
        pass(api.get(name).await.unwrap(), &ctx).await.unwrap();
        assert_eq!(
            cond(&status_of(&api.get(name).await.unwrap()), "Ready").0,
            "True",
            "{name}"
        );
    }
    // Thresholds must rise, and a second default is refused, as sets.
    api.patch("gold", &PatchParams::default(), &merge(serde_json::json!({"spec": {"qualification": {"metric": "points_earned", "threshold": 500, "window": "lifetime", "currency": null}}})))
        .await
        .unwrap();
    pass(api.get("gold").await.unwrap(), &ctx).await.unwrap();
    let msg = status_of(&api.get("gold").await.unwrap())["conditions"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("thresholdsRising"), "{msg}");
    api.patch("gold", &PatchParams::default(), &merge(serde_json::json!({"spec": {"qualification": {"metric": "points_earned", "threshold": 9000, "window": "lifetime", "currency": null}, "isDefault": true}})))
        .await
        .unwrap();
    pass(api.get("gold").await.unwrap(), &ctx).await.unwrap();
    let msg = status_of(&api.get("gold").await.unwrap())["conditions"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("oneDefault"), "{msg}");
    // A tier invalid on its own blocks the set too, naming it.
    api.patch("gold", &PatchParams::default(), &merge(serde_json::json!({"spec": {"isDefault": false, "qualification": {"metric": "points_earned", "threshold": 9000, "window": "rolling_months"}}})))
        .await
        .unwrap();
    pass(api.get("member").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("member").await.unwrap());
    assert_eq!(cond(&st, "Ready").1, "LadderInvalid");
    assert!(
        st["conditions"][0]["message"].as_str().unwrap().contains("gold"),
        "{st}"
    );
    pass(api.get("gold").await.unwrap(), &ctx).await.unwrap();
    assert_eq!(cond(&status_of(&api.get("gold").await.unwrap()), "Ready").1, "Invalid");
    api.patch("gold", &PatchParams::default(), &merge(serde_json::json!({"spec": {"qualification": {"metric": "points_earned", "threshold": 9000, "window": "lifetime"}}})))
        .await
        .unwrap();
    pass(api.get("gold").await.unwrap(), &ctx).await.unwrap();
    assert_eq!(row(&t.db, "gold").await.spec.qualification.threshold, 9000);

    // Drift: an out-of-band edit is put back.
    let gold = row(&t.db, "gold").await;
    let mut edited = gold.spec.clone();
    edited.name_en = "Golden".into();
    let now = sbm_common::clock::Clock::default().now();
    let txn = sea_orm::TransactionTrait::begin(&t.db).await.unwrap();
    sbm_cluster::domain::tiers::save_ladder(
        &txn,
        vec![sbm_cluster::domain::tiers::Change::Update {
            id: gold.id.clone(),
            spec: edited,
        }],
        now,
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    pass(api.get("gold").await.unwrap(), &ctx).await.unwrap();
    assert_eq!(row(&t.db, "gold").await.spec.name_en, "Gold");

    // Deletion: gold (Delete) is soft-deleted and its members move to the default tier;
    // silver (the default Retain) stays, handed back to the API.
    sea_orm::ConnectionTrait::execute_unprepared(
        &t.db,
        &format!(
            "INSERT INTO member_tiers (member_id, tier_id, source, since, updated_at) VALUES ('m-1', '{}', 'auto', now(), now())",
            gold.id
        ),
    )
    .await
    .unwrap();
    let mut deleting = api.get("gold").await.unwrap();
    deleting.metadata.deletion_timestamp = Some(Time(k8s_openapi::jiff::Timestamp::now()));
    pass(deleting, &ctx).await.unwrap();
    assert!(row(&t.db, "gold").await.deleted_at.is_some());
    let member = sbm_cluster::domain::membership::state(&t.db, "m-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(member.tier_id, row(&t.db, "member").await.id);
    let mut deleting = api.get("silver").await.unwrap();
    deleting.metadata.deletion_timestamp = Some(Time(k8s_openapi::jiff::Timestamp::now()));
    pass(deleting, &ctx).await.unwrap();
    let silver = row(&t.db, "silver").await;
    assert!(silver.deleted_at.is_none() && !silver.managed);
}

#[tokio::test]
async fn point_rules_say_when_their_tier_multipliers_name_a_missing_tier() {
    let t = TestDb::new().await;
    let mut ff: PointRule = yaml("point-rule-fashion-friday.yaml");
    stamp(&mut ff, "uid-ff", 60);
    let tiers = ladder();
    let seed = tiers.clone();
    let client = cluster(&t.url, move |b| b.with_object(ff)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let rules: Api<PointRule> = Api::namespaced(client.clone(), NS);
    pass(rules.get("fashion-friday").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&rules.get("fashion-friday").await.unwrap());
    assert_eq!(cond(&st, "Ready").0, "True", "the rule is still written");
    assert_eq!(
        cond(&st, "ReferencesResolved"),
        ("False".to_string(), "TierNotFound".to_string())
    );
    // The ladder arrives: the reference resolves.
    let tapi: Api<Tier> = Api::namespaced(client.clone(), NS);
    for t in seed {
        tapi.create(&Default::default(), &t).await.unwrap();
    }
    pass(tapi.get("gold").await.unwrap(), &ctx).await.unwrap();
    pass(rules.get("fashion-friday").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&rules.get("fashion-friday").await.unwrap());
    assert_eq!(
        cond(&st, "ReferencesResolved"),
        ("True".to_string(), "Resolved".to_string())
    );
}

#[tokio::test]
async fn a_gitops_change_can_replace_the_default_tier() {
    let t = TestDb::new().await;
    let mut tiers = ladder();
    // The ladder as the operator wrote it before the change.
    let now = sbm_common::clock::Clock::default().now();
    let txn = sea_orm::TransactionTrait::begin(&t.db).await.unwrap();
    let creates = tiers
        .iter()
        .map(|x| sbm_cluster::domain::tiers::Change::Create {
            spec: x.spec.to_domain(),
            managed_by: x.metadata.uid.clone(),
        })
        .collect();
    sbm_cluster::domain::tiers::save_ladder(&txn, creates, now)
        .await
        .unwrap();
    txn.commit().await.unwrap();
    let old_default = row(&t.db, "member").await;
    sea_orm::ConnectionTrait::execute_unprepared(
        &t.db,
        &format!(
            "INSERT INTO member_tiers (member_id, tier_id, source, since, updated_at) VALUES ('m-1', '{}', 'auto', now(), now())",
            old_default.id
        ),
    )
    .await
    .unwrap();
    // One commit: `member` (with deletionPolicy Delete) is being deleted, `newcomer` takes
    // its place. Seeded as the API server would hold them (the in-memory client refuses to set
    // a deletion timestamp afterwards).
    let mut newcomer = tiers[0].clone();
    newcomer.metadata.name = Some("newcomer".into());
    newcomer.spec.code = "newcomer".into();
    newcomer.spec.name.en = "Newcomer".into();
    stamp(&mut newcomer, "uid-newcomer", 1);
    let member = &mut tiers[0];
    member.spec.deletion_policy = sbm_operator::crd::DeletionPolicy::Delete;
    member.metadata.deletion_timestamp = Some(Time(k8s_openapi::jiff::Timestamp::now()));
    member.metadata.finalizers = Some(vec![controller::FINALIZER.to_string()]);
    let seed = tiers.clone();
    let client = cluster(&t.url, move |mut b| {
        for t in seed {
            b = b.with_object(t);
        }
        b.with_object(newcomer)
    })
    .await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let api: Api<Tier> = Api::namespaced(client.clone(), NS);
    pass(api.get("newcomer").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("newcomer").await.unwrap());
    assert_eq!(cond(&st, "Ready").0, "True", "{st}");
    assert!(
        row(&t.db, "member").await.deleted_at.is_some(),
        "left in the same write"
    );
    assert!(row(&t.db, "newcomer").await.spec.is_default);
    // The old resource's cleanup moves its members to the new default.
    pass(api.get("member").await.unwrap(), &ctx).await.unwrap();
    let m = sbm_cluster::domain::membership::state(&t.db, "m-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(m.tier_id, row(&t.db, "newcomer").await.id);
}

/// The example catalog (privileges: vip-lounge, coffee-100 with 500 generated codes,
/// parking-3h), stamped.
fn reward_catalog() -> RewardCatalog {
    let mut c: RewardCatalog = yaml("reward-catalog.yaml");
    stamp(&mut c, "uid-privileges", 600);
    c
}

async fn reward_row(db: &DatabaseConnection, code: &str) -> sbm_reward::entity::rewards::Model {
    use sbm_reward::entity::rewards;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    rewards::Entity::find()
        .filter(rewards::Column::Code.eq(code))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no reward {code}"))
}

async fn catalog_row(db: &DatabaseConnection, code: &str) -> sbm_reward::entity::reward_catalogs::Model {
    use sbm_reward::entity::reward_catalogs;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    reward_catalogs::Entity::find()
        .filter(reward_catalogs::Column::Code.eq(code))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no catalog {code}"))
}

async fn sql(db: &DatabaseConnection, statement: &str) {
    sea_orm::ConnectionTrait::execute_unprepared(db, statement)
        .await
        .unwrap();
}

/// `status.rewards[]` of `code`.
fn item(status: &serde_json::Value, code: &str) -> serde_json::Value {
    status["rewards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == code)
        .unwrap_or_else(|| panic!("no status for reward {code}: {status}"))
        .clone()
}

/// Every `updated_at` of a catalog's rows: unchanged means nothing was written.
async fn stamps(db: &DatabaseConnection) -> Vec<String> {
    let mut out = vec![format!("{:?}", catalog_row(db, "privileges").await.updated_at)];
    for code in ["vip-lounge", "coffee-100", "parking-3h"] {
        out.push(format!("{code} {:?}", reward_row(db, code).await.updated_at));
    }
    out
}

/// Replaces the resource with `edit` applied, as `kubectl apply` of a changed file would.
async fn edit_catalog(api: &Api<RewardCatalog>, name: &str, edit: impl FnOnce(&mut RewardCatalog)) -> RewardCatalog {
    let mut c = api.get(name).await.unwrap();
    edit(&mut c);
    api.replace(name, &Default::default(), &c).await.unwrap()
}

fn reward_mut<'a>(c: &'a mut RewardCatalog, code: &str) -> &'a mut sbm_operator::crd::CatalogReward {
    c.spec.rewards.iter_mut().find(|r| r.code == code).unwrap()
}

#[tokio::test]
async fn a_reward_catalog_becomes_managed_rows_with_drift_repair_that_leaves_stock_alone() {
    let t = TestDb::new().await;
    let catalog = reward_catalog();
    let mut copy = catalog.clone();
    copy.metadata.name = Some("privileges-copy".into());
    stamp(&mut copy, "uid-copy", 60);
    let (c, d) = (catalog.clone(), copy);
    let client = cluster(&t.url, move |b| b.with_object(c).with_object(d)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let api: Api<RewardCatalog> = Api::namespaced(client.clone(), NS);

    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    let got = api.get("privileges").await.unwrap();
    assert!(got.finalizers().contains(&controller::FINALIZER.to_string()));
    let st = status_of(&got);
    assert_eq!(cond(&st, "Ready").0, "True", "{st}");
    assert_eq!(cond(&st, "RewardsSynced"), ("True".to_string(), "Synced".to_string()));
    let cat = catalog_row(&t.db, "privileges").await;
    assert_eq!(st["catalogId"], serde_json::json!(cat.id));
    assert!(cat.managed);
    assert_eq!(cat.managed_by_uid.as_deref(), Some("uid-privileges"));
    assert_eq!(cat.visibility, "tiers");
    for code in ["vip-lounge", "coffee-100", "parking-3h"] {
        let i = item(&st, code);
        assert_eq!(i["state"], "Synced", "{i}");
        let row = reward_row(&t.db, code).await;
        assert_eq!(i["rewardId"], serde_json::json!(row.id));
        assert_eq!(row.catalog_id, cat.id);
        assert!(row.managed && row.managed_by_uid.as_deref() == Some("uid-privileges"));
    }
    let vip = reward_row(&t.db, "vip-lounge").await;
    assert_eq!(
        (vip.stock_total, vip.reward_type.as_str()),
        (None, "privilege"),
        "unlimited"
    );
    let parking = reward_row(&t.db, "parking-3h").await;
    assert_eq!(
        (
            parking.limit_lifetime,
            parking.limit_per_period,
            parking.limit_period.as_deref()
        ),
        (Some(12), Some(1), Some("month"))
    );
    // The generated pool: `count` codes, reported; the codes are not in the resource.
    assert_eq!(item(&st, "coffee-100")["codesAvailable"], 500);
    let coffee_id = reward_row(&t.db, "coffee-100").await.id;
    let codes = |db: DatabaseConnection, id: String| async move {
        sbm_reward::domain::managed::count_codes(&db, &id, None, None)
            .await
            .unwrap()
    };
    assert_eq!(codes(t.db.clone(), coffee_id.clone()).await, 500);
    assert!(!st.to_string().contains("CAFE-"), "no code in the status: {st}");

    // The younger resource with the same catalog code conflicts and writes nothing.
    pass(api.get("privileges-copy").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("privileges-copy").await.unwrap());
    assert_eq!(cond(&st, "Conflict"), ("True".to_string(), "CodeClaimed".to_string()));
    assert_eq!(cond(&st, "Ready").0, "False");

    // A steady resync writes no row, generates no code and leaves the status as it is.
    let before = stamps(&t.db).await;
    let version = api.get("privileges").await.unwrap().resource_version();
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    assert_eq!(stamps(&t.db).await, before, "a steady pass wrote rows");
    assert_eq!(
        api.get("privileges").await.unwrap().resource_version(),
        version,
        "a steady pass rewrote the status"
    );
    assert_eq!(
        codes(t.db.clone(), coffee_id.clone()).await,
        500,
        "no code generated twice"
    );

    // A hand edit of configuration is put back; redemptions (stock_claimed) are the service's
    // and survive, and do not count as drift.
    sql(&t.db, "UPDATE rewards SET points_cost = 1 WHERE code = 'coffee-100'").await;
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    assert_eq!(reward_row(&t.db, "coffee-100").await.points_cost, 400);
    sql(
        &t.db,
        "UPDATE rewards SET stock_claimed = 120 WHERE code = 'coffee-100'",
    )
    .await;
    let before = stamps(&t.db).await;
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    let coffee = reward_row(&t.db, "coffee-100").await;
    assert_eq!((coffee.stock_claimed, coffee.stock_total), (120, Some(500)));
    assert_eq!(stamps(&t.db).await, before, "claimed stock is not drift");

    // Raising stockTotal raises the total; what is left grows by the difference.
    edit_catalog(&api, "privileges", |c| {
        reward_mut(c, "coffee-100").stock_total = Some(800)
    })
    .await;
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    let coffee = reward_row(&t.db, "coffee-100").await;
    assert_eq!((coffee.stock_claimed, coffee.stock_total), (120, Some(800)));
    let st = status_of(&api.get("privileges").await.unwrap());
    assert_eq!(item(&st, "coffee-100")["state"], "Synced");

    // Below what is claimed: that reward says so and keeps its row; the catalog stays Ready.
    edit_catalog(&api, "privileges", |c| {
        reward_mut(c, "coffee-100").stock_total = Some(100)
    })
    .await;
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("privileges").await.unwrap());
    assert_eq!(cond(&st, "Ready").0, "True", "{st}");
    assert_eq!(item(&st, "coffee-100")["state"], "StockBelowClaimed");
    assert_eq!(item(&st, "vip-lounge")["state"], "Synced");
    let (status, reason) = cond(&st, "RewardsSynced");
    assert_eq!((status.as_str(), reason.as_str()), ("False", "SomeRewardsFailed"));
    assert_eq!(reward_row(&t.db, "coffee-100").await.stock_total, Some(800));

    // A reward removed from the list is archived: the row stays (redemptions point at it).
    edit_catalog(&api, "privileges", |c| {
        c.spec.rewards.retain(|r| r.code != "parking-3h");
        reward_mut(c, "coffee-100").stock_total = Some(800);
    })
    .await;
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    let parking = reward_row(&t.db, "parking-3h").await;
    assert!(parking.deleted_at.is_some(), "archived");
    assert!(reward_row(&t.db, "vip-lounge").await.deleted_at.is_none());
    let st = status_of(&api.get("privileges").await.unwrap());
    assert_eq!(st["rewards"].as_array().unwrap().len(), 2, "{st}");
    assert_eq!(cond(&st, "RewardsSynced").0, "True");

    // An emptied list archives every reward and says so, steadily.
    edit_catalog(&api, "privileges", |c| c.spec.rewards.clear()).await;
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("privileges").await.unwrap());
    assert_eq!(st["rewards"], serde_json::json!([]), "{st}");
    assert!(reward_row(&t.db, "coffee-100").await.deleted_at.is_some());
    let version = api.get("privileges").await.unwrap().resource_version();
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    assert_eq!(api.get("privileges").await.unwrap().resource_version(), version);
}

#[tokio::test]
async fn one_invalid_reward_is_reported_while_the_others_are_written() {
    let t = TestDb::new().await;
    let mut catalog = reward_catalog();
    let mut bad = catalog.spec.rewards[0].clone();
    bad.code = "welcome-code".into();
    bad.code_mode = sbm_operator::crd::CodeMode::Static;
    bad.static_code = None;
    catalog.spec.rewards.push(bad);
    let mut negative = catalog.spec.rewards[0].clone();
    negative.code = "negative".into();
    negative.points_cost = -1;
    catalog.spec.rewards.push(negative);
    let c = catalog.clone();
    let client = cluster(&t.url, move |b| b.with_object(c)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let api: Api<RewardCatalog> = Api::namespaced(client.clone(), NS);
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("privileges").await.unwrap());
    assert_eq!(cond(&st, "Ready").0, "True", "{st}");
    let bad = item(&st, "welcome-code");
    assert_eq!(bad["state"], "Invalid");
    assert!(bad["message"].as_str().unwrap().contains("staticCode"), "{bad}");
    assert!(bad.get("rewardId").is_none());
    let negative = item(&st, "negative");
    assert_eq!(negative["state"], "Invalid");
    assert!(
        negative["message"].as_str().unwrap().contains("pointsCost"),
        "{negative}"
    );
    for code in ["vip-lounge", "coffee-100", "parking-3h"] {
        assert_eq!(item(&st, code)["state"], "Synced", "{code}");
    }
    let (status, reason) = cond(&st, "RewardsSynced");
    assert_eq!((status.as_str(), reason.as_str()), ("False", "SomeRewardsFailed"));
    let msg = st["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["type"] == "RewardsSynced")
        .unwrap()["message"]
        .to_string();
    assert!(msg.contains("welcome-code") && msg.contains("negative"), "{msg}");
}

#[tokio::test]
async fn a_catalog_says_when_its_tier_codes_name_a_missing_tier() {
    let t = TestDb::new().await;
    let mut catalog = reward_catalog();
    reward_mut(&mut catalog, "parking-3h").tier_codes = vec!["platinum".into()];
    let c = catalog.clone();
    let client = cluster(&t.url, move |b| b.with_object(c)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let api: Api<RewardCatalog> = Api::namespaced(client.clone(), NS);
    let references = |st: &serde_json::Value| {
        st["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["type"] == "ReferencesResolved")
            .unwrap()
            .clone()
    };
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("privileges").await.unwrap());
    assert_eq!(cond(&st, "Ready").0, "True", "the catalog is still written");
    assert_eq!(
        cond(&st, "ReferencesResolved"),
        ("False".to_string(), "TierNotFound".to_string())
    );
    let msg = references(&st)["message"].as_str().unwrap().to_string();
    assert!(
        msg.contains("gold") && msg.contains("silver") && msg.contains("platinum"),
        "{msg}"
    );
    // The ladder arrives: only the tier that really does not exist is left.
    let tapi: Api<Tier> = Api::namespaced(client.clone(), NS);
    for t in ladder() {
        tapi.create(&Default::default(), &t).await.unwrap();
    }
    pass(tapi.get("gold").await.unwrap(), &ctx).await.unwrap();
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("privileges").await.unwrap());
    let msg = references(&st)["message"].as_str().unwrap().to_string();
    assert!(msg.contains("platinum") && !msg.contains("gold"), "{msg}");
    edit_catalog(&api, "privileges", |c| reward_mut(c, "parking-3h").tier_codes.clear()).await;
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("privileges").await.unwrap());
    assert_eq!(
        cond(&st, "ReferencesResolved"),
        ("True".to_string(), "Resolved".to_string())
    );
}

#[tokio::test]
async fn a_pool_is_imported_from_a_secret_and_a_missing_secret_fails_that_reward_only() {
    let t = TestDb::new().await;
    let mut catalog = reward_catalog();
    reward_mut(&mut catalog, "coffee-100").codes = Some(sbm_operator::crd::RewardCodes {
        generate: None,
        secret_ref: Some(sbm_operator::crd::SecretKeyRef {
            name: "coffee-codes".into(),
            key: "codes".into(),
        }),
    });
    let c = catalog.clone();
    let client = cluster(&t.url, move |b| b.with_object(c)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let api: Api<RewardCatalog> = Api::namespaced(client.clone(), NS);
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("privileges").await.unwrap());
    assert_eq!(cond(&st, "Ready").0, "True", "{st}");
    let coffee = item(&st, "coffee-100");
    assert_eq!(coffee["state"], "CodesFailed");
    assert!(coffee["message"].as_str().unwrap().contains("coffee-codes"), "{coffee}");
    assert_eq!(coffee["codesAvailable"], 0);
    assert_eq!(item(&st, "vip-lounge")["state"], "Synced");
    let id = reward_row(&t.db, "coffee-100").await.id;
    assert_eq!(
        coffee["rewardId"],
        serde_json::json!(id),
        "the reward itself is written"
    );

    // The Secret arrives: its codes (one per line) become the pool, once.
    let secrets: Api<Secret> = Api::namespaced(client.clone(), NS);
    secrets
        .create(
            &Default::default(),
            &secret("coffee-codes", "codes", "CAFE-AAA111\nCAFE-BBB222\n\nCAFE-CCC333\n"),
        )
        .await
        .unwrap();
    for _ in 0..2 {
        pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    }
    let st = status_of(&api.get("privileges").await.unwrap());
    let coffee = item(&st, "coffee-100");
    assert_eq!(coffee["state"], "Synced", "{coffee}");
    assert_eq!(coffee["codesAvailable"], 3);
    let key_ref = sbm_operator::crd::SecretKeyRef {
        name: "coffee-codes".into(),
        key: "codes".into(),
    };
    let batch = sbm_operator::controller::secret_batch(&key_ref, "CAFE-AAA111\nCAFE-BBB222\n\nCAFE-CCC333\n");
    assert_eq!(
        sbm_reward::domain::managed::count_codes(&t.db, &id, Some("available"), Some(&batch))
            .await
            .unwrap(),
        3
    );
    // A rotated Secret with as many codes is new content: its codes join the pool.
    secrets
        .replace(
            "coffee-codes",
            &Default::default(),
            &secret("coffee-codes", "codes", "CAFE-DDD444\nCAFE-EEE555\nCAFE-FFF666\n"),
        )
        .await
        .unwrap();
    pass(api.get("privileges").await.unwrap(), &ctx).await.unwrap();
    let st = status_of(&api.get("privileges").await.unwrap());
    assert_eq!(item(&st, "coffee-100")["codesAvailable"], 6);
}

#[tokio::test]
async fn deleting_a_catalog_retains_its_rows_by_default_or_archives_them() {
    let t = TestDb::new().await;
    let retained = reward_catalog();
    let mut archived = reward_catalog();
    archived.metadata.name = Some("seasonal".into());
    archived.spec.code = "seasonal".into();
    archived.spec.deletion_policy = sbm_operator::crd::DeletionPolicy::Delete;
    for r in archived.spec.rewards.iter_mut() {
        r.code = format!("seasonal-{}", r.code);
        r.codes = None;
        r.code_mode = sbm_operator::crd::CodeMode::None;
    }
    stamp(&mut archived, "uid-seasonal", 300);
    let (a, b) = (retained.clone(), archived.clone());
    let client = cluster(&t.url, move |bld| bld.with_object(a).with_object(b)).await;
    let ctx = Context::from_lists(client.clone()).await.unwrap();
    let api: Api<RewardCatalog> = Api::namespaced(client.clone(), NS);
    for name in ["privileges", "seasonal"] {
        pass(api.get(name).await.unwrap(), &ctx).await.unwrap();
        let st = status_of(&api.get(name).await.unwrap());
        assert_eq!(cond(&st, "Ready").0, "True", "{name}: {st}");
    }
    for name in ["privileges", "seasonal"] {
        let mut deleting = api.get(name).await.unwrap();
        deleting.metadata.deletion_timestamp = Some(Time(k8s_openapi::jiff::Timestamp::now()));
        pass(deleting, &ctx).await.unwrap();
        assert!(
            !api.get(name)
                .await
                .unwrap()
                .finalizers()
                .contains(&controller::FINALIZER.to_string())
        );
    }
    // Retain: the rows stay, live, handed back to the API.
    let cat = catalog_row(&t.db, "privileges").await;
    assert!(cat.deleted_at.is_none() && !cat.managed && cat.managed_by_uid.is_none());
    let r = reward_row(&t.db, "coffee-100").await;
    assert!(r.deleted_at.is_none() && !r.managed && r.managed_by_uid.is_none());
    // Delete: archived (soft delete), never removed.
    let cat = catalog_row(&t.db, "seasonal").await;
    assert!(cat.deleted_at.is_some());
    for code in ["seasonal-vip-lounge", "seasonal-coffee-100", "seasonal-parking-3h"] {
        assert!(reward_row(&t.db, code).await.deleted_at.is_some(), "{code}");
    }
}
