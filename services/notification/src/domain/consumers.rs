//! The inbox's one consumer: every topic it tells members about, in order, once per event
//! (the offset advances in the transaction that writes the notification, and a replay finds
//! the `(event, member)` row already there).

use async_trait::async_trait;
use sbm_common::clock::Clock;
use sbm_common::outbox::{Consumer, Event};
use sea_orm::DatabaseTransaction;

use super::{inbound, inbox, preferences, texts};

/// Writes the in-app notification each event makes, unless the member turned its category off.
pub struct Inbox {
    pub clock: Clock,
}

#[async_trait]
impl Consumer for Inbox {
    fn name(&self) -> &str {
        "notification.inbox"
    }
    fn topics(&self) -> &[&str] {
        &inbound::TOPICS
    }
    async fn handle(&self, txn: &DatabaseTransaction, event: &Event) -> anyhow::Result<()> {
        let Some(draft) = texts::draft(event)? else {
            return Ok(());
        };
        if !preferences::get(txn, &draft.member_id).await?.shows(draft.category) {
            return Ok(());
        }
        inbox::write(txn, &draft, Some(event.id), self.clock.now()).await?;
        Ok(())
    }
}
