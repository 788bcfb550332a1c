//! Typed failures of the reward domain. None of them knows about HTTP: `api/error.rs` turns
//! each into a status and a message, once.

use sbm_common::ListError;
use sbm_common::error::FieldError;
use sea_orm::DbErr;

/// Failures of catalogs.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// Unknown, deleted, or not visible to the member asking (never a 403: a member does not
    /// learn that a catalog it cannot see exists).
    #[error("Reward catalog not found")]
    NotFound,
    #[error("invalid catalog: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("the catalog code is already used")]
    CodeTaken,
    #[error("a catalog's code cannot change")]
    CodeImmutable,
    #[error(
        "This catalog is managed by the Kubernetes operator (a RewardCatalog resource); change the resource instead"
    )]
    Managed,
    #[error("stored catalog {id} is unreadable: {cause}")]
    Corrupt { id: String, cause: String },
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbErr),
}
