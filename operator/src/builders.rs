//! Pure functions from a `CrmPlatform` to the Kubernetes objects it is made of. No client, so
//! every object is unit-tested.

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::batch::v1::{Job, JobSpec};
use k8s_openapi::api::core::v1::{
    Capabilities, ConfigMap, ConfigMapEnvSource, Container, ContainerPort, EnvFromSource, EnvVar, EnvVarSource,
    HTTPGetAction, Lifecycle, LifecycleHandler, PodSecurityContext, PodSpec, PodTemplateSpec, Probe,
    ResourceRequirements, Secret, SecretKeySelector, SecretVolumeSource, SecurityContext, Service, ServicePort,
    ServiceSpec as K8sServiceSpec, SleepAction, TopologySpreadConstraint, Volume, VolumeMount,
};
use k8s_openapi::api::networking::v1::{
    HTTPIngressPath, HTTPIngressRuleValue, Ingress, IngressBackend, IngressRule, IngressServiceBackend,
    IngressSpec as K8sIngressSpec, IngressTLS, ServiceBackendPort,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta, OwnerReference};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kube::{Resource, ResourceExt};

use crate::crd::{CrmPlatform, JwtKeys};

/// Label naming the platform an object belongs to.
pub const PLATFORM_LABEL: &str = "sbmcrm.io/platform";
/// Label naming the service an object runs.
pub const SERVICE_LABEL: &str = "sbmcrm.io/service";
/// The port every service listens on.
pub const PORT: i32 = 8080;
/// The port `/metrics` is served on (not the public one, which the Service exposes).
pub const METRICS_PORT: i32 = 9090;
const JWT_DIR: &str = "/etc/sbm/jwt";
/// Annotation on each pod template: a digest of the configuration and of the referenced
/// Secrets' versions, so that a change to either rolls the pods.
pub const CONFIG_HASH_ANNOTATION: &str = "sbmcrm.io/config-hash";
/// Seconds a pod waits after it is told to stop before the server gets SIGTERM, so that
/// endpoints stop sending it requests first.
pub const PRE_STOP_SECONDS: i64 = 5;
/// How long a migration Job may run, and how long a finished one is kept.
pub const MIGRATION_DEADLINE_SECONDS: i64 = 900;
pub const MIGRATION_TTL_SECONDS: i32 = 86_400;

/// The platform's JWT keys: `spec.jwt`, or the Secret the operator generates for it
/// (`<name>-jwt`, key `signing.pem`), shared by every pod.
pub fn jwt_keys(p: &CrmPlatform) -> JwtKeys {
    p.spec.jwt.clone().unwrap_or_else(|| JwtKeys {
        secret_name: generated_jwt_secret_name(p),
        signing_key: "signing.pem".into(),
        verify_keys: Vec::new(),
    })
}

/// Name of the signing-key Secret the operator generates when `spec.jwt` is not set.
pub fn generated_jwt_secret_name(p: &CrmPlatform) -> String {
    format!("{}-jwt", p.name_any())
}

/// The Secrets a platform names, as `(name, key)`: the database, Redis and, when set, the JWT
/// keys (the signing key and each verify key).
pub fn referenced_secrets(p: &CrmPlatform) -> Vec<(String, String)> {
    let mut out = vec![(p.spec.database.name.clone(), p.spec.database.key.clone())];
    if let Some(r) = &p.spec.redis {
        out.push((r.name.clone(), r.key.clone()));
    }
    let j = jwt_keys(p);
    out.push((j.secret_name.clone(), j.signing_key.clone()));
    for k in &j.verify_keys {
        out.push((j.secret_name.clone(), k.clone()));
    }
    out
}

/// FNV-1a, 64 bits: a change detector for [`config_hash`], not a security measure.
fn fnv(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100000001b3))
}

/// The digest [`CONFIG_HASH_ANNOTATION`] carries: the ConfigMap's data and each referenced
/// Secret's `(name, resourceVersion)`.
pub fn config_hash(config: &ConfigMap, secret_versions: &[(String, String)]) -> String {
    let mut h = 0xcbf29ce484222325u64;
    for (k, v) in config.data.iter().flatten() {
        h = fnv(fnv(fnv(h, k.as_bytes()), b"="), v.as_bytes());
        h = fnv(h, b"\n");
    }
    for (name, version) in secret_versions {
        h = fnv(fnv(fnv(h, name.as_bytes()), b"@"), version.as_bytes());
        h = fnv(h, b"\n");
    }
    format!("{h:016x}")
}

fn labels(p: &CrmPlatform, service: Option<&str>) -> BTreeMap<String, String> {
    let mut l = BTreeMap::from([
        ("app.kubernetes.io/name".to_string(), "sbm-crm".to_string()),
        ("app.kubernetes.io/instance".to_string(), p.name_any()),
        ("app.kubernetes.io/managed-by".to_string(), "sbm-operator".to_string()),
        (PLATFORM_LABEL.to_string(), p.name_any()),
    ]);
    if let Some(s) = service {
        l.insert(SERVICE_LABEL.to_string(), s.to_string());
        l.insert("app.kubernetes.io/component".to_string(), s.to_string());
    }
    l
}

/// The owner reference that lets Kubernetes collect a platform's objects with it.
pub fn owner(p: &CrmPlatform) -> OwnerReference {
    p.controller_owner_ref(&())
        .expect("a platform read from the API has a uid")
}

fn meta(p: &CrmPlatform, name: String, service: Option<&str>) -> ObjectMeta {
    ObjectMeta {
        name: Some(name),
        namespace: p.namespace(),
        labels: Some(labels(p, service)),
        owner_references: Some(vec![owner(p)]),
        ..Default::default()
    }
}

/// A Secret the operator makes and owns (through `owner`, so it goes with it): one key with a
/// generated value (an API key, a JWT signing key).
pub fn owned_secret(name: &str, namespace: &str, owner: OwnerReference, key: &str, value: String) -> Secret {
    Secret {
        metadata: ObjectMeta {
            name: Some(name.to_string()),
            namespace: Some(namespace.to_string()),
            owner_references: Some(vec![owner]),
            labels: Some(BTreeMap::from([(
                "app.kubernetes.io/managed-by".to_string(),
                "sbm-operator".to_string(),
            )])),
            ..Default::default()
        },
        type_: Some("Opaque".into()),
        data: Some(BTreeMap::from([(key.to_string(), ByteString(value.into_bytes()))])),
        ..Default::default()
    }
}

/// Name of the ConfigMap shared by the services.
pub fn config_name(p: &CrmPlatform) -> String {
    format!("{}-config", p.name_any())
}

/// Name of a service's Deployment and Service.
pub fn service_name(p: &CrmPlatform, service: &str) -> String {
    format!("{}-{service}", p.name_any())
}

/// Name of the migration Job for the platform's current image: a new tag, a new Job.
pub fn migration_job_name(p: &CrmPlatform) -> String {
    let digest: u32 = p
        .spec
        .tag
        .bytes()
        .fold(2166136261u32, |h, b| (h ^ b as u32).wrapping_mul(16777619));
    format!("{}-migrate-{digest:08x}", p.name_any())
}

/// Settings every service reads (never secrets: those come from Secrets).
pub fn config_map(p: &CrmPlatform) -> ConfigMap {
    let mut data = BTreeMap::from([
        ("SBM_LISTEN".to_string(), format!("0.0.0.0:{PORT}")),
        ("SBM_METRICS_LISTEN".to_string(), format!("0.0.0.0:{METRICS_PORT}")),
        ("SBM_LOG_FORMAT".to_string(), "json".to_string()),
        ("SBM_MIGRATE_ON_START".to_string(), "false".to_string()),
        ("SBM_DATA_DIR".to_string(), "/tmp/sbm".to_string()),
    ]);
    if let Some(r) = &p.spec.rate_limits {
        for (k, v) in [
            ("SBM_RATE_LIMIT_STANDARD_PER_HOUR", r.standard_per_hour),
            ("SBM_RATE_LIMIT_PREMIUM_PER_HOUR", r.premium_per_hour),
            ("SBM_RATE_LIMIT_TOKEN_PER_HOUR", r.token_per_hour),
            ("SBM_RATE_LIMIT_ANONYMOUS_PER_HOUR", r.anonymous_per_hour),
        ] {
            if let Some(v) = v {
                data.insert(k.to_string(), v.to_string());
            }
        }
        if let Some(m) = &r.on_redis_failure {
            data.insert("SBM_RATE_LIMIT_ON_REDIS_FAILURE".to_string(), m.clone());
        }
    }
    if let Some(url) = &p.spec.password_reset_url {
        data.insert("SBM_PASSWORD_RESET_URL".to_string(), url.clone());
    }
    if let Some(origins) = p.spec.cors_allowed_origins.as_ref().filter(|o| !o.is_empty()) {
        data.insert("SBM_CORS_ALLOWED_ORIGINS".to_string(), origins.join(","));
    }
    let j = jwt_keys(p);
    data.insert(
        "SBM_JWT_SIGNING_KEY_FILE".to_string(),
        format!("{JWT_DIR}/{}", j.signing_key),
    );
    if !j.verify_keys.is_empty() {
        let files: Vec<String> = j.verify_keys.iter().map(|k| format!("{JWT_DIR}/{k}")).collect();
        data.insert("SBM_JWT_VERIFY_KEY_FILES".to_string(), files.join(","));
    }
    ConfigMap {
        metadata: meta(p, config_name(p), None),
        data: Some(data),
        ..Default::default()
    }
}

fn secret_env(name: &str, secret: &crate::crd::SecretKeyRef) -> EnvVar {
    EnvVar {
        name: name.to_string(),
        value_from: Some(EnvVarSource {
            secret_key_ref: Some(SecretKeySelector {
                name: secret.name.clone(),
                key: secret.key.clone(),
                optional: Some(false),
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn container(p: &CrmPlatform, name: &str, args: Vec<String>) -> Container {
    let mut env = vec![secret_env("SBM_DATABASE_URL", &p.spec.database)];
    if let Some(r) = &p.spec.redis {
        env.push(secret_env("SBM_REDIS_URL", r));
    }
    let mounts = vec![
        VolumeMount {
            name: "tmp".into(),
            mount_path: "/tmp".into(),
            ..Default::default()
        },
        VolumeMount {
            name: "jwt".into(),
            mount_path: JWT_DIR.into(),
            read_only: Some(true),
            ..Default::default()
        },
    ];
    Container {
        name: name.to_string(),
        image: Some(format!("{}:{}", p.spec.image, p.spec.tag)),
        args: Some(args),
        env: Some(env),
        env_from: Some(vec![EnvFromSource {
            config_map_ref: Some(ConfigMapEnvSource {
                name: config_name(p),
                optional: Some(false),
            }),
            ..Default::default()
        }]),
        volume_mounts: Some(mounts),
        security_context: Some(SecurityContext {
            run_as_non_root: Some(true),
            allow_privilege_escalation: Some(false),
            read_only_root_filesystem: Some(true),
            capabilities: Some(Capabilities {
                drop: Some(vec!["ALL".into()]),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn pod_spec(p: &CrmPlatform, containers: Vec<Container>, restart: Option<&str>) -> PodSpec {
    let volumes = vec![
        Volume {
            name: "tmp".into(),
            empty_dir: Some(Default::default()),
            ..Default::default()
        },
        Volume {
            name: "jwt".into(),
            secret: Some(SecretVolumeSource {
                secret_name: Some(jwt_keys(p).secret_name),
                ..Default::default()
            }),
            ..Default::default()
        },
    ];
    PodSpec {
        containers,
        volumes: Some(volumes),
        restart_policy: restart.map(str::to_string),
        security_context: Some(PodSecurityContext {
            run_as_non_root: Some(true),
            run_as_user: Some(65532),
            run_as_group: Some(65532),
            seccomp_profile: Some(k8s_openapi::api::core::v1::SeccompProfile {
                type_: "RuntimeDefault".into(),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The Job that applies migrations before any service of this image runs.
pub fn migration_job(p: &CrmPlatform) -> Job {
    let c = container(p, "migrate", vec!["migrate".into()]);
    Job {
        metadata: meta(p, migration_job_name(p), None),
        spec: Some(JobSpec {
            backoff_limit: Some(6),
            // A Job that hangs (a lock never released) fails instead of "Migrating" forever;
            // a finished one is collected after a day (the platform's status keeps the tag).
            active_deadline_seconds: Some(MIGRATION_DEADLINE_SECONDS),
            ttl_seconds_after_finished: Some(MIGRATION_TTL_SECONDS),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels(p, None)),
                    ..Default::default()
                }),
                spec: Some(pod_spec(p, vec![c], Some("OnFailure"))),
            },
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn probe(path: &str, initial: i32) -> Probe {
    Probe {
        http_get: Some(HTTPGetAction {
            path: Some(path.into()),
            port: IntOrString::Int(PORT),
            ..Default::default()
        }),
        initial_delay_seconds: Some(initial),
        period_seconds: Some(10),
        timeout_seconds: Some(3),
        failure_threshold: Some(3),
        ..Default::default()
    }
}

fn selector(p: &CrmPlatform, service: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (PLATFORM_LABEL.to_string(), p.name_any()),
        (SERVICE_LABEL.to_string(), service.to_string()),
    ])
}

/// Requests for a service that names none: enough for the scheduler to spread and place it.
fn default_resources() -> ResourceRequirements {
    ResourceRequirements {
        requests: Some(BTreeMap::from([
            ("cpu".to_string(), Quantity("100m".into())),
            ("memory".to_string(), Quantity("128Mi".into())),
        ])),
        ..Default::default()
    }
}

/// One Deployment per enabled service, running `sbm-crm serve --services <name>`; the pod
/// template carries `config_hash` ([`config_hash`]), so a configuration change rolls it.
pub fn deployment(p: &CrmPlatform, service: &str, config_hash: &str) -> Deployment {
    let spec = &p.spec.services[service];
    let mut c = container(p, service, vec!["serve".into(), "--services".into(), service.into()]);
    c.ports = Some(vec![
        ContainerPort {
            name: Some("http".into()),
            container_port: PORT,
            ..Default::default()
        },
        ContainerPort {
            name: Some("metrics".into()),
            container_port: METRICS_PORT,
            ..Default::default()
        },
    ]);
    c.liveness_probe = Some(probe("/healthz", 5));
    c.readiness_probe = Some(probe("/readyz", 2));
    c.resources = Some(spec.resources.clone().unwrap_or_else(default_resources));
    // The endpoints controller takes the pod out of rotation while it sleeps; then the
    // server's own drain (readyz 503) and grace follow SIGTERM.
    c.lifecycle = Some(Lifecycle {
        pre_stop: Some(LifecycleHandler {
            sleep: Some(SleepAction {
                seconds: PRE_STOP_SECONDS,
            }),
            ..Default::default()
        }),
        ..Default::default()
    });
    let mut pod = pod_spec(p, vec![c], None);
    // preStop, then the server's drain (5 s) and grace (20 s), with room to spare.
    pod.termination_grace_period_seconds = Some(PRE_STOP_SECONDS + 5 + 20 + 10);
    pod.topology_spread_constraints = Some(
        ["kubernetes.io/hostname", "topology.kubernetes.io/zone"]
            .into_iter()
            .map(|key| TopologySpreadConstraint {
                max_skew: 1,
                topology_key: key.into(),
                when_unsatisfiable: "ScheduleAnyway".into(),
                label_selector: Some(LabelSelector {
                    match_labels: Some(selector(p, service)),
                    ..Default::default()
                }),
                ..Default::default()
            })
            .collect(),
    );
    Deployment {
        metadata: meta(p, service_name(p, service), Some(service)),
        spec: Some(DeploymentSpec {
            replicas: Some(spec.replicas),
            selector: LabelSelector {
                match_labels: Some(selector(p, service)),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels(p, Some(service))),
                    annotations: Some(BTreeMap::from([(
                        CONFIG_HASH_ANNOTATION.to_string(),
                        config_hash.to_string(),
                    )])),
                    ..Default::default()
                }),
                spec: Some(pod),
            },
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// One PodDisruptionBudget per service: a drain takes at most one of its pods at a time.
pub fn disruption_budget(p: &CrmPlatform, service: &str) -> PodDisruptionBudget {
    PodDisruptionBudget {
        metadata: meta(p, service_name(p, service), Some(service)),
        spec: Some(PodDisruptionBudgetSpec {
            max_unavailable: Some(IntOrString::Int(1)),
            selector: Some(LabelSelector {
                match_labels: Some(selector(p, service)),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// One Service per enabled service, port 80 to the container's 8080.
pub fn service(p: &CrmPlatform, service: &str) -> Service {
    let selector = selector(p, service);
    Service {
        metadata: meta(p, service_name(p, service), Some(service)),
        spec: Some(K8sServiceSpec {
            selector: Some(selector),
            ports: Some(vec![ServicePort {
                name: Some("http".into()),
                port: 80,
                target_port: Some(IntOrString::Int(PORT)),
                ..Default::default()
            }]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The Ingress routing `/{service}/api` to each service, when the platform asks for one.
pub fn ingress(p: &CrmPlatform) -> Option<Ingress> {
    let spec = p.spec.ingress.as_ref()?;
    let paths = p
        .spec
        .services
        .keys()
        .map(|s| HTTPIngressPath {
            path: Some(format!("/{s}/api")),
            path_type: "Prefix".into(),
            backend: IngressBackend {
                service: Some(IngressServiceBackend {
                    name: service_name(p, s),
                    port: Some(ServiceBackendPort {
                        number: Some(80),
                        ..Default::default()
                    }),
                }),
                ..Default::default()
            },
        })
        .collect();
    Some(Ingress {
        metadata: meta(p, p.name_any(), None),
        spec: Some(K8sIngressSpec {
            ingress_class_name: spec.class_name.clone(),
            rules: Some(vec![IngressRule {
                host: Some(spec.host.clone()),
                http: Some(HTTPIngressRuleValue { paths }),
            }]),
            tls: spec.tls_secret_name.as_ref().map(|s| {
                vec![IngressTLS {
                    hosts: Some(vec![spec.host.clone()]),
                    secret_name: Some(s.clone()),
                }]
            }),
            ..Default::default()
        }),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn platform() -> CrmPlatform {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/platform.yaml")).unwrap();
        let mut p: CrmPlatform = serde_yaml::from_str(&text).unwrap();
        p.metadata.uid = Some("uid-1".into());
        p
    }

    #[test]
    fn deployments_run_one_service_each_non_root_with_probes() {
        let p = platform();
        let d = deployment(&p, "point", "h1");
        assert_eq!(d.metadata.name.as_deref(), Some("crm-point"));
        assert_eq!(d.metadata.namespace.as_deref(), Some("loyalty"));
        assert_eq!(d.metadata.owner_references.as_ref().unwrap()[0].uid, "uid-1");
        let spec = d.spec.unwrap();
        assert_eq!(spec.replicas, Some(3));
        let pod = spec.template.spec.unwrap();
        let c = &pod.containers[0];
        assert_eq!(c.image.as_deref(), Some("ghcr.io/sbmcrm/sbm-crm:0.1.0"));
        assert_eq!(c.args.as_ref().unwrap(), &["serve", "--services", "point"]);
        assert_eq!(
            c.liveness_probe
                .as_ref()
                .unwrap()
                .http_get
                .as_ref()
                .unwrap()
                .path
                .as_deref(),
            Some("/healthz")
        );
        assert_eq!(
            c.readiness_probe
                .as_ref()
                .unwrap()
                .http_get
                .as_ref()
                .unwrap()
                .path
                .as_deref(),
            Some("/readyz")
        );
        assert_eq!(pod.security_context.as_ref().unwrap().run_as_non_root, Some(true));
        assert_eq!(
            c.security_context.as_ref().unwrap().read_only_root_filesystem,
            Some(true)
        );
        let env: Vec<&str> = c.env.as_ref().unwrap().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(env, vec!["SBM_DATABASE_URL", "SBM_REDIS_URL"]);
        assert!(
            c.env.as_ref().unwrap().iter().all(|e| e.value.is_none()),
            "secrets come from Secrets, never inline"
        );
        let auth = deployment(&p, "auth", "h1");
        assert!(
            auth.spec.unwrap().template.spec.unwrap().containers[0]
                .resources
                .is_some()
        );
        let selector = deployment(&p, "auth", "h1")
            .spec
            .unwrap()
            .selector
            .match_labels
            .unwrap();
        assert_eq!(selector[SERVICE_LABEL], "auth");
        // Every pod drains safely: a budget, a preStop pause, a spread, default requests.
        let pod = deployment(&p, "point", "h1").spec.unwrap().template.spec.unwrap();
        assert_eq!(
            pod.containers[0]
                .lifecycle
                .as_ref()
                .unwrap()
                .pre_stop
                .as_ref()
                .unwrap()
                .sleep
                .as_ref()
                .unwrap()
                .seconds,
            PRE_STOP_SECONDS
        );
        assert!(pod.termination_grace_period_seconds.unwrap() > PRE_STOP_SECONDS + 25);
        assert_eq!(pod.topology_spread_constraints.unwrap().len(), 2);
        let requests = pod.containers[0].resources.clone().unwrap().requests.unwrap();
        assert_eq!(requests["cpu"].0, "100m");
        let pdb = disruption_budget(&p, "point").spec.unwrap();
        assert_eq!(pdb.max_unavailable, Some(IntOrString::Int(1)));
        assert_eq!(pdb.selector.unwrap().match_labels.unwrap()[SERVICE_LABEL], "point");
    }

    #[test]
    fn a_change_of_configuration_or_of_a_secret_rolls_the_pods() {
        let p = platform();
        let cm = config_map(&p);
        let secrets = vec![("crm-database".to_string(), "41".to_string())];
        let base = config_hash(&cm, &secrets);
        assert_eq!(base, config_hash(&cm, &secrets), "stable");
        let mut changed = p.clone();
        changed.spec.rate_limits.as_mut().unwrap().token_per_hour = Some(6000);
        assert_ne!(config_hash(&config_map(&changed), &secrets), base);
        let rotated = vec![("crm-database".to_string(), "42".to_string())];
        assert_ne!(config_hash(&cm, &rotated), base, "a new Secret version");
        let annotations = |h: &str| {
            deployment(&p, "auth", h)
                .spec
                .unwrap()
                .template
                .metadata
                .unwrap()
                .annotations
                .unwrap()[CONFIG_HASH_ANNOTATION]
                .clone()
        };
        assert_eq!(annotations(&base), base);
    }

    #[test]
    fn without_spec_jwt_every_pod_mounts_the_one_generated_key() {
        let mut p = platform();
        p.spec.jwt = None;
        assert_eq!(jwt_keys(&p).secret_name, "crm-jwt");
        let pod = deployment(&p, "auth", "h").spec.unwrap().template.spec.unwrap();
        let jwt = pod.volumes.unwrap().into_iter().find(|v| v.name == "jwt").unwrap();
        assert_eq!(jwt.secret.unwrap().secret_name.as_deref(), Some("crm-jwt"));
        assert_eq!(
            config_map(&p).data.unwrap()["SBM_JWT_SIGNING_KEY_FILE"],
            "/etc/sbm/jwt/signing.pem"
        );
    }

    #[test]
    fn config_services_ingress_and_migrations() {
        let p = platform();
        let job = migration_job(&p).spec.unwrap();
        assert_eq!(job.active_deadline_seconds, Some(MIGRATION_DEADLINE_SECONDS));
        assert!(job.ttl_seconds_after_finished.is_some());
        let cm = config_map(&p).data.unwrap();
        assert_eq!(cm["SBM_RATE_LIMIT_TOKEN_PER_HOUR"], "5000");
        assert_eq!(cm["SBM_JWT_SIGNING_KEY_FILE"], "/etc/sbm/jwt/signing.pem");
        assert_eq!(cm["SBM_MIGRATE_ON_START"], "false");
        assert_eq!(
            cm["SBM_PASSWORD_RESET_URL"],
            "https://backoffice.loyalty.example.com/reset-password"
        );
        assert!(!cm.contains_key("SBM_DATABASE_URL"));
        let s = service(&p, "auth").spec.unwrap();
        assert_eq!(s.ports.unwrap()[0].target_port, Some(IntOrString::Int(8080)));
        let ing = ingress(&p).unwrap().spec.unwrap();
        let paths: Vec<String> = ing.rules.unwrap()[0]
            .http
            .as_ref()
            .unwrap()
            .paths
            .iter()
            .map(|x| x.path.clone().unwrap())
            .collect();
        assert_eq!(paths, vec!["/auth/api", "/point/api"]);
        assert_eq!(ing.tls.unwrap()[0].secret_name.as_deref(), Some("api-loyalty-tls"));
        let job = migration_job(&p);
        assert_eq!(
            job.spec.as_ref().unwrap().template.spec.as_ref().unwrap().containers[0]
                .args
                .as_ref()
                .unwrap(),
            &["migrate"]
        );
        let mut newer = p.clone();
        newer.spec.tag = "0.2.0".into();
        assert_ne!(
            migration_job_name(&p),
            migration_job_name(&newer),
            "a new image runs its own migration Job"
        );
        let mut no_ingress = p.clone();
        no_ingress.spec.ingress = None;
        assert!(ingress(&no_ingress).is_none());
    }
}
