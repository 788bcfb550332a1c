//! The one place where auth's domain errors become HTTP statuses and envelopes.

use axum::http::StatusCode;
use sbm_common::ApiError;

use crate::domain::error::{
    ApiKeyError, ConsentError, LoginError, MemberError, PasswordError, SessionError, StaffError, WechatError,
};

fn status(status: StatusCode, e: impl std::fmt::Display) -> ApiError {
    ApiError::new(status, e.to_string())
}

impl From<PasswordError> for ApiError {
    fn from(e: PasswordError) -> Self {
        ApiError::internal(e)
    }
}

impl From<StaffError> for ApiError {
    fn from(e: StaffError) -> Self {
        match e {
            StaffError::Invalid(errors) => ApiError::validation(errors),
            StaffError::EmailTaken => {
                ApiError::field("email", "is already used by another staff account").with_status(409)
            }
            StaffError::UsernameTaken => {
                ApiError::field("username", "is already used by another staff account").with_status(409)
            }
            StaffError::NotFound => status(StatusCode::NOT_FOUND, e),
            StaffError::LastAdminDemoted | StaffError::LastAdminDeleted | StaffError::DeleteSelf => {
                status(StatusCode::CONFLICT, e)
            }
            StaffError::Password(e) => e.into(),
            StaffError::Db(e) => e.into(),
        }
    }
}

impl From<LoginError> for ApiError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::Invalid(errors) => ApiError::validation(errors),
            LoginError::BadCredentials | LoginError::Deactivated => status(StatusCode::UNAUTHORIZED, e),
            LoginError::Password(e) => e.into(),
            LoginError::Db(e) => e.into(),
        }
    }
}

impl From<SessionError> for ApiError {
    fn from(e: SessionError) -> Self {
        match e {
            SessionError::InvalidRefresh | SessionError::RefreshReused => status(StatusCode::UNAUTHORIZED, e),
            SessionError::Db(e) => e.into(),
        }
    }
}

impl From<MemberError> for ApiError {
    fn from(e: MemberError) -> Self {
        match e {
            MemberError::Invalid(errors) => ApiError::validation(errors),
            MemberError::NotFound => status(StatusCode::NOT_FOUND, e),
            MemberError::Anonymised | MemberError::NotEditable => status(StatusCode::CONFLICT, e),
            MemberError::AccountDeleted => status(StatusCode::FORBIDDEN, e),
            MemberError::Taken { field } => {
                ApiError::field(field, "is already used by another member").with_status(409)
            }
            MemberError::Db(e) => e.into(),
        }
    }
}

impl From<WechatError> for ApiError {
    fn from(e: WechatError) -> Self {
        match e {
            WechatError::Unreachable | WechatError::BadAnswer => status(StatusCode::SERVICE_UNAVAILABLE, e),
            WechatError::CodeRefused | WechatError::AccountDeleted => status(StatusCode::UNAUTHORIZED, e),
            WechatError::Race => status(StatusCode::CONFLICT, e),
            WechatError::Member(e) => e.into(),
            WechatError::Db(e) => e.into(),
        }
    }
}

impl From<ConsentError> for ApiError {
    fn from(e: ConsentError) -> Self {
        match e {
            ConsentError::Invalid(errors) => ApiError::validation(errors),
            ConsentError::NotFound | ConsentError::NoCurrent => status(StatusCode::NOT_FOUND, e),
            ConsentError::UnknownDocument => ApiError::field("documentId", e.to_string()),
            ConsentError::Member(e) => e.into(),
            ConsentError::Db(e) => e.into(),
        }
    }
}

impl From<ApiKeyError> for ApiError {
    fn from(e: ApiKeyError) -> Self {
        match e {
            ApiKeyError::Invalid(errors) => ApiError::validation(errors),
            ApiKeyError::NotFound => status(StatusCode::NOT_FOUND, e),
            ApiKeyError::Managed | ApiKeyError::RevokedUpdate | ApiKeyError::RevokedRotate => {
                status(StatusCode::CONFLICT, e)
            }
            ApiKeyError::Json(e) => ApiError::internal(e),
            ApiKeyError::Db(e) => e.into(),
        }
    }
}
