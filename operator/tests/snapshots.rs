//! Snapshot of every object the builders make for `examples/platform.yaml`: a change to what
//! the operator deploys shows up as a reviewed diff of `tests/snapshots/platform-objects.yaml`.
//! Refresh with `UPDATE_SNAPSHOTS=1 cargo test -p sbm-operator --test snapshots`.

use sbm_operator::builders;
use sbm_operator::crd::CrmPlatform;

#[test]
fn platform_objects_match_the_snapshot() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut p: CrmPlatform =
        serde_yaml::from_str(&std::fs::read_to_string(format!("{root}/../examples/platform.yaml")).unwrap()).unwrap();
    p.metadata.uid = Some("00000000-0000-0000-0000-000000000001".into());
    let mut docs: Vec<String> = vec![
        serde_yaml::to_string(&builders::config_map(&p)).unwrap(),
        serde_yaml::to_string(&builders::migration_job(&p)).unwrap(),
    ];
    for svc in p.spec.services.keys() {
        docs.push(serde_yaml::to_string(&builders::deployment(&p, svc, "0123456789abcdef")).unwrap());
        docs.push(serde_yaml::to_string(&builders::disruption_budget(&p, svc)).unwrap());
        docs.push(serde_yaml::to_string(&builders::service(&p, svc)).unwrap());
    }
    docs.push(serde_yaml::to_string(&builders::ingress(&p).unwrap()).unwrap());
    let actual = docs.join("---\n");
    let path = format!("{root}/tests/snapshots/platform-objects.yaml");
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(&path, &actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "the builders' output changed; review it and refresh {path} with UPDATE_SNAPSHOTS=1"
    );
}
