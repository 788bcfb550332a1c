//! HTTP handlers, one module per resource.

pub mod balance;
pub mod receipts;
pub mod rules;
pub mod tickets;
pub mod transactions;

/// A JSON body that may be left out entirely (then every field takes its default).
pub(crate) fn optional_json<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> sbm_common::ApiResult<T> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|e| {
        let msg = e.to_string();
        match msg.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
            Some(f) => sbm_common::ApiError::field(f, msg.clone()),
            None => sbm_common::ApiError::bad_request(format!("Malformed JSON body: {msg}")),
        }
    })
}
