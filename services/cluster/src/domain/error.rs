//! Typed failures of the cluster domain, one enum per area. None of them knows about HTTP:
//! `api/error.rs` turns each into a status and a message, once.

use sbm_common::ListError;
use sbm_common::error::FieldError;
use sea_orm::DbErr;

use super::tiers::LadderViolation;

/// Failures of the tier ladder and of members' tiers.
#[derive(Debug, thiserror::Error)]
pub enum TierError {
    #[error("Tier not found")]
    NotFound,
    #[error("Member not found")]
    MemberNotFound,
    #[error("invalid tier: {0:?}")]
    Invalid(Vec<FieldError>),
    /// The change would break a rule of the ladder as a whole.
    #[error("{0}")]
    Ladder(LadderViolation),
    #[error("the tier code is already used by another tier")]
    CodeTaken,
    #[error("the tier code belongs to a deleted tier; codes are never reused")]
    CodeTakenByDeleted,
    #[error("a tier's code cannot change")]
    CodeImmutable,
    /// The tier belongs to a `Tier` resource of the Kubernetes operator.
    #[error("This tier is managed by the Kubernetes operator (a Tier resource); change the resource instead")]
    Managed,
    /// Members hold the tier: a delete must say where they go.
    #[error("{holders} member(s) hold this tier; pass `reassignTo` with the tier they move to")]
    Held { holders: u64 },
    /// Members hold the tier: it cannot be switched off under them.
    #[error("{holders} member(s) hold this tier; move them first (DELETE with `reassignTo`, or overrides)")]
    HeldDeactivate { holders: u64 },
    #[error("`reassignTo` must name another live tier")]
    BadReassign,
    #[error("The ladder has no default tier yet: create one first")]
    NoLadder,
    #[error("the tier `{0}` is not active")]
    Inactive(String),
    #[error("stored tier {id} is unreadable: {cause}")]
    Corrupt { id: String, cause: String },
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Failures of interests.
#[derive(Debug, thiserror::Error)]
pub enum InterestError {
    #[error("Interest not found")]
    NotFound,
    #[error("Member not found")]
    MemberNotFound,
    #[error("invalid interest: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("the interest code is already used")]
    CodeTaken,
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<sbm_auth::domain::error::MemberError> for TierError {
    fn from(e: sbm_auth::domain::error::MemberError) -> Self {
        use sbm_auth::domain::error::MemberError as M;
        match e {
            M::Db(e) => TierError::Db(e),
            _ => TierError::MemberNotFound,
        }
    }
}

impl From<sbm_auth::domain::error::MemberError> for InterestError {
    fn from(e: sbm_auth::domain::error::MemberError) -> Self {
        use sbm_auth::domain::error::MemberError as M;
        match e {
            M::Db(e) => InterestError::Db(e),
            _ => InterestError::MemberNotFound,
        }
    }
}

/// Failures of badges, progress and awards.
#[derive(Debug, thiserror::Error)]
pub enum BadgeError {
    #[error("Badge not found")]
    NotFound,
    #[error("Badge award not found")]
    AwardNotFound,
    #[error("Member not found")]
    MemberNotFound,
    #[error("invalid badge: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("the badge code is already used")]
    CodeTaken,
    #[error("a badge's code cannot change")]
    CodeImmutable,
    /// The member holds as many awards of this badge as it allows.
    #[error("The member already holds this badge {held} time(s), its maximum")]
    CapReached { held: i64 },
    #[error("This award was already revoked")]
    AlreadyRevoked,
    #[error("stored badge {id} is unreadable: {cause}")]
    Corrupt { id: String, cause: String },
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<sbm_auth::domain::error::MemberError> for BadgeError {
    fn from(e: sbm_auth::domain::error::MemberError) -> Self {
        use sbm_auth::domain::error::MemberError as M;
        match e {
            M::Db(e) => BadgeError::Db(e),
            _ => BadgeError::MemberNotFound,
        }
    }
}

impl From<TierError> for BadgeError {
    fn from(e: TierError) -> Self {
        match e {
            TierError::Db(e) => BadgeError::Db(e),
            e => BadgeError::Db(DbErr::Custom(e.to_string())),
        }
    }
}
