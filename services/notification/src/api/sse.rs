//! `GET /sse`: the real-time stream, for members (their own events) and staff (everyone's).
//!
//! One [`Hub`] per replica reads the retained log ([`stream`]) after the last id it saw,
//! whenever the fan-out wakes it (a consumer on any replica committed rows) or its poll timer
//! fires, and broadcasts each row to this replica's open streams. A stream first replays what
//! its `Last-Event-ID` missed from the database, then follows the hub, skipping ids it already
//! sent; if it falls behind the hub's buffer it re-reads the database, so nothing is lost.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::{OnceCell, broadcast};
use utoipa::ToSchema;

use sbm_common::identity::{API_KEY_PREFIX, Credential, CredentialStore, JwtKeys, credential, resolve};
use sbm_common::query::Locale;
use sbm_common::{ApiError, ApiResult, AppState, Auth, ListQuery, Principal};

use crate::domain::permissions as perm;
use crate::domain::stream::{self, Resume, StreamEventName, Viewer};
use crate::entity::stream_events as rows;

/// Rows read from the database at once.
const BATCH: u64 = 500;
/// What clients wait before reconnecting (the `retry` field).
const RETRY: Duration = Duration::from_secs(3);

/// This replica's reader of the stream log and its open streams.
pub struct Hub {
    tx: broadcast::Sender<Arc<rows::Model>>,
    started: OnceCell<()>,
    open: Mutex<HashMap<String, usize>>,
}

impl Hub {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            tx: broadcast::channel(1024).0,
            started: OnceCell::new(),
            open: Mutex::new(HashMap::new()),
        })
    }

    /// Starts the reader once, from the log's current head (before any stream subscribes, so
    /// every row after a stream's own start reaches it).
    async fn start(self: &Arc<Self>, state: &AppState) -> Result<(), ApiError> {
        self.started
            .get_or_try_init(|| async {
                let head = stream::head(&state.db).await?;
                tokio::spawn(read(self.clone(), state.clone(), head));
                Ok::<_, ApiError>(())
            })
            .await?;
        Ok(())
    }

    /// Counts an open stream of `key`, refusing beyond `cap`; the count drops with the guard.
    fn admit(self: &Arc<Self>, key: String, cap: usize) -> Option<Admitted> {
        let mut open = self.open.lock().expect("not poisoned");
        let n = open.entry(key.clone()).or_insert(0);
        if *n >= cap {
            return None;
        }
        *n += 1;
        Some(Admitted { hub: self.clone(), key })
    }
}

/// One open stream, counted against its principal's cap until dropped.
struct Admitted {
    hub: Arc<Hub>,
    key: String,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.hub.open.lock().expect("not poisoned");
        if let Some(n) = open.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// The hub's loop: on a wake-up or a tick, broadcast every row after the last one seen.
async fn read(hub: Arc<Hub>, state: AppState, mut cursor: i64) {
    let mut wake = state.fanout.subscribe();
    let mut tick = tokio::time::interval(state.config.sse_poll_interval);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = state.shutdown.cancelled() => return,
            _ = tick.tick() => {}
            w = wake.recv() => match w {
                Ok(channel) if !channel.is_empty() && channel != stream::CHANNEL => continue,
                Err(broadcast::error::RecvError::Closed) => return,
                _ => {}
            },
        }
        loop {
            let batch = match stream::after(&state.db, cursor, BATCH).await {
                Ok(b) => b,
                Err(e) => {
                    tracing::warn!(error = %e, "stream hub: cannot read the log; retrying at the next tick");
                    break;
                }
            };
            let full = batch.len() as u64 == BATCH;
            for row in batch {
                cursor = row.id;
                let _ = hub.tx.send(Arc::new(row));
            }
            if !full {
                break;
            }
        }
    }
}

/// An event on the stream, as documented (the wire format is `text/event-stream`: `id`,
/// `event` and `data` lines; comments `: heartbeat` every 15 s; `retry` first).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct StreamEvent {
    /// Monotonic per stream; send it back as `Last-Event-ID` to resume.
    pub id: String,
    pub event: StreamEventName,
    /// JSON: the event's facts (for `notification.created`, the notification as the inbox
    /// lists it; for grouped names, `topic` says which change it was).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// Where a stream is: replaying from the database, or following the hub.
enum Phase {
    Replay,
    Live,
}

struct Conn {
    db: sea_orm::DatabaseConnection,
    /// The credential the stream was opened with, checked again at every tick of `recheck`: a
    /// stream ends when its token expires or its session ends (logout, password reset ...).
    credential: Credential,
    keys: Arc<JwtKeys>,
    credentials: Arc<dyn CredentialStore>,
    recheck: tokio::time::Interval,
    viewer: Viewer,
    locale: Option<Locale>,
    rx: broadcast::Receiver<Arc<rows::Model>>,
    /// The highest id this stream has passed (sent or not its viewer's).
    last: i64,
    phase: Phase,
    pending: VecDeque<SseEvent>,
    _admitted: Admitted,
}

impl Conn {
    fn push(&mut self, row: &rows::Model) {
        if row.id <= self.last {
            return;
        }
        self.last = row.id;
        if self.viewer.sees(row) {
            self.pending.push_back(
                SseEvent::default()
                    .id(row.id.to_string())
                    .event(&row.event)
                    .data(stream::render(row, self.locale)),
            );
        }
    }

    /// The next event, or `None` when the stream should end (hub gone, database failing: the
    /// client reconnects with its `Last-Event-ID`).
    async fn next(&mut self) -> Option<SseEvent> {
        loop {
            if let Some(e) = self.pending.pop_front() {
                return Some(e);
            }
            match self.phase {
                Phase::Replay => {
                    // Pruned past where this stream is (while it replays): it cannot be
                    // complete, so say so.
                    match stream::pruned_through(&self.db).await {
                        Ok(p) if p > self.last => {
                            let head = stream::head(&self.db).await.unwrap_or(p);
                            self.pending.push_back(reset(head, self.last));
                            self.last = head;
                            self.phase = Phase::Live;
                            continue;
                        }
                        Ok(_) => {}
                        Err(e) => {
                            tracing::warn!(error = %e, "stream: replay failed; closing");
                            return None;
                        }
                    }
                    let batch = match stream::replay(&self.db, &self.viewer, self.last, BATCH).await {
                        Ok(b) => b,
                        Err(e) => {
                            tracing::warn!(error = %e, "stream: replay failed; closing");
                            return None;
                        }
                    };
                    if (batch.len() as u64) < BATCH {
                        self.phase = Phase::Live;
                    }
                    for row in &batch {
                        self.push(row);
                    }
                }
                Phase::Live => tokio::select! {
                    got = self.rx.recv() => match got {
                        Ok(row) => self.push(&row),
                        // Fell behind the hub's buffer: catch up from the database.
                        Err(broadcast::error::RecvError::Lagged(_)) => self.phase = Phase::Replay,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                    _ = self.recheck.tick() => {
                        if resolve(&self.keys, &self.credentials, self.credential.clone()).await.is_err() {
                            return None;
                        }
                    }
                },
            }
        }
    }
}

/// The `reset` event: what came after `last_event_id` cannot be replayed; the stream goes on
/// from `head`.
fn reset(head: i64, last_event_id: i64) -> SseEvent {
    SseEvent::default().id(head.to_string()).event("reset").data(
        serde_json::json!({"reason": "the last event id is beyond retention", "lastEventId": last_event_id})
            .to_string(),
    )
}

/// The credential a request carried, as the identity middleware read it.
fn credential_of(headers: &HeaderMap, q: &ListQuery) -> Option<Credential> {
    credential(headers).or_else(|| {
        let t = q.filter("access_token")?.trim().to_string();
        Some(if t.starts_with(API_KEY_PREFIX) {
            Credential::ApiKey(t)
        } else {
            Credential::Jwt(t)
        })
    })
}

/// The real-time stream (`text/event-stream`). Members get their own events, staff (with
/// `notifications:read`) everyone's. The token comes from `Authorization` or, for browsers'
/// `EventSource`, from `access_token`. `Last-Event-ID` (header, or `lastEventId`) replays what
/// was missed; beyond retention a `reset` event says to reload. A heartbeat comment comes
/// every 15 s, when the credential is also checked again (a stream ends when its token
/// expires or its session ends); streams end when the server shuts down (clients reconnect
/// elsewhere).
#[utoipa::path(get, path = "/sse", tag = "stream", security(("bearer" = [])),
    params(("access_token" = Option<String>, Query, description = "the access token, for clients that cannot set headers"),
           ("lastEventId" = Option<i64>, Query, description = "resume after this id (as the Last-Event-ID header)"),
           ("Last-Event-ID" = Option<i64>, Header, description = "resume after this id"),
           ("locale" = Option<String>, Query, description = "en, th or cn: the language of notification texts")),
    responses((status = 200, description = "An endless `text/event-stream`; each event as below",
               content_type = "text/event-stream", body = StreamEvent),
              (status = 403, body = sbm_common::error::ErrorEnvelope),
              (status = 429, description = "Too many open streams for this principal", body = sbm_common::error::ErrorEnvelope)))]
pub async fn stream(
    State(state): State<AppState>,
    Extension(hub): Extension<Arc<Hub>>,
    Auth(p): Auth,
    headers: HeaderMap,
    q: ListQuery,
) -> ApiResult<Response> {
    let (viewer, locale) = match &p {
        Principal::Member { id, .. } => (
            Viewer::Member(id.clone()),
            super::inbox::locale_or_members(&state, id, q.locale).await?,
        ),
        _ => {
            p.require(perm::NOTIFICATIONS_READ)?;
            (Viewer::Staff, q.locale)
        }
    };
    let last_event_id = match headers.get("last-event-id") {
        Some(v) => Some(("Last-Event-ID", v.to_str().unwrap_or("?").trim().to_string())),
        None => q.filter("lastEventId").map(|v| ("lastEventId", v.trim().to_string())),
    };
    let last_event_id = match last_event_id {
        None => None,
        Some((_, v)) if v.is_empty() => None,
        Some((field, v)) => Some(
            v.parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| ApiError::field(field, "must be an event id (a non-negative integer)"))?,
        ),
    };
    let admitted = hub.admit(p.key(), state.config.sse_max_per_principal).ok_or_else(|| {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Too many open streams: at most {} per caller",
                state.config.sse_max_per_principal
            ),
        )
    })?;
    hub.start(&state).await?;
    let rx = hub.tx.subscribe();
    let credential = credential_of(&headers, &q).ok_or_else(|| ApiError::unauthorized("Missing credentials"))?;
    let mut recheck = tokio::time::interval(state.config.sse_heartbeat);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    recheck.reset();
    let mut conn = Conn {
        db: state.db.clone(),
        credential,
        keys: state.keys.clone(),
        credentials: state.credentials.clone(),
        recheck,
        viewer,
        locale,
        rx,
        last: 0,
        phase: Phase::Live,
        pending: VecDeque::from([SseEvent::default().retry(RETRY)]),
        _admitted: admitted,
    };
    match last_event_id {
        None => conn.last = stream::head(&state.db).await?,
        Some(n) => match stream::resume(&state.db, n).await? {
            Resume::Replay(after) => {
                conn.last = after;
                conn.phase = Phase::Replay;
            }
            Resume::Reset { head } => {
                conn.last = head;
                conn.pending.push_back(reset(head, n));
            }
        },
    }
    let events = futures::stream::unfold(conn, |mut c| async move { c.next().await.map(|e| (e, c)) })
        .map(Ok::<_, Infallible>)
        .take_until(state.shutdown.clone().cancelled_owned());
    let mut res = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(state.config.sse_heartbeat).text("heartbeat"))
        .into_response();
    // Proxies must pass events through as they come, and never compress the stream.
    res.headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    res.headers_mut()
        .insert("cache-control", HeaderValue::from_static("no-cache, no-transform"));
    Ok(res)
}
