//! Conditions and status writes. A status is written only when it changes, and a condition
//! keeps its `lastTransitionTime` unless its status flips, so a steady resync writes nothing
//! and does not wake its own watch.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::api::{Api, Patch, PatchParams};
use kube::{Resource, ResourceExt};
use serde_json::{Value, json};

use super::Result;

/// A condition as Kubernetes wants it (its time is now; [`patch_status`] keeps the old one
/// when the status did not flip).
pub fn condition(type_: &str, ok: bool, reason: &str, message: &str, generation: Option<i64>) -> Condition {
    Condition {
        type_: type_.into(),
        status: if ok { "True" } else { "False" }.into(),
        reason: reason.into(),
        message: message.into(),
        observed_generation: generation,
        last_transition_time: Time(k8s_openapi::jiff::Timestamp::now()),
    }
}

/// `Ready`, `Synced` and `Conflict` of a resource whose rows match it.
pub fn synced(generation: Option<i64>) -> Vec<Condition> {
    vec![
        condition("Ready", true, "Synced", "in the platform's database", generation),
        condition("Synced", true, "Synced", "in the platform's database", generation),
        condition("Conflict", false, "NoConflict", "", generation),
    ]
}

/// `Ready=False` and `Synced=False` with a reason, and `Conflict=True` when another owner holds
/// the business key.
pub fn not_synced(reason: &str, message: &str, conflict: bool, generation: Option<i64>) -> Vec<Condition> {
    let mut c = vec![
        condition("Ready", false, reason, message, generation),
        condition("Synced", false, reason, message, generation),
    ];
    if conflict {
        c.push(condition("Conflict", true, reason, message, generation));
    }
    c
}

/// `{observedGeneration, conditions}` plus the kind's own fields.
pub fn status(generation: Option<i64>, conditions: Vec<Condition>, extra: Value) -> Value {
    let mut s = json!({"observedGeneration": generation, "conditions": conditions});
    if let (Some(s), Value::Object(extra)) = (s.as_object_mut(), extra) {
        s.extend(extra);
    }
    s
}

/// Patches `status` onto `obj` unless it already says exactly that.
pub async fn patch_status<K>(api: &Api<K>, obj: &K, status: Value) -> Result<()>
where
    K: Resource + Clone + serde::Serialize + serde::de::DeserializeOwned + std::fmt::Debug,
{
    let current = serde_json::to_value(obj).map_or(Value::Null, |v| v["status"].clone());
    let status = keep_transition_times(&current, status);
    let unchanged = status
        .as_object()
        .is_some_and(|fields| fields.iter().all(|(k, v)| current.get(k).unwrap_or(&Value::Null) == v));
    if unchanged {
        return Ok(());
    }
    api.patch_status(
        &obj.name_any(),
        &PatchParams::default(),
        &Patch::Merge(json!({ "status": status })),
    )
    .await?;
    Ok(())
}

/// `desired` with each condition's `lastTransitionTime` taken from `current` where the
/// condition of that type has the same status there.
pub fn keep_transition_times(current: &Value, mut desired: Value) -> Value {
    let before = current["conditions"].as_array().cloned().unwrap_or_default();
    if let Some(conds) = desired.get_mut("conditions").and_then(|c| c.as_array_mut()) {
        for c in conds {
            if let Some(old) = before
                .iter()
                .find(|o| o["type"] == c["type"] && o["status"] == c["status"])
            {
                c["lastTransitionTime"] = old["lastTransitionTime"].clone();
            }
        }
    }
    desired
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_condition_keeps_its_time_until_it_flips() {
        let old =
            json!({"conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2026-01-01T00:00:00Z"}]});
        let same = keep_transition_times(&old, status(Some(1), synced(Some(1)), Value::Null));
        assert_eq!(same["conditions"][0]["lastTransitionTime"], "2026-01-01T00:00:00Z");
        let flipped = keep_transition_times(&old, status(Some(1), not_synced("X", "m", false, Some(1)), Value::Null));
        assert_ne!(flipped["conditions"][0]["lastTransitionTime"], "2026-01-01T00:00:00Z");
    }
}
