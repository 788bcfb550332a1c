//! Success envelopes, the JSON body extractor and the rejection mapping.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use crate::error::{ApiError, FieldError};

/// `{"statusCode": 200, "data": ...}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    pub status_code: u16,
    pub data: T,
}

/// A success response: the status is written into the envelope and the HTTP line alike.
pub struct ApiResponse<T>(pub StatusCode, pub T);

/// 200 with `data`.
pub fn ok<T: Serialize>(data: T) -> ApiResponse<T> {
    ApiResponse(StatusCode::OK, data)
}

/// 201 with `data`.
pub fn created<T: Serialize>(data: T) -> ApiResponse<T> {
    ApiResponse(StatusCode::CREATED, data)
}

impl<T: Serialize> IntoResponse for ApiResponse<T> {
    fn into_response(self) -> Response {
        let body = Envelope {
            status_code: self.0.as_u16(),
            data: self.1,
        };
        (self.0, axum::Json(body)).into_response()
    }
}

/// Pagination metadata exactly as the seed shows it.
#[derive(Debug, Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub struct PageMeta {
    pub page: u64,
    pub limit: u64,
    pub total: u64,
    pub total_pages: u64,
}

/// `data` of a list response: `{"meta": ..., "data": [...]}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub meta: PageMeta,
    pub data: Vec<T>,
}

impl<T> Page<T> {
    pub fn new(data: Vec<T>, page: u64, limit: u64, total: u64) -> Self {
        let total_pages = if limit == 0 { 0 } else { total.div_ceil(limit) };
        Self {
            meta: PageMeta {
                page,
                limit,
                total,
                total_pages,
            },
            data,
        }
    }

    /// The same page with each item converted (a model into its response DTO).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            meta: self.meta,
            data: self.data.into_iter().map(f).collect(),
        }
    }
}

/// JSON body extractor whose every rejection speaks the error envelope.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Expected request with `Content-Type: application/json`",
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|rej| {
            let status = rej.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(status, "Request body is too large")
            } else {
                ApiError::new(status, rej.body_text())
            }
        })?;
        // No text a client sends may carry NUL (PostgreSQL refuses it in text): a 400 naming
        // the field, before anything is parsed into the request type.
        if let Some(field) = nul_field(&bytes) {
            return Err(ApiError::field(&field, "must not contain NUL characters"));
        }
        require_object(&bytes)?;
        match axum::Json::<T>::from_bytes(&bytes) {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(json_rejection(rej)),
        }
    }
}

/// `application/json` or any `+json` type.
fn is_json(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .is_some_and(|m| m == "application/json" || (m.starts_with("application/") && m.ends_with("+json")))
}

/// A PATCH body applied to what is stored: each top-level field given replaces the stored one,
/// `null` removes it (back to its default), and the result is parsed again as the whole type,
/// so every rule of the create body applies to it. An unknown field is a 400 naming it.
pub fn merge_patch<T: Serialize + DeserializeOwned>(
    current: &T,
    patch: serde_json::Map<String, serde_json::Value>,
) -> Result<T, ApiError> {
    let mut merged = serde_json::to_value(current).map_err(ApiError::internal)?;
    let obj = merged
        .as_object_mut()
        .ok_or_else(|| ApiError::internal("a patched resource is not a JSON object"))?;
    for (k, v) in patch {
        if v.is_null() {
            obj.remove(&k);
        } else {
            obj.insert(k, v);
        }
    }
    serde_json::from_value(merged).map_err(|e| {
        let msg = e.to_string();
        let field = msg
            .strip_prefix("unknown field `")
            .and_then(|r| r.split('`').next())
            .unwrap_or("body")
            .to_string();
        ApiError::field(&field, msg)
    })
}

/// Every request body is a JSON object: serde would otherwise read an array into a struct by
/// position, around `deny_unknown_fields` and the field names.
pub fn require_object(body: &[u8]) -> Result<(), ApiError> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Ok(()),
        _ => Err(ApiError::field("body", "must be a JSON object")),
    }
}

/// The field whose text (key or value) holds an escaped NUL, as `a.b[2]`; `None` when there is
/// none (the common case costs one scan for `\u0000`).
pub fn nul_field(body: &[u8]) -> Option<String> {
    const NUL: &[u8] = b"\\u0000";
    body.windows(NUL.len())
        .any(|w| w.eq_ignore_ascii_case(NUL))
        .then_some(())?;
    fn find(v: &serde_json::Value, path: String) -> Option<String> {
        match v {
            serde_json::Value::String(s) if s.contains('\0') => Some(path),
            serde_json::Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, x)| find(x, format!("{path}[{i}]"))),
            serde_json::Value::Object(m) => m.iter().find_map(|(k, x)| {
                let p = if path.is_empty() {
                    k.replace('\0', "")
                } else {
                    format!("{path}.{}", k.replace('\0', ""))
                };
                if k.contains('\0') { Some(p) } else { find(x, p) }
            }),
            _ => None,
        }
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    Some(find(&value, String::new()).unwrap_or_else(|| "body".into()))
        .map(|f| if f.is_empty() { "body".into() } else { f })
}

fn json_rejection(rej: JsonRejection) -> ApiError {
    match rej {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Expected request with `Content-Type: application/json`",
        ),
        JsonRejection::JsonDataError(e) => {
            // serde's message names the path first: "field.sub: missing field `x` at line ..".
            let text = e.body_text();
            let detail = text
                .strip_prefix("Failed to deserialize the JSON body into the target type: ")
                .unwrap_or(&text)
                .to_string();
            let (field, message) = split_serde_detail(&detail);
            ApiError::validation(vec![FieldError::new(field, message)])
        }
        JsonRejection::JsonSyntaxError(e) => ApiError::bad_request(format!(
            "Malformed JSON body: {}",
            e.body_text()
                .strip_prefix("Failed to parse the request body as JSON: ")
                .unwrap_or("invalid JSON")
        )),
        other => {
            let status = other.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(status, "Request body is too large")
            } else {
                ApiError::new(status, other.body_text())
            }
        }
    }
}

/// Turns serde's "path: message at line X column Y" into (field, message).
fn split_serde_detail(detail: &str) -> (String, String) {
    let trimmed = match detail.rfind(" at line ") {
        Some(i) => &detail[..i],
        None => detail,
    };
    if let Some(rest) = trimmed.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        return (name.to_string(), "is required".to_string());
    }
    if let Some((path, msg)) = trimmed.split_once(": ")
        && !path.contains(' ')
    {
        if let Some(rest) = msg.strip_prefix("missing field `") {
            let name = rest.trim_end_matches('`');
            return (format!("{path}.{name}"), "is required".to_string());
        }
        return (path.to_string(), msg.to_string());
    }
    ("body".to_string(), trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_bytes_are_found_with_their_field() {
        assert_eq!(nul_field(br#"{"name":"ok"}"#), None);
        assert_eq!(nul_field(br#"{"name":"a\u0000b"}"#).as_deref(), Some("name"));
        assert_eq!(
            nul_field(br#"{"purchase":{"items":["x","\u0000"]}}"#).as_deref(),
            Some("purchase.items[1]")
        );
        assert_eq!(nul_field(br#"{"k\u0000":1}"#).as_deref(), Some("k"));
        assert_eq!(nul_field(br#""\u0000""#).as_deref(), Some("body"));
    }

    #[test]
    fn serde_details_name_the_field() {
        assert_eq!(
            split_serde_detail("missing field `email` at line 1 column 2"),
            ("email".into(), "is required".into())
        );
        assert_eq!(
            split_serde_detail("plan: unknown variant `gold`, expected `standard` at line 1 column 9"),
            ("plan".into(), "unknown variant `gold`, expected `standard`".into())
        );
        assert_eq!(
            split_serde_detail("invalid type: integer `1`, expected a string at line 1 column 1").0,
            "body"
        );
    }

    #[test]
    fn pages_round_up() {
        let p: Page<u8> = Page::new(vec![], 1, 20, 150);
        assert_eq!(p.meta.total_pages, 8);
        let p: Page<u8> = Page::new(vec![], 1, 20, 0);
        assert_eq!(p.meta.total_pages, 0);
    }
}
