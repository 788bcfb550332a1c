//! Helpers the operator's integration tests share.

use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;

/// The namespace every test resource lives in.
pub const NS: &str = "loyalty";

/// A file of `examples/`, parsed.
pub fn yaml<T: serde::de::DeserializeOwned>(file: &str) -> T {
    let text = std::fs::read_to_string(format!("{}/../examples/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// Gives `obj` what the API server would (uid, generation, an age). It also carries another
/// controller's finalizer: kube's `finalizer()` adds ours with a JSON patch that tests a missing
/// list against `null`, which the API server accepts and the in-memory client does not.
pub fn stamp<K: kube::Resource>(obj: &mut K, uid: &str, age_secs: i64) {
    let m = obj.meta_mut();
    m.finalizers = Some(vec!["tests.sbmcrm.io/other".into()]);
    m.uid = Some(uid.into());
    m.generation = Some(1);
    m.creation_timestamp = Some(Time(
        k8s_openapi::jiff::Timestamp::now() - k8s_openapi::jiff::SignedDuration::from_secs(age_secs),
    ));
}

/// A Secret in [`NS`] with one key.
pub fn secret(name: &str, key: &str, value: &str) -> Secret {
    Secret {
        metadata: kube::api::ObjectMeta {
            name: Some(name.into()),
            namespace: Some(NS.into()),
            ..Default::default()
        },
        data: Some([(key.to_string(), ByteString(value.as_bytes().to_vec()))].into()),
        ..Default::default()
    }
}

/// An in-memory client that knows the operator's kinds (with their status subresources) and
/// the built-in kinds whose status the tests set.
pub fn client_builder() -> kube_fake_client::ClientBuilder {
    use sbm_operator::crd::{ApiKey, CrmPlatform, PointRule, RewardCatalog, Tier};
    kube_fake_client::ClientBuilder::new()
        .with_resource::<CrmPlatform>()
        .with_resource::<PointRule>()
        .with_resource::<ApiKey>()
        .with_resource::<Tier>()
        .with_resource::<RewardCatalog>()
        .with_status_subresource::<CrmPlatform>()
        .with_status_subresource::<PointRule>()
        .with_status_subresource::<Tier>()
        .with_status_subresource::<ApiKey>()
        .with_status_subresource::<RewardCatalog>()
        .with_status_subresource::<k8s_openapi::api::apps::v1::Deployment>()
        .with_status_subresource::<k8s_openapi::api::batch::v1::Job>()
}

/// A PostgreSQL URL whose "server" accepts connections and never answers: a hanging database.
pub async fn hanging_database() -> String {
    let hole = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = hole.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = hole.accept().await {
            held.push(s);
        }
    });
    format!("postgres://postgres@127.0.0.1:{port}/nowhere")
}

/// Every document of a multi-document file of `examples/`, parsed.
#[allow(dead_code)] // not every test binary reads one
pub fn yaml_all<T: serde::de::DeserializeOwned>(file: &str) -> Vec<T> {
    let text = std::fs::read_to_string(format!("{}/../examples/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    serde_yaml::Deserializer::from_str(&text)
        .map(|d| T::deserialize(d).unwrap())
        .collect()
}
