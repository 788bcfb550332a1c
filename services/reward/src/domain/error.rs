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

/// Failures of rewards.
#[derive(Debug, thiserror::Error)]
pub enum RewardError {
    /// Unknown, deleted, inactive or in a catalog the member cannot see.
    #[error("Reward not found")]
    NotFound,
    #[error("catalogId names no live catalog")]
    CatalogNotFound,
    #[error("invalid reward: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("the reward code is already used")]
    CodeTaken,
    #[error("a reward's code cannot change")]
    CodeImmutable,
    #[error(
        "This reward is managed by the Kubernetes operator (a RewardCatalog resource); change the resource instead"
    )]
    Managed,
    /// The catalog belongs to a `RewardCatalog` resource, which owns its list of rewards.
    #[error(
        "This catalog is managed by the Kubernetes operator (a RewardCatalog resource); add the reward to the resource instead"
    )]
    CatalogManaged,
    /// `stockTotal` would fall below the stock redemptions hold.
    #[error("stockTotal cannot be below the {claimed} already claimed")]
    StockBelowClaimed { claimed: i64 },
    #[error("stored reward {id} is unreadable: {cause}")]
    Corrupt { id: String, cause: String },
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Ledger(Box<sbm_point::domain::LedgerError>),
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Failures of code pools.
#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    #[error("Reward not found")]
    RewardNotFound,
    #[error("This reward's codeMode is not `pool`")]
    NotPool,
    #[error("invalid codes request: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error("Reward code not found")]
    NotFound,
    #[error("A `{0}` code cannot be voided (only available or assigned ones)")]
    NotVoidable(String),
    #[error("Could not generate {0} unique codes from this pattern; make it longer")]
    PatternExhausted(usize),
    #[error(transparent)]
    Reward(#[from] RewardError),
    #[error(transparent)]
    List(#[from] ListError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A per-member limit that a redemption would pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Lifetime(i32),
    Period(i32, &'static str),
}

/// Failures of redemptions.
#[derive(Debug, thiserror::Error)]
pub enum RedemptionError {
    /// Unknown, deleted or invisible reward (never a 403: see [`CatalogError::NotFound`]).
    #[error("Reward not found")]
    RewardNotFound,
    #[error("This reward is for members of other tiers")]
    WrongTier,
    #[error("This reward cannot be redeemed now: outside its redemption window")]
    OutsideWindow,
    #[error("{}", match .0 {
        Limit::Lifetime(n) => format!("Redemption limit reached: {n} per member"),
        Limit::Period(n, p) => format!("Redemption limit reached: {n} per member per {p}"),
    })]
    LimitReached(Limit),
    #[error("This reward is out of stock")]
    OutOfStock,
    #[error("This reward has no codes left")]
    NoCodes,
    #[error("Redemption not found")]
    NotFound,
    /// The redemption is not in a state the action applies to.
    #[error("This redemption is {status}; it cannot be {action}")]
    Status { status: String, action: &'static str },
    #[error("This redemption expired at {0}")]
    Expired(chrono::DateTime<chrono::Utc>),
    #[error("The QR payload is not this redemption's")]
    QrMismatch,
    /// Staff voided the redemption's pool code: the voucher cannot be used (cancel refunds it).
    #[error("This redemption's code was voided; it cannot be used (cancel it to refund the points)")]
    CodeVoided,
    #[error("cannot sign the redemption's QR payload: {0}")]
    Sign(String),
    #[error(transparent)]
    Ledger(#[from] sbm_point::domain::LedgerError),
    #[error(transparent)]
    Reward(#[from] RewardError),
    #[error(transparent)]
    List(#[from] ListError),
    #[error("invalid redemption query: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Db(#[from] DbErr),
}
