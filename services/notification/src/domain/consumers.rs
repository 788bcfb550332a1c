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

use super::broadcasts::{AudienceKind, BroadcastSpec};
use super::inbox::Category;
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
            stream::append_notification(txn, &id, &draft, Some(event.id), now).await?;
        }
        if event.topic == inbound::CONSENT_DOCUMENT_PUBLISHED {
            // Every member hears of a new version of a legal document: a system broadcast,
            // sent in chunks by the dispatcher like staff's.
            let d: DocumentPublished = serde_json::from_value(event.payload.clone())?;
            let (k, v) = (&d.kind, d.version);
            let spec = BroadcastSpec {
                category: Category::System,
                title_en: format!("New {k} (version {v})"),
                title_th: format!("{k} ฉบับใหม่ (เวอร์ชัน {v})"),
                title_cn: format!("新的{k}（版本 {v}）"),
                body_en: "Please read and accept the new version.".into(),
                body_th: "โปรดอ่านและยอมรับฉบับใหม่".into(),
                body_cn: "请阅读并接受新版本。".into(),
                image_url: None,
                cta_url: None,
                audience: AudienceKind::All,
                targets: Vec::new(),
                scheduled_at: None,
            };
            let data = json!({"documentId": d.document_id, "kind": d.kind, "version": v});
            broadcasts::announce(txn, event.id, spec, &event.topic, data, now).await?;
        }
        mail::deliveries::enqueue(txn, event, &self.secret, now).await?;
        Ok(())
    }
    async fn after_commit(&self) {
        self.fanout.notify(stream::CHANNEL).await;
    }
}
