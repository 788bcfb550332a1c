//! The custom resources (group `sbmcrm.io`, version `v1alpha1`, namespaced). Their CRD YAML is
//! generated from these types (`sbm-operator crdgen`), never written by hand.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ResourceRequirements;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Condition;
use kube::CustomResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The services a platform can run.
pub const SERVICES: [&str; 5] = ["auth", "point", "reward", "cluster", "notification"];

/// Which platform a resource belongs to: a `CrmPlatform` in the same namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlatformRef {
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
}

/// What happens to the database row when the resource is deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum DeletionPolicy {
    /// Remove the row (an API key is revoked).
    #[default]
    Delete,
    /// Leave the row, no longer managed.
    Retain,
}

/// A key of a Secret in the resource's namespace.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecretKeyRef {
    pub name: String,
    pub key: String,
}

/// Status shared by every resource.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CommonStatus {
    /// The generation the conditions describe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// `Ready`, `Synced` and, where a business key is claimed twice, `Conflict`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

/// One service of a platform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSpec {
    #[serde(default = "one")]
    #[schemars(range(min = 0, max = 100))]
    pub replicas: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
}

fn one() -> i32 {
    1
}

/// Rate-limit defaults for the platform (the seed's plans unless changed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RateLimits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub standard_per_hour: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub premium_per_hour: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub token_per_hour: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub anonymous_per_hour: Option<i64>,
    /// `open` (fall back to per-replica limits) or `closed` (503).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^(open|closed)$"))]
    pub on_redis_failure: Option<String>,
}

/// JWT keys: a Secret with the signing key and, during a rotation, the previous public keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct JwtKeys {
    pub secret_name: String,
    /// Key of the Ed25519 signing key (PKCS#8 PEM) in the Secret.
    #[serde(default = "signing_key")]
    pub signing_key: String,
    /// Keys of older keys still accepted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verify_keys: Vec<String>,
}

fn signing_key() -> String {
    "signing.pem".into()
}

/// An Ingress routing `/{service}/api` to each service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct IngressSpec {
    pub host: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_secret_name: Option<String>,
}

/// A running SBM CRM platform: the services, their image, and where their data lives.
#[derive(CustomResource, Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[kube(
    group = "sbmcrm.io",
    version = "v1alpha1",
    kind = "CrmPlatform",
    namespaced,
    derive = "Default",
    status = "CrmPlatformStatus",
    shortname = "crm",
    printcolumn = r#"{"name":"Tag","type":"string","jsonPath":".spec.tag"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {"rule": "self.services.all(s, s in ['auth', 'point', 'reward', 'cluster', 'notification'])",
     "message": "services are auth, point, reward, cluster and notification"},
    {"rule": "size(self.services) > 0", "message": "name at least one service"}
]))]
pub struct CrmPlatformSpec {
    /// Image repository of `sbm-crm`.
    #[schemars(length(min = 1))]
    pub image: String,
    #[schemars(length(min = 1))]
    pub tag: String,
    /// Services to run, by name, each with its replicas and resources.
    pub services: BTreeMap<String, ServiceSpec>,
    /// Secret key holding the PostgreSQL URL.
    pub database: SecretKeyRef,
    /// Secret key holding the Redis URL (without it, rate limits are per replica).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redis: Option<SecretKeyRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<JwtKeys>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limits: Option<RateLimits>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ingress: Option<IngressSpec>,
}

/// Readiness of one service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceStatus {
    pub replicas: i32,
    pub ready_replicas: i32,
}

/// Status of a platform.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CrmPlatformStatus {
    #[serde(flatten)]
    pub common: CommonStatus,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub services: BTreeMap<String, ServiceStatus>,
    /// The image tag whose migrations have been applied (its Job may since be collected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrated_tag: Option<String>,
}

/// API-key plans.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    #[default]
    Standard,
    Premium,
    Enterprise,
}

/// An API key for an integration. The key is generated once and kept only in the owned
/// Secret `<name>-api-key`; the platform's database holds its hash.
#[derive(CustomResource, Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[kube(
    group = "sbmcrm.io",
    version = "v1alpha1",
    kind = "ApiKey",
    namespaced,
    derive = "Default",
    status = "ApiKeyStatus",
    shortname = "sbmkey",
    printcolumn = r#"{"name":"Plan","type":"string","jsonPath":".spec.plan"}"#,
    printcolumn = r#"{"name":"Prefix","type":"string","jsonPath":".status.prefix"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {"rule": "self.plan == 'enterprise' ? has(self.rateLimitPerHour) : !has(self.rateLimitPerHour)",
     "message": "rateLimitPerHour is required for the enterprise plan and refused for the others"},
    {"rule": "self.platformRef == oldSelf.platformRef",
     "message": "platformRef is immutable: create the ApiKey in the other platform"}
]))]
pub struct ApiKeySpec {
    pub platform_ref: PlatformRef,
    #[schemars(length(min = 1, max = 100))]
    pub display_name: String,
    /// Any of `members:read`, `members:write`, `members:delete`, `points:read`, `points:write`.
    #[schemars(
        length(min = 1),
        inner(regex(pattern = r"^(members:(read|write|delete)|points:(read|write))$"))
    )]
    pub scopes: Vec<String>,
    pub plan: Plan,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 10000000))]
    pub rate_limit_per_hour: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub deletion_policy: DeletionPolicy,
}

/// Status of an API key. Never the key itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyStatus {
    #[serde(flatten)]
    pub common: CommonStatus,
    /// The key's id in the platform's database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// The key's first characters, to recognise it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// The Secret holding the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_name: Option<String>,
    /// The last `sbmcrm.io/rotate` annotation value acted on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_rotation: Option<String>,
}

/// A point rule of a platform; `rule` is the point service's own rule model.
#[derive(CustomResource, Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[kube(
    group = "sbmcrm.io",
    version = "v1alpha1",
    kind = "PointRule",
    namespaced,
    derive = "Default",
    status = "PointRuleStatus",
    shortname = "prule",
    printcolumn = r#"{"name":"Code","type":"string","jsonPath":".spec.rule.code"}"#,
    printcolumn = r#"{"name":"Kind","type":"string","jsonPath":".spec.rule.kind"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {"rule": "self.rule.code == oldSelf.rule.code",
     "message": "rule.code is immutable: create a new PointRule for a new code"},
    {"rule": "self.platformRef == oldSelf.platformRef",
     "message": "platformRef is immutable: create the PointRule in the other platform"}
]))]
pub struct PointRuleSpec {
    pub platform_ref: PlatformRef,
    pub rule: sbm_point::domain::rules::RuleSpec,
    #[serde(default)]
    pub deletion_policy: DeletionPolicy,
}

/// Status of a point rule.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PointRuleStatus {
    #[serde(flatten)]
    pub common: CommonStatus,
    /// The rule's id in the platform's database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
}
