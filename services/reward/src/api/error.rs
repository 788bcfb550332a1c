//! The one place a reward domain error becomes an HTTP status and message.

use sbm_common::ApiError;

use crate::domain::error::CatalogError;

impl From<CatalogError> for ApiError {
    fn from(e: CatalogError) -> Self {
        let message = e.to_string();
        match e {
            CatalogError::NotFound => ApiError::not_found("Reward catalog"),
            CatalogError::Invalid(errors) => ApiError::validation(errors),
            CatalogError::CodeTaken => ApiError::field("code", "is already used by another catalog").with_status(409),
            CatalogError::CodeImmutable => ApiError::field("code", message),
            CatalogError::Managed => ApiError::conflict(message),
            CatalogError::Corrupt { .. } => ApiError::internal(message),
            CatalogError::List(e) => e.into(),
            CatalogError::Db(e) => e.into(),
        }
    }
}
