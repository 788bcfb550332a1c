//! Against a real cluster (kind or k3d, see the README): ignored by default, since none can
//! be installed on the CI machines. Run with
//! `SBM_TEST_DATABASE_URL=postgres://… cargo test -p sbm-operator --test cluster -- --ignored`
//! after `kubectl apply -f crds/` and with the operator running.

use std::time::Duration;

use kube::api::{Api, PostParams};
use kube::{Client, ResourceExt};
use sbm_operator::crd::{ApiKey, CrmPlatform, PointRule};

fn example<T: serde::de::DeserializeOwned>(file: &str) -> T {
    let text = std::fs::read_to_string(format!("{}/../examples/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

#[tokio::test]
#[ignore = "needs a Kubernetes cluster with the CRDs and a running operator"]
async fn resources_become_ready_in_a_real_cluster() {
    let client = Client::try_default().await.expect("a kubeconfig");
    let ns = "loyalty";
    let platform: CrmPlatform = example("platform.yaml");
    let key: ApiKey = example("api-key-pos.yaml");
    let rule: PointRule = example("point-rule-base.yaml");
    let pp = PostParams::default();
    let _ = Api::<CrmPlatform>::namespaced(client.clone(), ns)
        .create(&pp, &platform)
        .await;
    let keys: Api<ApiKey> = Api::namespaced(client.clone(), ns);
    let rules: Api<PointRule> = Api::namespaced(client.clone(), ns);
    let _ = keys.create(&pp, &key).await;
    let _ = rules.create(&pp, &rule).await;
    let ready = |s: Option<serde_json::Value>| {
        s.and_then(|s| s["conditions"].as_array().cloned())
            .is_some_and(|c| c.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"))
    };
    for _ in 0..120 {
        let k = keys.get(&key.name_any()).await.unwrap();
        let r = rules.get(&rule.name_any()).await.unwrap();
        if ready(k.status.map(|s| serde_json::to_value(s).unwrap()))
            && ready(r.status.map(|s| serde_json::to_value(s).unwrap()))
        {
            return;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    panic!("the ApiKey and PointRule did not become Ready within two minutes");
}
