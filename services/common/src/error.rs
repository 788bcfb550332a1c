//! One error type for every service, rendered in the seed's error envelope.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;

/// One bad field in a request, as the seed's `errors[]` lists it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The `data` member of an error envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub message: String,
    /// Always present: empty when no single field is at fault.
    pub errors: Vec<FieldError>,
}

/// The error envelope: `{"statusCode": 400, "data": {"message", "errors"}}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorEnvelope {
    pub status_code: u16,
    pub data: ErrorBody,
}

/// A failure that reaches the HTTP edge. Internal causes are logged, never sent.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    pub errors: Vec<FieldError>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            errors: Vec::new(),
            headers: Vec::new(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
    /// A 400 naming each bad field.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let mut e = Self::new(StatusCode::BAD_REQUEST, "Validation failed");
        e.errors = errors;
        e
    }
    /// A 400 for one bad field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(field, message)])
    }
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(StatusCode::NOT_FOUND, format!("{what} not found"))
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, message)
    }
    pub fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, message)
    }
    /// A 500 whose cause goes to the log only.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
    }
    /// The same error with another status (e.g. a field error that is a 409). A conflict has
    /// one cause: with one field at fault, the message says it (`code is already used by
    /// another reward`), so a client that shows only the message still tells the user why.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = StatusCode::from_u16(status).unwrap_or(self.status);
        if status == 409 {
            self.message = match self.errors.as_slice() {
                [one] => format!("{} {}", one.field, one.message),
                _ => "Conflict".into(),
            };
        }
        self
    }
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The envelope body for a status and message (used by the fallbacks too).
    pub fn envelope(&self) -> ErrorEnvelope {
        ErrorEnvelope {
            status_code: self.status.as_u16(),
            data: ErrorBody {
                message: self.message.clone(),
                errors: self.errors.clone(),
            },
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.envelope()).unwrap_or_default();
        let mut res = (
            self.status,
            [(
                axum::http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response();
        for (k, v) in self.headers {
            res.headers_mut().insert(k, v);
        }
        res
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::conflict("A resource with the same unique value already exists")
            }
            _ => {
                if crate::db::is_unavailable(&err) {
                    tracing::error!(error = %err, "database unavailable");
                    return Self::unavailable("Database unavailable, try again shortly");
                }
                Self::internal(err)
            }
        }
    }
}

impl<E: std::fmt::Display + std::fmt::Debug> From<sea_orm::TransactionError<E>> for ApiError
where
    ApiError: From<E>,
{
    fn from(err: sea_orm::TransactionError<E>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(e) => e.into(),
            sea_orm::TransactionError::Transaction(e) => e.into(),
        }
    }
}

/// The earliest year a date field accepts.
pub const MIN_YEAR: i32 = 1900;
/// The latest year a date field accepts.
pub const MAX_YEAR: i32 = 2999;
/// The most bytes of free-form JSON `metadata` a record carries.
pub const MAX_METADATA_BYTES: usize = 8 * 1024;

/// Collects field errors while a request body is checked, then fails once with all of them.
#[derive(Default, Debug)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError::new(field, message));
    }
    pub fn check(&mut self, ok: bool, field: &str, message: &str) {
        if !ok {
            self.add(field, message);
        }
    }
    /// A required, non-blank string no longer than `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(field, "must not be empty");
        } else if value.chars().count() > max {
            self.add(field, format!("must be at most {max} characters"));
        }
    }
    /// An optional string (it may be empty) of at most `max` characters.
    pub fn max_chars(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(field, format!("must be at most {max} characters"));
        }
    }
    /// An instant within years [`MIN_YEAR`]..=[`MAX_YEAR`]: far enough for any loyalty date,
    /// and within what every database and client stores.
    pub fn instant<Tz: chrono::TimeZone>(&mut self, field: &str, at: &chrono::DateTime<Tz>) {
        use chrono::Datelike;
        let year = at.naive_utc().year();
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            self.add(
                field,
                format!("must be a time between the years {MIN_YEAR} and {MAX_YEAR}"),
            );
        }
    }
    /// Free-form JSON of at most `max` bytes once serialised.
    pub fn json_size(&mut self, field: &str, value: &serde_json::Value, max: usize) {
        if serde_json::to_vec(value).map_or(true, |b| b.len() > max) {
            self.add(field, format!("must be at most {max} bytes of JSON"));
        }
    }
    /// A stable code: 1 to 64 lowercase letters, digits, `-` or `_` (tier, badge and interest
    /// codes, which rules and clients key on).
    pub fn code(&mut self, field: &str, value: &str) {
        let ok = !value.is_empty()
            && value.len() <= 64
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        self.check(ok, field, "must be 1 to 64 lowercase letters, digits, `-` or `_`");
    }
    /// An optional http(s) URL of at most 2048 characters (images and icons).
    pub fn http_url(&mut self, field: &str, value: Option<&str>) {
        if let Some(u) = value {
            let ok = u.len() <= 2048 && (u.starts_with("https://") || u.starts_with("http://"));
            self.check(ok, field, "must be an http(s) URL of at most 2048 characters");
        }
    }
    pub fn email(&mut self, field: &str, value: &str) {
        let ok = value.len() <= 254
            && value
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.'))
            && !value.contains(char::is_whitespace);
        self.check(ok, field, "must be a valid email address");
    }
    /// The collected field errors without an HTTP status, for domain functions that return
    /// their own typed error.
    pub fn into_result(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
    pub fn finish(self) -> ApiResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_conflict_on_one_field_says_why() {
        let e = ApiError::field("code", "is already used by another reward").with_status(409);
        assert_eq!(e.status, StatusCode::CONFLICT);
        assert_eq!(e.envelope().data.message, "code is already used by another reward");
        assert_eq!(e.envelope().data.errors.len(), 1);
        let two = ApiError::validation(vec![FieldError::new("a", "x"), FieldError::new("b", "y")]).with_status(409);
        assert_eq!(two.envelope().data.message, "Conflict");
    }
}
