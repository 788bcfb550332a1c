//! Notification's one consumer: every topic it tells members about or streams, in order, once
//! per event (the offset advances in the transaction that writes the notification and the
//! stream rows, and a replay finds the `(event, member)` row already there).
//!
//! One consumer rather than one per concern: the inbox and the stream are written in the same
//! transaction, so `notification.created` is streamed exactly when the notification exists.

use std::sync::Arc;

use async_trait::async_trait;
use sbm_common::clock::Clock;
use sbm_common::fanout::Fanout;
use sbm_common::outbox::{Consumer, Event};
use sea_orm::DatabaseTransaction;

use super::{inbound, inbox, preferences, stream, texts};

/// Writes the in-app notification each event makes (unless the member turned its category
/// off) and appends what the real-time stream carries.
pub struct Inbox {
    pub clock: Clock,
    pub fanout: Arc<Fanout>,
}

#[async_trait]
impl Consumer for Inbox {
    fn name(&self) -> &str {
        "notification.inbox"
    }
    fn topics(&self) -> &[&str] {
        &inbound::CONSUMED
    }
    async fn handle(&self, txn: &DatabaseTransaction, event: &Event) -> anyhow::Result<()> {
        let now = self.clock.now();
        stream::append_event(txn, event, now).await?;
        if let Some(draft) = texts::draft(event)?
            && preferences::get(txn, &draft.member_id).await?.shows(draft.category)
            && let Some(id) = inbox::write(txn, &draft, Some(event.id), now).await?
        {
            stream::append_notification(txn, &id, &draft, now).await?;
        }
        Ok(())
    }
    async fn after_commit(&self) {
        self.fanout.notify(stream::CHANNEL).await;
    }
}
