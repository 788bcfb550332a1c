//! The one place point asks the auth service's domain about members.

use sea_orm::ConnectionTrait;

use super::error::LedgerError;

/// The member's status (`active`, `anonymized`), or `None` when there is no such member.
async fn status(db: &impl ConnectionTrait, member: &str) -> Result<Option<String>, LedgerError> {
    Ok(sbm_auth::domain::member_status(db, member).await?)
}

/// Ok when the member exists and is active; `MemberNotFound`, or `MemberAnonymised` when it
/// was deleted.
pub async fn require_active(db: &impl ConnectionTrait, member: &str) -> Result<(), LedgerError> {
    match status(db, member).await?.as_deref() {
        None => Err(LedgerError::MemberNotFound),
        Some("active") => Ok(()),
        Some(_) => Err(LedgerError::MemberAnonymised),
    }
}

/// Ok when the member exists, active or not.
pub async fn require_exists(db: &impl ConnectionTrait, member: &str) -> Result<(), LedgerError> {
    status(db, member).await?.map(|_| ()).ok_or(LedgerError::MemberNotFound)
}

/// The condition "the member exists and is active", for a statement to carry (the earn's
/// balance upsert), saving the round trip of [`require_active`].
pub fn active_condition(member: &str) -> sea_orm::sea_query::SimpleExpr {
    sbm_auth::domain::active_member_exists(member)
}
