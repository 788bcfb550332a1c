//! The SBM CRM operator: custom resource types and the Kubernetes objects a platform is made of.

pub mod builders;
pub mod controller;
pub mod crd;
pub mod run;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::CustomResourceExt;

/// Every CRD the operator serves.
pub fn crd_objects() -> Vec<CustomResourceDefinition> {
    vec![
        crd::CrmPlatform::crd(),
        crd::ApiKey::crd(),
        crd::PointRule::crd(),
        crd::Tier::crd(),
        crd::RewardCatalog::crd(),
    ]
}

/// Every CRD of the operator, as `(file name, YAML)`, in the form `crdgen` writes.
pub fn crds() -> anyhow::Result<Vec<(String, String)>> {
    crd_objects()
        .into_iter()
        .map(|c| {
            let name = format!("{}.yaml", c.metadata.name.clone().unwrap_or_default());
            Ok((name, serde_yaml::to_string(&c)?))
        })
        .collect()
}
