//! HTTP handlers, one module per resource: extract, authorize, call one domain function,
//! wrap the result. Domain errors become statuses in [`error`], once.

pub mod balance;
pub mod error;
pub mod receipts;
pub mod rules;
pub mod tickets;
pub mod transactions;

use sbm_common::{ApiError, ApiResult, Permission, Principal};

use crate::domain::ledger::Meta;

/// A JSON body that may be left out entirely (then every field takes its default).
pub(crate) fn optional_json<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> ApiResult<T> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        let msg = e.to_string();
        match msg.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
            Some(f) => ApiError::field(f, msg.clone()),
            None => ApiError::bad_request(format!("Malformed JSON body: {msg}")),
        }
    })
}

/// Who may see a member's row: the member itself (another member gets a 404, as if the row
/// did not exist), or staff and API keys holding `perm`.
pub(crate) fn require_visible(p: &Principal, owner: &str, what: &str, perm: Permission) -> ApiResult<()> {
    match p {
        Principal::Member { id, .. } if id != owner => Err(ApiError::not_found(what)),
        Principal::Member { .. } => Ok(()),
        _ => p.require(perm),
    }
}

/// The who, why and where of a movement requested by `p`.
pub(crate) fn meta(
    p: &Principal,
    source: Option<String>,
    external_id: Option<String>,
    reason: String,
    metadata: Option<serde_json::Value>,
) -> Meta {
    Meta {
        reason,
        source: source.unwrap_or_else(|| "api".into()),
        external_id,
        metadata: metadata.unwrap_or_else(|| serde_json::json!({})),
        created_by: Some(p.key()),
    }
}
