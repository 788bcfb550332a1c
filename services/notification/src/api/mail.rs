//! Mail: templates (with preview), senders (with a real test message), actions, and the
//! delivery log (with retry). All need `mail:manage`.

use axum::extract::{Path, State};
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use sbm_common::envelope::Envelope;
use sbm_common::query::Locale;
use sbm_common::{ApiJson, ApiResult, AppState, Auth, ListQuery, Page, Principal, created, ok};

use crate::domain::mail::actions::{self, Action, ActionSpec};
use crate::domain::mail::deliveries::{self, Delivery};
use crate::domain::mail::merge;
use crate::domain::mail::senders::{self, Sender, SenderSpec};
use crate::domain::mail::templates::{self, Rendered, Template, TemplateSpec};
use crate::domain::permissions as perm;

fn staff(p: &Principal) -> ApiResult<()> {
    p.require(perm::MAIL_MANAGE)
}

type Json = serde_json::Map<String, Value>;

// ---- templates ----

/// Creates a template. Every text is checked: its syntax, and that it uses declared
/// variables only (a 400 naming `locales.{locale}.{part}`).
#[utoipa::path(post, path = "/mail-templates", tag = "mail", security(("bearer" = [])), request_body = TemplateSpec,
    responses((status = 201, body = Envelope<Template>), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn create_template(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(spec): ApiJson<TemplateSpec>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(created(templates::create(&state.db, spec, state.clock.now()).await?))
}

/// Templates: sort `code`, `name`, `createdAt`; `search` in code and name.
#[utoipa::path(get, path = "/mail-templates", tag = "mail", security(("bearer" = [])), params(sbm_common::query::ListParams),
    responses((status = 200, body = Envelope<Page<Template>>)))]
pub async fn list_templates(
    State(state): State<AppState>,
    Auth(p): Auth,
    q: ListQuery,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(templates::list(&state.db, &q).await?))
}

#[utoipa::path(get, path = "/mail-templates/{id}", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Template>)))]
pub async fn get_template(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(templates::get(&state.db, &id).await?))
}

/// Changes the fields given (checked as on create).
#[utoipa::path(patch, path = "/mail-templates/{id}", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    request_body(content = Object, description = "any fields of a template"),
    responses((status = 200, body = Envelope<Template>), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn update_template(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<Json>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    let current = templates::get(&state.db, &id).await?;
    let spec = merge(&current.spec, patch)?;
    Ok(ok(templates::replace(&state.db, &id, spec, state.clock.now()).await?))
}

/// Deletes a template no action uses (a 409 names the action otherwise).
#[utoipa::path(delete, path = "/mail-templates/{id}", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Template>), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn delete_template(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(templates::delete(&state.db, &id).await?))
}

/// What to preview with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PreviewRequest {
    #[serde(default)]
    #[schema(value_type = Object)]
    pub variables: Json,
    #[serde(default)]
    pub locale: Option<Locale>,
}

/// Renders the template with `variables` in `locale` (English by default). A required
/// variable that is missing is a 422 naming `variables.{name}`.
#[utoipa::path(post, path = "/mail-templates/{id}/preview", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = PreviewRequest,
    responses((status = 200, body = Envelope<Rendered>), (status = 422, body = sbm_common::error::ErrorEnvelope)))]
pub async fn preview(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<PreviewRequest>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    let t = templates::get(&state.db, &id).await?;
    Ok(ok(templates::render(
        &t,
        req.locale.unwrap_or(Locale::En),
        &req.variables,
    )?))
}

// ---- senders ----

/// Creates a sender. The password is write-only: stored sealed, never returned.
#[utoipa::path(post, path = "/mail-senders", tag = "mail", security(("bearer" = [])), request_body = SenderSpec,
    responses((status = 201, body = Envelope<Sender>)))]
pub async fn create_sender(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(spec): ApiJson<SenderSpec>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(created(
        senders::create(&state.db, spec, state.keys.seal_secret(), state.clock.now()).await?,
    ))
}

/// Senders: sort `name`, `createdAt`; `search` in name, address and host.
#[utoipa::path(get, path = "/mail-senders", tag = "mail", security(("bearer" = [])), params(sbm_common::query::ListParams),
    responses((status = 200, body = Envelope<Page<Sender>>)))]
pub async fn list_senders(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(senders::list(&state.db, &q).await?))
}

#[utoipa::path(get, path = "/mail-senders/{id}", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Sender>)))]
pub async fn get_sender(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(senders::get(&state.db, &id).await?))
}

/// Changes the fields given; an empty `password` removes it.
#[utoipa::path(patch, path = "/mail-senders/{id}", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = SenderSpec, responses((status = 200, body = Envelope<Sender>)))]
pub async fn update_sender(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(spec): ApiJson<SenderSpec>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(senders::update(
        &state.db,
        &id,
        spec,
        state.keys.seal_secret(),
        state.clock.now(),
    )
    .await?))
}

/// Deletes a sender no action uses.
#[utoipa::path(delete, path = "/mail-senders/{id}", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Sender>), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn delete_sender(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(senders::delete(&state.db, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TestRequest {
    /// Where to send the test message.
    pub to: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TestResult {
    pub sent: bool,
    pub to: String,
}

/// Sends a real test message through the sender. A refusal or an unreachable server is a 502
/// with the SMTP error.
#[utoipa::path(post, path = "/mail-senders/{id}/test", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = TestRequest,
    responses((status = 200, body = Envelope<TestResult>), (status = 502, body = sbm_common::error::ErrorEnvelope)))]
pub async fn test_sender(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<TestRequest>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    if req.to.parse::<lettre::Address>().is_err() {
        return Err(sbm_common::ApiError::field("to", "must be an email address"));
    }
    let mail = Rendered {
        locale: "en".into(),
        subject: "SBM CRM test message".into(),
        html: "<p>This sender works.</p>".into(),
        text: "This sender works.".into(),
    };
    let message_id = uuid::Uuid::now_v7().to_string();
    senders::send(&state.db, &id, state.keys.seal_secret(), &req.to, &mail, &message_id).await?;
    Ok(ok(TestResult { sent: true, to: req.to }))
}

// ---- actions ----

/// Creates an action. An unknown event, template or sender is a 400 naming the field.
#[utoipa::path(post, path = "/mail-actions", tag = "mail", security(("bearer" = [])), request_body = ActionSpec,
    responses((status = 201, body = Envelope<Action>)))]
pub async fn create_action(
    State(state): State<AppState>,
    Auth(p): Auth,
    ApiJson(spec): ApiJson<ActionSpec>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(created(actions::create(&state.db, spec, state.clock.now()).await?))
}

/// Actions: filters `event`, `active`; sort `name`, `event`, `createdAt`.
#[utoipa::path(get, path = "/mail-actions", tag = "mail", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("event" = Option<String>, Query), ("active" = Option<bool>, Query)),
    responses((status = 200, body = Envelope<Page<Action>>)))]
pub async fn list_actions(State(state): State<AppState>, Auth(p): Auth, q: ListQuery) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(actions::list(&state.db, &q).await?))
}

#[utoipa::path(get, path = "/mail-actions/{id}", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Action>)))]
pub async fn get_action(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(actions::get(&state.db, &id).await?))
}

/// Changes the fields given (checked as on create).
#[utoipa::path(patch, path = "/mail-actions/{id}", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    request_body(content = Object, description = "any fields of an action"),
    responses((status = 200, body = Envelope<Action>)))]
pub async fn update_action(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<Json>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(actions::patch(&state.db, &id, patch, state.clock.now()).await?))
}

#[utoipa::path(delete, path = "/mail-actions/{id}", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Action>)))]
pub async fn delete_action(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(actions::delete(&state.db, &id).await?))
}

// ---- deliveries ----

/// The delivery log, newest first: filters `status` (`queued`, `sending`, `sent`, `failed`,
/// `skipped`), `actionId`, `memberId`; `search` in recipient and subject.
#[utoipa::path(get, path = "/mail-deliveries", tag = "mail", security(("bearer" = [])),
    params(sbm_common::query::ListParams, ("status" = Option<String>, Query), ("actionId" = Option<String>, Query),
           ("memberId" = Option<String>, Query)),
    responses((status = 200, body = Envelope<Page<Delivery>>)))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    Auth(p): Auth,
    q: ListQuery,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(deliveries::list(&state.db, &q).await?))
}

#[utoipa::path(get, path = "/mail-deliveries/{id}", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Delivery>)))]
pub async fn get_delivery(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(deliveries::get(&state.db, &id).await?))
}

/// Queues a failed or skipped delivery again, now, with fresh attempts.
#[utoipa::path(post, path = "/mail-deliveries/{id}/retry", tag = "mail", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = Envelope<Delivery>), (status = 409, body = sbm_common::error::ErrorEnvelope)))]
pub async fn retry_delivery(
    State(state): State<AppState>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    staff(&p)?;
    Ok(ok(deliveries::retry(&state.db, &id, state.clock.now()).await?))
}
