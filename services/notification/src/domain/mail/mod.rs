//! Mail driven by events: templates staff edit, SMTP senders, actions that tie an event to a
//! template and a sender, and the delivery log the dispatcher works through (retries with
//! exponential backoff).

pub mod actions;
pub mod deliveries;
pub mod senders;
pub mod templates;

use serde::Serialize;
use serde::de::DeserializeOwned;

use sbm_common::error::FieldError;

use super::NotificationError;

/// `current` with the fields of `patch` replaced (PATCH semantics over a whole spec), checked
/// by deserializing the result: an unknown field or a wrong type is a 400 naming it.
pub fn merge<T: Serialize + DeserializeOwned>(
    current: &T,
    patch: serde_json::Map<String, serde_json::Value>,
) -> Result<T, NotificationError> {
    let mut whole = serde_json::to_value(current).expect("serializable");
    if let Some(obj) = whole.as_object_mut() {
        for (k, v) in patch {
            obj.insert(k, v);
        }
    }
    serde_json::from_value(whole).map_err(|e| {
        let msg = e.to_string();
        let field = msg
            .split('`')
            .nth(1)
            .filter(|f| f.len() < 64)
            .unwrap_or("body")
            .to_string();
        NotificationError::Invalid(vec![FieldError::new(&field, msg)])
    })
}
