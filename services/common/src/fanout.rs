//! Wake-ups across replicas: "something new is in table X, read it".
//!
//! What changed is always in the database; a wake-up carries only a channel name, so a lost
//! one costs latency, never data (readers also poll on a timer). With Redis, [`Fanout::notify`]
//! queues the wake-up for [`Fanout::listen`]'s task, which publishes it on one Redis channel
//! that every replica's task subscribes to, so a change committed on replica A wakes readers
//! on replica B at once, and an unreachable Redis never slows the caller down. Without Redis (the
//! embedded default, one replica) wake-ups stay in the process, and readers on other replicas
//! would rely on their polling alone.

use std::time::Duration;

use futures::StreamExt;
use tokio::sync::{Mutex, broadcast, mpsc};
use tokio_util::sync::CancellationToken;

/// Wake-ups for this replica, fed by local notifies and, with Redis, by every replica's.
pub struct Fanout {
    local: broadcast::Sender<String>,
    redis: Option<redis::Client>,
    /// Wake-ups to publish, handed to the publisher task so a slow or absent Redis never
    /// holds up the caller (a full queue drops wake-ups: readers poll anyway).
    outbox: mpsc::Sender<String>,
    outbox_rx: Mutex<Option<mpsc::Receiver<String>>>,
    channel: String,
}

impl Fanout {
    /// In-process only.
    pub fn local() -> Self {
        let (outbox, rx) = mpsc::channel(256);
        Self {
            local: broadcast::channel(256).0,
            redis: None,
            outbox,
            outbox_rx: Mutex::new(Some(rx)),
            channel: String::new(),
        }
    }

    /// Across replicas through Redis at `url`, on the channel `{prefix}fanout`.
    pub fn redis(url: &str, prefix: &str) -> anyhow::Result<Self> {
        Ok(Self {
            redis: Some(redis::Client::open(url)?),
            channel: format!("{prefix}fanout"),
            ..Self::local()
        })
    }

    /// Whether wake-ups reach the other replicas.
    pub fn distributed(&self) -> bool {
        self.redis.is_some()
    }

    /// Wake-ups, as channel names. A receiver that lags only loses wake-ups (readers re-read
    /// the table anyway).
    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.local.subscribe()
    }

    /// Wakes this replica's readers of `channel` and, with Redis, every other replica's (the
    /// publishing happens on [`Fanout::listen`]'s task). Never waits and never fails.
    pub async fn notify(&self, channel: &str) {
        let _ = self.local.send(channel.to_string());
        if self.redis.is_some() {
            let _ = self.outbox.try_send(channel.to_string());
        }
    }

    /// Publishes queued wake-ups until `stop`, reconnecting with backoff after a failure.
    async fn publish(&self, client: &redis::Client, mut queue: mpsc::Receiver<String>, stop: CancellationToken) {
        let mut conn: Option<redis::aio::MultiplexedConnection> = None;
        let mut backoff = Duration::from_millis(200);
        loop {
            let channel = tokio::select! {
                _ = stop.cancelled() => return,
                c = queue.recv() => match c { Some(c) => c, None => return },
            };
            if conn.is_none() {
                match tokio::time::timeout(Duration::from_secs(2), client.get_multiplexed_async_connection()).await {
                    Ok(Ok(c)) => conn = Some(c),
                    _ => {
                        tracing::warn!("fan-out: Redis unreachable; other replicas will poll");
                        tokio::select! {
                            _ = stop.cancelled() => return,
                            _ = tokio::time::sleep(backoff) => {}
                        }
                        backoff = (backoff * 2).min(Duration::from_secs(5));
                        continue;
                    }
                }
            }
            let Some(c) = conn.as_mut() else { continue };
            let sent = tokio::time::timeout(
                Duration::from_secs(2),
                redis::cmd("PUBLISH")
                    .arg(&self.channel)
                    .arg(&channel)
                    .query_async::<i64>(c),
            )
            .await;
            if matches!(sent, Ok(Ok(_))) {
                backoff = Duration::from_millis(200);
            } else {
                tracing::warn!("fan-out: publish failed; other replicas will poll");
                conn = None;
            }
        }
    }

    /// Publishes this replica's wake-ups and forwards the Redis channel to its subscribers,
    /// until `stop`. Does nothing without Redis.
    pub async fn listen(&self, stop: CancellationToken) {
        let Some(client) = &self.redis else { return };
        let Some(queue) = self.outbox_rx.lock().await.take() else {
            return;
        };
        tokio::join!(
            self.publish(client, queue, stop.clone()),
            self.subscribe_loop(client, stop)
        );
    }

    /// Forwards the Redis channel to this replica's subscribers until `stop`, reconnecting
    /// after a failure.
    async fn subscribe_loop(&self, client: &redis::Client, stop: CancellationToken) {
        let mut backoff = Duration::from_millis(200);
        while !stop.is_cancelled() {
            let subscribed = async {
                let mut pubsub = client.get_async_pubsub().await?;
                pubsub.subscribe(&self.channel).await?;
                Ok::<_, redis::RedisError>(pubsub)
            };
            let pubsub = tokio::select! {
                _ = stop.cancelled() => return,
                r = tokio::time::timeout(Duration::from_secs(3), subscribed) => r,
            };
            match pubsub {
                Ok(Ok(pubsub)) => {
                    backoff = Duration::from_millis(200);
                    // Whatever was published while no one listened: readers re-read once.
                    let _ = self.local.send(String::new());
                    let mut messages = pubsub.into_on_message();
                    loop {
                        tokio::select! {
                            _ = stop.cancelled() => return,
                            m = messages.next() => match m {
                                Some(m) => {
                                    let _ = self.local.send(m.get_payload::<String>().unwrap_or_default());
                                }
                                None => break,
                            },
                        }
                    }
                    tracing::warn!("fan-out: Redis subscription ended; reconnecting");
                }
                _ => tracing::warn!("fan-out: cannot subscribe on Redis; retrying"),
            }
            tokio::select! {
                _ = stop.cancelled() => return,
                _ = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(Duration::from_secs(5));
        }
    }
}
