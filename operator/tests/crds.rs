//! The committed CRDs are exactly what the Rust types generate, and every example is a valid
//! resource: against the generated schema, and for the types the operator reads.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

#[test]
fn committed_crds_match_the_rust_types() {
    for (name, yaml) in sbm_operator::crds().unwrap() {
        let path = root().join("crds").join(&name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == yaml,
            "{} is out of date: run `cargo run -p sbm-operator -- crdgen`",
            path.display()
        );
    }
}

/// The openAPIV3Schema of the CRD for `kind`.
fn schema_for(kind: &str) -> serde_json::Value {
    for (_, yaml) in sbm_operator::crds().unwrap() {
        let crd: serde_json::Value = serde_yaml::from_str(&yaml).unwrap();
        if crd["spec"]["names"]["kind"] == kind {
            return crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"].clone();
        }
    }
    panic!("no CRD for {kind}");
}

fn errors(doc: &serde_json::Value) -> Vec<String> {
    let kind = doc["kind"].as_str().unwrap();
    let validator = jsonschema::validator_for(&schema_for(kind)).unwrap();
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

fn examples() -> Vec<(PathBuf, serde_json::Value)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            for doc in serde_yaml::Deserializer::from_str(&text) {
                let v = serde_json::to_value(serde_yaml::Value::deserialize(doc).unwrap()).unwrap();
                if v["apiVersion"] == "sbmcrm.io/v1alpha1" {
                    out.push((path.clone(), v));
                }
            }
        }
    }
    assert!(out.len() >= 4, "examples found: {}", out.len());
    assert!(
        out.iter().any(|(_, v)| v["kind"] == "RewardCatalog"),
        "an example of every kind"
    );
    out
}

use serde::Deserialize;

#[test]
fn every_example_validates_against_the_generated_schema() {
    for (path, doc) in examples() {
        let errs = errors(&doc);
        assert!(errs.is_empty(), "{}: {errs:?}", path.display());
    }
}

#[test]
fn every_example_reads_as_the_operator_types_and_passes_the_service_rules() {
    for (path, doc) in examples() {
        match doc["kind"].as_str().unwrap() {
            "CrmPlatform" => {
                serde_json::from_value::<sbm_operator::crd::CrmPlatform>(doc.clone()).unwrap();
            }
            "ApiKey" => {
                serde_json::from_value::<sbm_operator::crd::ApiKey>(doc.clone()).unwrap();
            }
            "PointRule" => {
                let r: sbm_operator::crd::PointRule = serde_json::from_value(doc.clone()).unwrap();
                let problems = r.spec.rule.validate();
                assert!(problems.is_empty(), "{}: {problems:?}", path.display());
            }
            "Tier" => {
                let t: sbm_operator::crd::Tier = serde_json::from_value(doc.clone()).unwrap();
                let problems = t.spec.to_domain().validate();
                assert!(problems.is_empty(), "{}: {problems:?}", path.display());
            }
            "RewardCatalog" => {
                let c: sbm_operator::crd::RewardCatalog = serde_json::from_value(doc.clone()).unwrap();
                c.spec.to_domain().validate().unwrap();
                for r in &c.spec.rewards {
                    let mut spec = r.to_domain();
                    spec.catalog_id = "catalog-id".into();
                    spec.validate().unwrap();
                }
            }
            other => panic!("{}: unexpected kind {other}", path.display()),
        }
    }
}

fn tier(name: serde_json::Value, code: &str, threshold: i64) -> serde_json::Value {
    serde_json::json!({"apiVersion": "sbmcrm.io/v1alpha1", "kind": "Tier", "metadata": {"name": "t"},
        "spec": {"platformRef": {"name": "crm"}, "code": code, "name": name, "rank": 1,
                 "qualification": {"metric": "points_earned", "threshold": threshold, "window": "lifetime"}}})
}

fn catalog(reward: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"apiVersion": "sbmcrm.io/v1alpha1", "kind": "RewardCatalog", "metadata": {"name": "c"},
        "spec": {"platformRef": {"name": "crm"}, "code": "c", "name": {"en": "C"}, "rewards": [reward]}})
}

/// Unknown fields are not in this list: the API server prunes them from a structural schema, and
/// kubectl's default strict field validation refuses them before that.
#[test]
fn the_schema_refuses_bad_resources() {
    let rule = |rule: serde_json::Value| {
        serde_json::json!({"apiVersion": "sbmcrm.io/v1alpha1", "kind": "PointRule", "metadata": {"name": "x"},
            "spec": {"platformRef": {"name": "crm"}, "rule": rule}})
    };
    let bad = [
        rule(
            serde_json::json!({"code": "Bad Code", "name": "x", "kind": "purchase", "pointsPerUnit": 1, "unitAmount": 1}),
        ),
        rule(serde_json::json!({"code": "x", "name": "x", "kind": "purchase", "pointsPerUnit": 0, "unitAmount": 1})),
        rule(serde_json::json!({"code": "x", "name": "x", "kind": "purchase", "daysOfWeek": [9]})),
        rule(serde_json::json!({"code": "x", "name": "x", "kind": "bonus"})),
        serde_json::json!({"apiVersion": "sbmcrm.io/v1alpha1", "kind": "ApiKey", "metadata": {"name": "k"},
            "spec": {"platformRef": {"name": "crm"}, "displayName": "k", "scopes": ["staff:write"], "plan": "standard"}}),
        serde_json::json!({"apiVersion": "sbmcrm.io/v1alpha1", "kind": "ApiKey", "metadata": {"name": "k"},
            "spec": {"platformRef": {"name": "crm"}, "displayName": "k", "scopes": ["members:read"], "plan": "gold"}}),
        serde_json::json!({"apiVersion": "sbmcrm.io/v1alpha1", "kind": "CrmPlatform", "metadata": {"name": "p"},
            "spec": {"image": "i", "tag": "t", "services": {"auth": {"replicas": -1}}, "database": {"name": "d", "key": "url"}}}),
        serde_json::json!({"apiVersion": "sbmcrm.io/v1alpha1", "kind": "CrmPlatform", "metadata": {"name": "p"},
            "spec": {"image": "i", "tag": "t", "services": {}}}),
        // A tier's name needs `en`; its code is a slug; thresholds are not negative.
        tier(serde_json::json!({"th": "x"}), "gold", 0),
        tier(serde_json::json!({"en": "Gold"}), "Gold Tier", 0),
        tier(serde_json::json!({"en": "Gold"}), "gold", -1),
        // A catalog's rewards: a slug code, a cost that is not negative, a known type; codes
        // from one source only.
        catalog(serde_json::json!({"code": "Coffee 100", "type": "voucher", "name": {"en": "x"}, "pointsCost": 1})),
        catalog(serde_json::json!({"code": "coffee", "type": "voucher", "name": {"en": "x"}, "pointsCost": -1})),
        catalog(serde_json::json!({"code": "coffee", "type": "coupon", "name": {"en": "x"}, "pointsCost": 1})),
        catalog(
            serde_json::json!({"code": "coffee", "type": "voucher", "name": {"en": "x"}, "pointsCost": 1,
            "value": {"kind": "percent", "percent": 101}}),
        ),
        catalog(
            serde_json::json!({"code": "coffee", "type": "voucher", "name": {"en": "x"}, "pointsCost": 1,
            "codeMode": "pool", "codes": {"generate": {"pattern": "C-######", "count": 0}}}),
        ),
    ];
    for doc in bad {
        assert!(!errors(&doc).is_empty(), "accepted: {doc}");
    }
}

#[test]
fn cross_field_rules_are_declared_for_the_api_server() {
    let s = schema_for("PointRule");
    let rules = s["properties"]["spec"]["properties"]["rule"]["x-kubernetes-validations"]
        .as_array()
        .unwrap();
    assert!(
        rules
            .iter()
            .any(|r| r["message"] == "purchase rules need pointsPerUnit and unitAmount")
    );
    let k = schema_for("ApiKey");
    assert!(
        k["properties"]["spec"]["x-kubernetes-validations"][0]["rule"]
            .as_str()
            .unwrap()
            .contains("enterprise")
    );
}

#[test]
fn codes_and_platforms_cannot_change_under_a_resource() {
    let rules = |kind: &str| -> Vec<String> {
        schema_for(kind)["properties"]["spec"]["x-kubernetes-validations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let pr = rules("PointRule");
    assert!(
        pr.contains(&"self.rule.code == oldSelf.rule.code".to_string()),
        "{pr:?}"
    );
    assert!(
        pr.contains(&"self.platformRef == oldSelf.platformRef".to_string()),
        "{pr:?}"
    );
    assert!(rules("ApiKey").contains(&"self.platformRef == oldSelf.platformRef".to_string()));
    let catalog = rules("RewardCatalog");
    assert!(
        catalog.contains(&"self.code == oldSelf.code".to_string()),
        "{catalog:?}"
    );
    assert!(
        catalog.contains(&"self.platformRef == oldSelf.platformRef".to_string()),
        "{catalog:?}"
    );
    let tier = rules("Tier");
    assert!(tier.contains(&"self.code == oldSelf.code".to_string()), "{tier:?}");
    assert!(
        tier.contains(&"self.platformRef == oldSelf.platformRef".to_string()),
        "{tier:?}"
    );
}

#[test]
fn a_catalogs_rewards_are_a_list_keyed_by_code_with_their_own_rules() {
    let s = schema_for("RewardCatalog");
    let rewards = &s["properties"]["spec"]["properties"]["rewards"];
    assert_eq!(rewards["x-kubernetes-list-type"], "map");
    assert_eq!(rewards["x-kubernetes-list-map-keys"], serde_json::json!(["code"]));
    let item_rules: Vec<&str> = rewards["items"]["x-kubernetes-validations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert!(
        item_rules.iter().any(|r| r.contains("codeMode == 'pool'")),
        "{item_rules:?}"
    );
    let codes = &rewards["items"]["properties"]["codes"];
    assert_eq!(
        codes["x-kubernetes-validations"][0]["rule"],
        "has(self.generate) != has(self.secretRef)"
    );
    // The codes themselves are never in the resource: only where they come from.
    let fields: Vec<&String> = codes["properties"].as_object().unwrap().keys().collect();
    assert_eq!(fields, ["generate", "secretRef"]);
    let status = &s["properties"]["status"]["properties"];
    assert!(
        status["catalogId"].is_object() && status["rewards"].is_object(),
        "{status}"
    );
}
