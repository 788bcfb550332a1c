//! Notification's one consumer: every topic it reads, in order, once per event (the offset
//! advances in the transaction that does all of it, and a replay finds its rows already
//! there: one notification per event and member, one mail delivery per action and event).
//!
//! One consumer rather than one per concern, so that what depends on order happens in order
//! in one transaction: the member directory is up to date before the same event's mail is
//! queued, and `notification.created` is streamed exactly when the notification exists. (It
//! keeps the name of its first job, `notification.inbox`, which is where its offset is
//! stored.)

use std::sync::Arc;

use async_trait::async_trait;
use sbm_common::clock::Clock;
use sbm_common::fanout::Fanout;
use sbm_common::outbox::{Consumer, Event};
use sea_orm::DatabaseTransaction;
use serde::Deserialize;
use serde_json::json;

use super::inbox::Category;
use super::texts::{Draft, tr};
use super::{broadcasts, inbound, inbox, mail, members, preferences, stream, texts};

/// Keeps the member directory, writes the in-app notification each event makes (unless the
/// member turned its category off), appends what the real-time stream carries, and queues
/// the mail the actions ask for.
pub struct Inbox {
    pub clock: Clock,
    pub fanout: Arc<Fanout>,
    /// Seals queued mail's variables.
    pub secret: [u8; 32],
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DocumentPublished {
    document_id: String,
    kind: String,
    version: i32,
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
        members::apply(txn, event, now).await?;
        stream::append_event(txn, event, now).await?;
        if let Some(draft) = texts::draft(event)?
            && preferences::get(txn, &draft.member_id).await?.shows(draft.category)
            && let Some(id) = inbox::write(txn, &draft, Some(event.id), now).await?
        {
            stream::append_notification(txn, &id, &draft, now).await?;
        }
        if event.topic == inbound::CONSENT_DOCUMENT_PUBLISHED {
            // Every member hears of a new version of a legal document.
            let d: DocumentPublished = serde_json::from_value(event.payload.clone())?;
            let everyone = members::audience(txn, "all", &[]).await?;
            let (k, v) = (&d.kind, d.version);
            let draft = Draft {
                member_id: String::new(),
                category: Category::System,
                kind: event.topic.clone(),
                title: tr(
                    format!("New {k} (version {v})"),
                    format!("{k} ฉบับใหม่ (เวอร์ชัน {v})"),
                    format!("新的{k}（版本 {v}）"),
                ),
                body: tr(
                    "Please read and accept the new version.".into(),
                    "โปรดอ่านและยอมรับฉบับใหม่".into(),
                    "请阅读并接受新版本。".into(),
                ),
                data: json!({"documentId": d.document_id, "kind": d.kind, "version": v}),
                cta_url: None,
                image_url: None,
            };
            broadcasts::write_to(txn, &everyone, &draft, Some(event.id), now).await?;
        }
        mail::deliveries::enqueue(txn, event, &self.secret, now).await?;
        Ok(())
    }
    async fn after_commit(&self) {
        self.fanout.notify(stream::CHANNEL).await;
    }
}
