"""The Helm chart renders and lints for several value sets, every object it renders is a valid
Kubernetes object, and values with typos or bad combinations are refused."""

import pathlib

import helm_python as helm
import jsonschema
import kubernetes_validate
import pytest
import yaml

CHART = pathlib.Path(__file__).resolve().parents[1]
ROOT = CHART.parents[1]
KUBE = "1.32.0"

PLATFORM = {
    "replicaCount": 2,
    "leaderElection": {"enabled": True},
    "platform": {
        "enabled": True,
        "name": "crm",
        "tag": "0.1.0",
        "services": {"auth": {"replicas": 2}, "point": {"replicas": 3, "resources": {"limits": {"memory": "512Mi"}}}},
        "redis": {"secretName": "crm-redis", "key": "url"},
        "jwt": {"secretName": "crm-jwt"},
        "ingress": {"host": "api.example.com", "className": "nginx", "tlsSecretName": "api-tls"},
    },
}
EXTERNAL_SA = {"serviceAccount": {"create": False, "name": "platform-team-operator"}, "image": {"repository": "registry.local/sbm-operator", "tag": "dev", "pullPolicy": "Always"}}


def render(values):
    chart = helm.Chart.load(str(CHART))
    out = chart.render(values, name="sbm", namespace="sbm-system", is_install=True)
    docs = []
    for path, text in out.items():
        if path.endswith(".txt"):
            continue
        docs.extend(d for d in yaml.safe_load_all(text) if d)
    return docs


def crd_schema(kind):
    for f in (ROOT / "crds").glob("*.yaml"):
        crd = yaml.safe_load(f.read_text())
        if crd["spec"]["names"]["kind"] == kind:
            return crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
    raise AssertionError(kind)


@pytest.mark.parametrize("values", [{}, PLATFORM, EXTERNAL_SA], ids=["defaults", "platform", "external-sa"])
def test_renders_valid_objects_and_lints(values):
    report = helm.lint(str(CHART), values, strict=True, kube_version="v" + KUBE)
    errors = [m for m in report["messages"] if m["severity"] >= 3] + report.get("errors", [])
    assert not errors, errors
    docs = render(values)
    kinds = sorted(d["kind"] for d in docs)
    assert "Deployment" in kinds and "ClusterRole" in kinds and "ClusterRoleBinding" in kinds
    for d in docs:
        if d["apiVersion"].startswith("sbmcrm.io/"):
            jsonschema.validate(d, crd_schema(d["kind"]))
        else:
            kubernetes_validate.validate(d, KUBE, strict=True)


def test_defaults_run_one_operator_without_a_platform():
    docs = render({})
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    assert deployment["spec"]["replicas"] == 1
    c = deployment["spec"]["template"]["spec"]["containers"][0]
    assert c["args"] == ["run"]
    assert c["image"] == "ghcr.io/sbmcrm/sbm-operator:0.1.0"
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
    assert not [d for d in docs if d["kind"] in ("CrmPlatform", "Role", "RoleBinding")]
    assert {d["kind"] for d in docs} >= {"ServiceAccount", "Service"}
    # One operator, replaced rather than rolled: two never reconcile at once.
    assert deployment["spec"]["strategy"]["type"] == "Recreate"
    env = {e["name"]: e.get("value") for e in c["env"]}
    assert env["SBM_OPERATOR_INSTALL_CRDS"] == "true", "upgrades bring their CRDs"
    crd_rule = next(r for r in next(d for d in docs if d["kind"] == "ClusterRole")["rules"] if "customresourcedefinitions" in r["resources"])
    assert "patch" in crd_rule["verbs"]


def test_platform_values_make_a_platform_and_leader_election():
    docs = render(PLATFORM)
    platform = next(d for d in docs if d["kind"] == "CrmPlatform")
    assert platform["spec"]["services"]["point"]["replicas"] == 3
    assert platform["spec"]["redis"] == {"name": "crm-redis", "key": "url"}
    assert platform["spec"]["ingress"]["host"] == "api.example.com"
    role = next(d for d in docs if d["kind"] == "Role")
    assert role["rules"][0]["resources"] == ["leases"]
    env = {e["name"]: e.get("value") for e in next(d for d in docs if d["kind"] == "Deployment")["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["SBM_OPERATOR_LEADER_ELECTION"] == "true"
    # With a standby ready before the old leader goes, updates roll.
    assert next(d for d in docs if d["kind"] == "Deployment")["spec"]["strategy"]["type"] == "RollingUpdate"


def test_external_service_account_is_used_not_created():
    docs = render(EXTERNAL_SA)
    assert not [d for d in docs if d["kind"] == "ServiceAccount"]
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == "platform-team-operator"
    binding = next(d for d in docs if d["kind"] == "ClusterRoleBinding")
    assert binding["subjects"][0]["name"] == "platform-team-operator"


def test_the_chart_ships_the_generated_crds():
    shipped = sorted(p.name for p in (CHART / "crds").glob("*.yaml"))
    generated = sorted(p.name for p in (ROOT / "crds").glob("*.yaml"))
    assert shipped == generated
    for name in generated:
        assert (CHART / "crds" / name).read_text() == (ROOT / "crds" / name).read_text(), name


def test_the_operator_may_watch_and_report_on_every_kind_it_ships():
    role = next(d for d in render({}) if d["kind"] == "ClusterRole")
    granted = {r for rule in role["rules"] if "sbmcrm.io" in rule["apiGroups"] for r in rule["resources"]}
    for path in (ROOT / "crds").glob("*.yaml"):
        plural = yaml.safe_load(path.read_text())["spec"]["names"]["plural"]
        assert plural in granted, plural
        assert f"{plural}/status" in granted, plural


@pytest.mark.parametrize(
    "values",
    [
        {"replicaCont": 2},
        {"image": {"repository": "x", "pullPolicy": "Sometimes"}},
        {"platform": {"enabled": True, "services": {"loyalty": {"replicas": 1}}}},
        {"platform": {"enabled": True, "services": {"auth": {"replicas": -1}}}},
        {"platform": {"enabled": True, "name": "Bad_Name"}},
        {"metricsPort": 80},
        {"replicaCount": 2},
    ],
    ids=["typo", "pull-policy", "unknown-service", "negative-replicas", "bad-name", "low-port", "replicas-without-election"],
)
def test_bad_values_are_refused(values):
    with pytest.raises(helm.HelmError):
        render(values)


def test_objects_the_operator_builds_are_valid_kubernetes_objects():
    snapshot = ROOT / "operator" / "tests" / "snapshots" / "platform-objects.yaml"
    docs = [d for d in yaml.safe_load_all(snapshot.read_text()) if d]
    assert {d["kind"] for d in docs} == {"ConfigMap", "Job", "Deployment", "Service", "PodDisruptionBudget", "Ingress"}
    for d in docs:
        kubernetes_validate.validate(d, KUBE, strict=True)
