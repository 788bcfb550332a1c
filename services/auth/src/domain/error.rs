//! Typed errors of the auth domain, one enum per area. They carry no HTTP status: the api
//! layer maps each variant once (`api/error.rs`).

use sbm_common::FieldError;
use sea_orm::DbErr;

/// Renders field errors for logs and command-line messages.
fn fields(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|f| format!("{} {}", f.field, f.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Hashing or verifying a password failed (never a wrong password: that is a `false`).
#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct PasswordError(pub String);

/// Staff accounts.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("invalid staff account: {}", fields(.0))]
    Invalid(Vec<FieldError>),
    #[error("email is already used by another staff account")]
    EmailTaken,
    #[error("username is already used by another staff account")]
    UsernameTaken,
    #[error("Staff member not found")]
    NotFound,
    #[error("The last active admin cannot be demoted or deactivated")]
    LastAdminDemoted,
    #[error("The last active admin cannot be deleted")]
    LastAdminDeleted,
    #[error("You cannot delete your own account")]
    DeleteSelf,
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Staff login.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("invalid login request: {}", fields(.0))]
    Invalid(Vec<FieldError>),
    /// A wrong password, an unknown account, or a locked one: all answer alike.
    #[error("Invalid credentials")]
    BadCredentials,
    #[error("Account is deactivated")]
    Deactivated,
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Refresh-token rotation.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("Invalid or expired refresh token")]
    InvalidRefresh,
    /// A used token came back: the whole session (family) has been revoked.
    #[error("Refresh token was already used; the session has been revoked")]
    RefreshReused,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Members.
#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    #[error("invalid member: {}", fields(.0))]
    Invalid(Vec<FieldError>),
    #[error("Member not found")]
    NotFound,
    /// Another service asked for an active member and found an anonymised one.
    #[error("This member was deleted (anonymised)")]
    Anonymised,
    #[error("An anonymized member cannot be edited")]
    NotEditable,
    /// The member itself asked for something only an active member gets (its QR code).
    #[error("This member account was deleted")]
    AccountDeleted,
    /// A unique column (`phone`, `email`, a WeChat id, the member code) is taken.
    #[error("{field} is already used by another member")]
    Taken { field: &'static str },
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// WeChat mini-program login.
#[derive(Debug, thiserror::Error)]
pub enum WechatError {
    #[error("WeChat is unreachable; try again shortly")]
    Unreachable,
    #[error("WeChat answered unexpectedly; try again shortly")]
    BadAnswer,
    #[error("WeChat did not accept the login code")]
    CodeRefused,
    #[error("This member account was deleted")]
    AccountDeleted,
    /// Concurrent first logins kept colliding.
    #[error("Concurrent login; retry")]
    Race,
    #[error(transparent)]
    Member(#[from] MemberError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Consent documents and members' decisions.
#[derive(Debug, thiserror::Error)]
pub enum ConsentError {
    #[error("invalid consent document: {}", fields(.0))]
    Invalid(Vec<FieldError>),
    #[error("Consent document not found")]
    NotFound,
    #[error("Current consent document not found")]
    NoCurrent,
    /// A decision named a document that does not exist.
    #[error("no such consent document")]
    UnknownDocument,
    #[error(transparent)]
    Member(#[from] MemberError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// API keys.
#[derive(Debug, thiserror::Error)]
pub enum ApiKeyError {
    #[error("invalid API key: {}", fields(.0))]
    Invalid(Vec<FieldError>),
    #[error("API key not found")]
    NotFound,
    #[error("This API key is managed by the Kubernetes operator; change its ApiKey resource instead")]
    Managed,
    #[error("A revoked API key cannot be changed")]
    RevokedUpdate,
    #[error("A revoked API key cannot be rotated")]
    RevokedRotate,
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Unique constraints of the auth tables, recognised by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unique {
    StaffEmail,
    StaffUsername,
    MemberCode,
    MemberWechat,
    MemberPhone,
    MemberEmail,
    ConsentVersion,
    ApiKeyHash,
}

/// PostgreSQL constraint name, SQLite's `table.col` text, and the constraint.
const UNIQUE: &[(&str, &str, Unique)] = &[
    ("staff_email_key", "staff.email", Unique::StaffEmail),
    ("staff_username_key", "staff.username", Unique::StaffUsername),
    ("members_member_code_key", "members.member_code", Unique::MemberCode),
    (
        "members_wechat_openid_key",
        "members.wechat_openid",
        Unique::MemberWechat,
    ),
    (
        "members_wechat_unionid_key",
        "members.wechat_unionid",
        Unique::MemberWechat,
    ),
    ("members_phone_key", "members.phone", Unique::MemberPhone),
    ("members_email_key", "members.email", Unique::MemberEmail),
    (
        "consent_documents_kind_version_key",
        "consent_documents.kind, consent_documents.version",
        Unique::ConsentVersion,
    ),
    ("api_keys_key_hash_key", "api_keys.key_hash", Unique::ApiKeyHash),
];

/// Which auth constraint a database error violated, if it is a unique violation.
pub(crate) fn unique(err: &DbErr) -> Option<Unique> {
    let name = sbm_common::db::unique_violation(err)?;
    UNIQUE
        .iter()
        .find(|(pg, lite, _)| name == *pg || name == *lite)
        .map(|(_, _, u)| *u)
}
