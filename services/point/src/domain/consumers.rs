//! What point does when other services' events arrive (outbox consumers, typed).

use sbm_auth::domain::events::MemberRegistered;
use sbm_common::clock::Clock;
use sbm_common::events::{EventMeta, Handler};
use sea_orm::DatabaseTransaction;

use super::ledger;

/// Gives the registration bonus: applies the active `registration` action rules once per
/// member when `member.registered` arrives.
pub struct RegistrationBonus {
    pub clock: Clock,
}

#[async_trait::async_trait]
impl Handler for RegistrationBonus {
    type Event = MemberRegistered;
    const NAME: &'static str = "point.registration-bonus";

    async fn handle(&self, txn: &DatabaseTransaction, meta: &EventMeta, event: MemberRegistered) -> anyhow::Result<()> {
        ledger::registration_bonus(txn, &event.member_id, meta.id, self.clock.now()).await?;
        Ok(())
    }
}
