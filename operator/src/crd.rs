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
    /// The back-office page a staff password reset mail links to (`?token=` is added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(r"^https?://"))]
    pub password_reset_url: Option<String>,
    /// Origins whose pages may call the API from a browser, e.g. a member portal
    /// (`https://members.example.com`); none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cors_allowed_origins: Option<Vec<String>>,
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

/// Text in the platform's languages: `en` is required, `th` and `cn` fall back to it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalizedText {
    #[schemars(length(min = 1, max = 2000))]
    pub en: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(length(max = 2000))]
    pub th: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[schemars(length(max = 2000))]
    pub cn: String,
}

/// A perk of a tier.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TierBenefit {
    pub name: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LocalizedText>,
}

fn retain() -> DeletionPolicy {
    DeletionPolicy::Retain
}

fn yes() -> bool {
    true
}

/// A tier of a platform's ladder. The ladder is checked as a set: while the `Tier` resources of
/// a platform (with the tiers managed through the API) break a ladder rule, none of them is
/// written and each reports `Ready=False` with reason `LadderInvalid`, so a half-applied GitOps
/// change never reaches the database.
#[derive(CustomResource, Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[kube(
    group = "sbmcrm.io",
    version = "v1alpha1",
    kind = "Tier",
    namespaced,
    derive = "Default",
    status = "TierStatus",
    shortname = "sbmtier",
    printcolumn = r#"{"name":"Code","type":"string","jsonPath":".spec.code"}"#,
    printcolumn = r#"{"name":"Rank","type":"integer","jsonPath":".spec.rank"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Reason","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].reason"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {"rule": "self.code == oldSelf.code",
     "message": "code is immutable: point rules and members refer to it; create a new Tier"},
    {"rule": "self.platformRef == oldSelf.platformRef",
     "message": "platformRef is immutable: create the Tier in the other platform"}
]))]
pub struct TierSpec {
    pub platform_ref: PlatformRef,
    /// What point rules' `tierMultipliers` key on.
    #[schemars(regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub code: String,
    pub name: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LocalizedText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 2048))]
    pub image_url: Option<String>,
    /// Position on the ladder, higher is better; unique per platform.
    #[schemars(range(min = 0, max = 1000000))]
    pub rank: i32,
    pub qualification: sbm_cluster::domain::tiers::Qualification,
    /// None: the tier is kept once reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<sbm_cluster::domain::tiers::Retention>,
    #[serde(default)]
    pub downgrade: sbm_cluster::domain::tiers::Downgrade,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 50))]
    pub benefits: Vec<TierBenefit>,
    /// An invitation tier: reached only by a staff override.
    #[serde(default)]
    pub manual_only: bool,
    /// The tier every member holds until they qualify for another: exactly one per ladder.
    #[serde(default)]
    pub is_default: bool,
    #[serde(default = "yes")]
    pub active: bool,
    /// `Retain` (default): the row stays, handed back to the API. `Delete`: soft-deleted, its
    /// members moved to the default tier.
    #[serde(default = "retain")]
    pub deletion_policy: DeletionPolicy,
}

impl TierSpec {
    /// The cluster service's own model of this tier.
    pub fn to_domain(&self) -> sbm_cluster::domain::tiers::TierSpec {
        let d = self.description.clone().unwrap_or_default();
        sbm_cluster::domain::tiers::TierSpec {
            code: self.code.clone(),
            name_en: self.name.en.clone(),
            name_th: self.name.th.clone(),
            name_cn: self.name.cn.clone(),
            description_en: d.en,
            description_th: d.th,
            description_cn: d.cn,
            image_url: self.image_url.clone(),
            rank: self.rank,
            qualification: self.qualification.clone(),
            retention: self.retention.clone(),
            downgrade: self.downgrade.clone(),
            benefits: self
                .benefits
                .iter()
                .map(|b| {
                    let d = b.description.clone().unwrap_or_default();
                    sbm_cluster::domain::tiers::Benefit {
                        name_en: b.name.en.clone(),
                        name_th: b.name.th.clone(),
                        name_cn: b.name.cn.clone(),
                        description_en: d.en,
                        description_th: d.th,
                        description_cn: d.cn,
                    }
                })
                .collect(),
            manual_only: self.manual_only,
            is_default: self.is_default,
            active: self.active,
        }
    }
}

/// Status of a tier.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TierStatus {
    #[serde(flatten)]
    pub common: CommonStatus,
    /// The tier's id in the platform's database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier_id: Option<String>,
}

/// Who sees a catalog.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CatalogVisibility {
    /// Every member.
    #[default]
    All,
    /// Members holding one of `tierCodes`.
    Tiers,
}

/// What a reward is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RewardType {
    #[default]
    Voucher,
    Gift,
    Discount,
    Privilege,
}

/// The kind of a reward's value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RewardValueKind {
    /// `percent` off (1 to 100).
    #[default]
    Percent,
    /// `amount` off, in minor units of `currency`.
    Fixed,
    /// An `item` given.
    Item,
}

/// What a reward is worth to the member: `kind` with its field(s).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [
    {"rule": "self.kind != 'percent' || (has(self.percent) && !has(self.amount) && !has(self.currency) && !has(self.item))",
     "message": "a percent value takes percent only"},
    {"rule": "self.kind != 'fixed' || (has(self.amount) && has(self.currency) && !has(self.percent) && !has(self.item))",
     "message": "a fixed value takes amount and currency only"},
    {"rule": "self.kind != 'item' || (has(self.item) && !has(self.percent) && !has(self.amount) && !has(self.currency))",
     "message": "an item value takes item only"}
]))]
pub struct RewardValue {
    pub kind: RewardValueKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 100))]
    pub percent: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub amount: Option<i64>,
    /// ISO 4217, such as `THB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Z]{3}$"))]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 200))]
    pub item: Option<String>,
}

impl RewardValue {
    /// The reward service's value (a missing field becomes an empty one, which its rules refuse
    /// with the field's name).
    pub fn to_domain(&self) -> sbm_reward::domain::rewards::RewardValue {
        use sbm_reward::domain::rewards::RewardValue as V;
        match self.kind {
            RewardValueKind::Percent => V::Percent {
                percent: self.percent.unwrap_or_default(),
            },
            RewardValueKind::Fixed => V::Fixed {
                amount: self.amount.unwrap_or_default(),
                currency: self.currency.clone().unwrap_or_default(),
            },
            RewardValueKind::Item => V::Item {
                item: self.item.clone().unwrap_or_default(),
            },
        }
    }
}

/// The period of a per-member limit (calendar periods in UTC; weeks start on Monday).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LimitPeriod {
    Day,
    Week,
    Month,
}

/// Where a redeemed reward's code comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeMode {
    /// No code: the redemption's QR is the voucher.
    #[default]
    None,
    /// One code from the reward's pool per redemption (see `codes`).
    Pool,
    /// The same `staticCode` for everyone.
    Static,
}

/// Codes to generate: the pool keeps at least `count` codes the operator generated.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GenerateCodes {
    /// `#` stands for one random character (at least 6 of them); capital letters, digits, `-`
    /// and `_` are kept.
    #[schemars(length(min = 1, max = 64), regex(pattern = r"^[A-Z0-9#_-]+$"))]
    pub pattern: String,
    #[schemars(range(min = 1, max = 100000))]
    pub count: u32,
}

/// Where a pool reward's codes come from. The codes themselves are never in the resource.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [
    {"rule": "has(self.generate) != has(self.secretRef)", "message": "codes take either generate or secretRef"}
]))]
pub struct RewardCodes {
    /// Generated by the reward service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate: Option<GenerateCodes>,
    /// Imported from a key of a Secret in the resource's namespace, one code per line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_ref: Option<SecretKeyRef>,
}

/// One reward of a catalog, keyed by `code`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [
    {"rule": "!has(self.codes) || (has(self.codeMode) && self.codeMode == 'pool')",
     "message": "codes belong to codeMode pool"},
    {"rule": "has(self.limitPerPeriod) == has(self.limitPeriod)",
     "message": "limitPerPeriod and limitPeriod go together"}
]))]
pub struct CatalogReward {
    /// Stable identifier of the reward; its row is found by it.
    #[schemars(regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub code: String,
    /// Its place in the catalog (lower first).
    #[serde(default)]
    pub position: i32,
    #[serde(rename = "type")]
    pub reward_type: RewardType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 64))]
    pub category: Option<String>,
    pub name: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LocalizedText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<LocalizedText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 2048))]
    pub image_url: Option<String>,
    /// Points one redemption costs (0: free).
    #[schemars(range(min = 0, max = 1000000000))]
    pub points_cost: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<RewardValue>,
    /// How many can ever be claimed (omitted: unlimited). Raising it adds to what is left;
    /// below what is already claimed, the reward reports `StockBelowClaimed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 0, max = 1000000000))]
    pub stock_total: Option<i64>,
    /// Redemptions one member may hold over all time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000000))]
    pub limit_lifetime: Option<i32>,
    /// Redemptions one member may make per `limitPeriod`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000000))]
    pub limit_per_period: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit_period: Option<LimitPeriod>,
    /// Tiers whose holders may redeem it (empty: every tier).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 50), inner(regex(pattern = r"^[a-z0-9_-]{1,64}$")))]
    pub tier_codes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Days a claimed voucher stays usable (omitted: until used or cancelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 3650))]
    pub voucher_valid_days: Option<i32>,
    #[serde(default)]
    pub code_mode: CodeMode,
    /// The code every redemption shows (`codeMode: static`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 64))]
    pub static_code: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    /// Where a pool's codes come from (`codeMode: pool`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes: Option<RewardCodes>,
}

impl CatalogReward {
    /// The reward service's model of this reward (`catalogId` is the resource's catalog, filled
    /// in when it is written).
    pub fn to_domain(&self) -> sbm_reward::domain::rewards::RewardSpec {
        use sbm_reward::domain::rewards as r;
        let d = self.description.clone().unwrap_or_default();
        let t = self.terms.clone().unwrap_or_default();
        r::RewardSpec {
            code: self.code.clone(),
            catalog_id: String::new(),
            position: self.position,
            reward_type: match self.reward_type {
                RewardType::Voucher => r::RewardType::Voucher,
                RewardType::Gift => r::RewardType::Gift,
                RewardType::Discount => r::RewardType::Discount,
                RewardType::Privilege => r::RewardType::Privilege,
            },
            category: self.category.clone(),
            name_en: self.name.en.clone(),
            name_th: self.name.th.clone(),
            name_cn: self.name.cn.clone(),
            description_en: d.en,
            description_th: d.th,
            description_cn: d.cn,
            terms_en: t.en,
            terms_th: t.th,
            terms_cn: t.cn,
            image_url: self.image_url.clone(),
            points_cost: self.points_cost,
            value: self.value.as_ref().map(RewardValue::to_domain),
            stock_total: self.stock_total,
            limit_lifetime: self.limit_lifetime,
            limit_per_period: self.limit_per_period,
            limit_period: self.limit_period.map(|p| match p {
                LimitPeriod::Day => r::LimitPeriod::Day,
                LimitPeriod::Week => r::LimitPeriod::Week,
                LimitPeriod::Month => r::LimitPeriod::Month,
            }),
            tier_codes: self.tier_codes.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            voucher_valid_days: self.voucher_valid_days,
            code_mode: match self.code_mode {
                CodeMode::None => r::CodeMode::None,
                CodeMode::Pool => r::CodeMode::Pool,
                CodeMode::Static => r::CodeMode::Static,
            },
            static_code: self.static_code.clone(),
            active: self.active,
        }
    }
}

/// A reward catalog of a platform and its rewards, as one resource. The operator owns their
/// configuration only: remaining stock, codes and redemptions are the reward service's. Each
/// reward reports its own state in `status.rewards`, so one bad reward does not hold back the
/// others; a reward removed from the list is archived, never deleted.
#[derive(CustomResource, Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[kube(
    group = "sbmcrm.io",
    version = "v1alpha1",
    kind = "RewardCatalog",
    namespaced,
    derive = "Default",
    status = "RewardCatalogStatus",
    shortname = "rcat",
    printcolumn = r#"{"name":"Code","type":"string","jsonPath":".spec.code"}"#,
    printcolumn = r#"{"name":"Visibility","type":"string","jsonPath":".spec.visibility"}"#,
    printcolumn = r#"{"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status"}"#,
    printcolumn = r#"{"name":"Rewards","type":"string","jsonPath":".status.conditions[?(@.type==\"RewardsSynced\")].reason"}"#,
    printcolumn = r#"{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}"#
)]
#[serde(rename_all = "camelCase")]
#[schemars(extend("x-kubernetes-validations" = [
    {"rule": "self.code == oldSelf.code",
     "message": "code is immutable: create a new RewardCatalog for a new code"},
    {"rule": "self.platformRef == oldSelf.platformRef",
     "message": "platformRef is immutable: create the RewardCatalog in the other platform"},
    {"rule": "has(self.visibility) && self.visibility == 'tiers' ? has(self.tierCodes) && size(self.tierCodes) > 0 : !has(self.tierCodes) || size(self.tierCodes) == 0",
     "message": "visibility tiers needs tierCodes; visibility all takes none"}
]))]
pub struct RewardCatalogSpec {
    pub platform_ref: PlatformRef,
    /// Stable identifier of the catalog.
    #[schemars(regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub code: String,
    pub name: LocalizedText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<LocalizedText>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 2048))]
    pub image_url: Option<String>,
    #[serde(default)]
    pub visibility: CatalogVisibility,
    /// For `visibility: tiers`: the tier codes whose holders see it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 50), inner(regex(pattern = r"^[a-z0-9_-]{1,64}$")))]
    pub tier_codes: Vec<String>,
    /// Members see it from then (omitted: at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Members see it until then (omitted: for good).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Lower comes first.
    #[serde(default)]
    #[schemars(range(min = -1000000, max = 1000000))]
    pub sort_order: i32,
    #[serde(default = "yes")]
    pub active: bool,
    /// The catalog's rewards, keyed by `code`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 200), extend("x-kubernetes-list-type" = "map", "x-kubernetes-list-map-keys" = ["code"]))]
    pub rewards: Vec<CatalogReward>,
    /// `Retain` (default): the catalog and its rewards stay, handed back to the API. `Delete`:
    /// they are archived (soft delete; redemptions keep working).
    #[serde(default = "retain")]
    pub deletion_policy: DeletionPolicy,
}

impl RewardCatalogSpec {
    /// The reward service's model of the catalog.
    pub fn to_domain(&self) -> sbm_reward::domain::catalogs::CatalogSpec {
        use sbm_reward::domain::catalogs as c;
        let d = self.description.clone().unwrap_or_default();
        c::CatalogSpec {
            code: self.code.clone(),
            name_en: self.name.en.clone(),
            name_th: self.name.th.clone(),
            name_cn: self.name.cn.clone(),
            description_en: d.en,
            description_th: d.th,
            description_cn: d.cn,
            image_url: self.image_url.clone(),
            visibility: match self.visibility {
                CatalogVisibility::All => c::Visibility::All,
                CatalogVisibility::Tiers => c::Visibility::Tiers,
            },
            tier_codes: self.tier_codes.clone(),
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            sort_order: self.sort_order,
            active: self.active,
        }
    }
}

/// How one reward of a catalog fared.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RewardItemStatus {
    pub code: String,
    /// `Synced`, or why not: `Invalid`, `CodeTaken`, `StockBelowClaimed`, `CodesFailed`.
    pub state: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// The reward's id in the platform's database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward_id: Option<String>,
    /// Codes available in its pool (pool rewards).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes_available: Option<u64>,
}

/// Status of a reward catalog.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RewardCatalogStatus {
    #[serde(flatten)]
    pub common: CommonStatus,
    /// The catalog's id in the platform's database.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalog_id: Option<String>,
    /// One entry per reward of `spec.rewards` (always written, so an emptied list shows).
    #[serde(default)]
    pub rewards: Vec<RewardItemStatus>,
}
