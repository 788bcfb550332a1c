//! HTTP handlers, one module per resource: extract, authorize, call one domain function,
//! wrap the result. Domain errors become statuses in [`error`], once.

pub mod broadcasts;
pub mod error;
pub mod inbox;
pub mod mail;
pub mod preferences;
pub mod sse;

use std::sync::Arc;
use std::time::Duration;

use sbm_common::jobs::Job;
use sbm_common::outbox::Consumer;
use sbm_common::{AppState, ServiceModule};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The notification service as the server mounts and runs it.
pub fn module() -> ServiceModule {
    ServiceModule {
        name: "notification",
        title: "SBM CRM notification service",
        routes: router,
        jobs,
        consumers,
        permissions: crate::domain::permissions::ALL,
    }
}

/// The notification routes, documented.
fn router(_state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(inbox::mine))
        .routes(routes!(inbox::unread_count))
        .routes(routes!(inbox::read_all))
        .routes(routes!(inbox::mark))
        .routes(routes!(preferences::mine, preferences::replace))
        .routes(routes!(sse::stream))
        .routes(routes!(broadcasts::list, broadcasts::create))
        .routes(routes!(broadcasts::get))
        .routes(routes!(broadcasts::cancel))
        .routes(routes!(mail::list_templates, mail::create_template))
        .routes(routes!(
            mail::get_template,
            mail::update_template,
            mail::delete_template
        ))
        .routes(routes!(mail::preview))
        .routes(routes!(mail::list_senders, mail::create_sender))
        .routes(routes!(mail::get_sender, mail::update_sender, mail::delete_sender))
        .routes(routes!(mail::test_sender))
        .routes(routes!(mail::list_actions, mail::create_action))
        .routes(routes!(mail::get_action, mail::update_action, mail::delete_action))
        .routes(routes!(mail::list_deliveries))
        .routes(routes!(mail::get_delivery))
        .routes(routes!(mail::retry_delivery))
        .layer(axum::Extension(sse::Hub::new()))
}

/// The inbox and the stream, written from every event they carry.
fn consumers(state: &AppState) -> Vec<Arc<dyn Consumer>> {
    vec![Arc::new(crate::domain::consumers::Inbox {
        clock: state.clock.clone(),
        fanout: state.fanout.clone(),
        secret: *state.keys.seal_secret(),
    })]
}

/// Sending due broadcasts (in chunks) and mail (with retries); pruning the stream's log past
/// its retention.
fn jobs(state: &AppState) -> Vec<Job> {
    let (db, clock, keep) = (state.db.clone(), state.clock.clone(), state.config.sse_retention);
    let every = (keep / 4).clamp(Duration::from_secs(1), Duration::from_secs(600));
    let every_poll = state.config.mail_poll_interval;
    let broadcasts = {
        let (db, clock, fanout) = (db.clone(), clock.clone(), state.fanout.clone());
        Job::new("notification.broadcasts", every_poll, move || {
            let (db, clock, fanout) = (db.clone(), clock.clone(), fanout.clone());
            async move {
                if crate::domain::broadcasts::send_due(&db, clock.now()).await? > 0 {
                    fanout.notify(crate::domain::stream::CHANNEL).await;
                }
                Ok(())
            }
        })
    };
    // Its own job: a broadcast that keeps failing does not hold mail back.
    let mail = {
        let (db, clock) = (db.clone(), clock.clone());
        let secret = *state.keys.seal_secret();
        let retry = Retry {
            max_attempts: state.config.mail_max_attempts,
            base: state.config.mail_retry_base,
        };
        Job::new("notification.mail", every_poll, move || {
            let (db, clock) = (db.clone(), clock.clone());
            async move {
                while deliveries::dispatch(&db, &secret, retry, clock.now()).await? > 0 {}
                Ok(())
            }
        })
    };
    vec![
        broadcasts,
        mail,
        Job::new("notification.stream-prune", every, move || {
            let (db, clock) = (db.clone(), clock.clone());
            async move {
                let before = clock.now() - chrono::Duration::from_std(keep)?;
                let gone = crate::domain::stream::prune(&db, before).await?;
                if gone > 0 {
                    tracing::debug!(gone, "stream events past retention pruned");
                }
                Ok(())
            }
        }),
    ]
}

use crate::domain::mail::deliveries::{self, Retry};
