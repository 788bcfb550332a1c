//! Shared state, the middleware stack every service runs behind, and the server loop.

use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use sea_orm::DatabaseConnection;
use tokio_util::sync::CancellationToken;

/// The cancellation token services use for shutdown.
pub type CancelToken = CancellationToken;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::config::{Config, LogFormat};
use crate::error::ApiError;
use crate::identity::{CredentialStore, Identity, JwtKeys, Principal, credential, resolve};
use crate::ratelimit::{LimitError, RateLimiter};

/// The longest path segment (ids, codes) a request may carry.
pub const MAX_PATH_SEGMENT: usize = 128;
/// The longest `name=value` pair of a query string (search terms, filters, dates).
pub const MAX_QUERY_VALUE: usize = 256;
/// The longest `access_token=...` pair (a JWT).
pub const MAX_QUERY_TOKEN: usize = 4096;

/// Everything a handler may need; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// The contents of [`AppState`].
pub struct Inner {
    pub config: Config,
    pub db: DatabaseConnection,
    pub keys: Arc<JwtKeys>,
    pub limiter: Arc<RateLimiter>,
    pub credentials: Arc<dyn CredentialStore>,
    pub shutdown: CancellationToken,
    pub clock: crate::clock::Clock,
    /// Wake-ups across replicas (Redis pub/sub when configured).
    pub fanout: Arc<crate::fanout::Fanout>,
    /// Every permission of every service built in (served here or not): API keys may carry
    /// the scopes of services another replica serves.
    pub permissions: Vec<crate::identity::Permission>,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(inner: Inner) -> Self {
        Self(Arc::new(inner))
    }

    /// The scopes an API key may carry.
    pub fn api_key_scopes(&self) -> Vec<&'static str> {
        self.permissions
            .iter()
            .filter(|p| p.api_key_scope)
            .map(|p| p.name)
            .collect()
    }
}

/// A service as the server mounts it: its name and its documented routes.
pub struct ServiceRouter {
    pub name: &'static str,
    pub router: OpenApiRouter<AppState>,
    pub title: &'static str,
}

/// Installs the tracing subscriber once (JSON in production, pretty otherwise).
pub fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SBM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Pretty => builder.try_init(),
    };
}

/// The process-wide Prometheus recorder.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("http_request_duration_seconds".into()),
                    &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0],
                )
                .expect("static buckets")
                .build_recorder();
            let handle = recorder.handle();
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// The OpenAPI document of one service, with its base path as server.
pub fn service_openapi(svc: ServiceRouter) -> (Router<AppState>, OpenApi) {
    let (router, mut api) = svc.router.split_for_parts();
    api.info = utoipa::openapi::InfoBuilder::new()
        .title(svc.title)
        .version(env!("CARGO_PKG_VERSION"))
        .description(Some(format!(
            "The `{}` service of SBM CRM. Every response uses the envelope `{{\"statusCode\", \"data\"}}`; \
             errors carry `data.message` and `data.errors[]`. The same routes answer under `/{}/api/v1`.",
            svc.name, svc.name
        )))
        .license(Some(
            utoipa::openapi::LicenseBuilder::new()
                .name("Apache-2.0")
                .identifier(Some("Apache-2.0"))
                .build(),
        ))
        .build();
    api.servers = Some(vec![utoipa::openapi::Server::new(format!("/{}/api", svc.name))]);
    let mut components = api.components.take().unwrap_or_default();
    // The list parameters refer to these by name; routes do not pull them in by themselves.
    {
        use utoipa::{PartialSchema, ToSchema};
        for (name, schema) in [
            (crate::query::SortOrder::name(), crate::query::SortOrder::schema()),
            (crate::query::Locale::name(), crate::query::Locale::schema()),
        ] {
            components.schemas.entry(name.into_owned()).or_insert(schema);
        }
    }
    components.security_schemes.insert(
        "bearer".into(),
        utoipa::openapi::security::SecurityScheme::Http(
            utoipa::openapi::security::HttpBuilder::new()
                .scheme(utoipa::openapi::security::HttpAuthScheme::Bearer)
                .bearer_format("JWT or API key")
                .build(),
        ),
    );
    components.security_schemes.insert(
        "apiKey".into(),
        utoipa::openapi::security::SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Header(
            utoipa::openapi::security::ApiKeyValue::new("X-API-Key"),
        )),
    );
    components
        .schemas
        .entry("ErrorEnvelope".into())
        .or_insert_with(<crate::error::ErrorEnvelope as utoipa::PartialSchema>::schema);
    open_flattened_parts(&mut components);
    api.components = Some(components);
    document_shared_responses(&mut api);
    qualify_operation_ids(&mut api);
    (router, api)
}

/// utoipa names an operation after its handler (`list`, `get`), which repeats across a
/// service's resources; OpenAPI wants operation ids unique, and the SDK generators name their
/// functions and types after them. Each id becomes its tag, then its handler, in camel case:
/// `list` under `api-keys` is `apiKeysList`, `mark_used` under `redemptions` is
/// `redemptionsMarkUsed`.
fn qualify_operation_ids(api: &mut OpenApi) {
    fn camel(words: &str, first_upper: bool) -> String {
        let mut out = String::new();
        for (i, word) in words.split(['-', '_', ' ']).filter(|w| !w.is_empty()).enumerate() {
            let mut chars = word.chars();
            if let Some(c) = chars.next() {
                if i == 0 && !first_upper {
                    out.extend(c.to_lowercase());
                } else {
                    out.extend(c.to_uppercase());
                }
                out.push_str(chars.as_str());
            }
        }
        out
    }
    for item in api.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in ops.into_iter().flatten() {
            let tag = op.tags.as_ref().and_then(|t| t.first()).cloned().unwrap_or_default();
            if let Some(id) = op.operation_id.as_mut() {
                *id = format!("{}{}", camel(&tag, false), camel(id, true));
            }
        }
    }
}

/// A request type that refuses unknown fields (`deny_unknown_fields`, documented as
/// `additionalProperties: false`) is often flattened into its response type (a tier's spec
/// into the tier with its `id` and times), which utoipa documents as `allOf` of the two. Under
/// `allOf` every part is checked against the whole object, so the closed part would refuse the
/// response's own fields: a schema used as a part of an `allOf` is left open. The server still
/// refuses unknown fields in requests (a 400 naming the field).
fn open_flattened_parts(components: &mut utoipa::openapi::Components) {
    use utoipa::openapi::{RefOr, schema::Schema};
    let mut parts = Vec::new();
    for schema in components.schemas.values() {
        if let RefOr::T(Schema::AllOf(all)) = schema {
            for item in &all.items {
                if let RefOr::Ref(r) = item
                    && let Some(name) = r.ref_location.strip_prefix("#/components/schemas/")
                {
                    parts.push(name.to_string());
                }
            }
        }
    }
    for name in parts {
        if let Some(RefOr::T(Schema::Object(o))) = components.schemas.get_mut(&name) {
            o.additional_properties = None;
        }
    }
}

/// Adds the error statuses the shared middleware and extractors give to every operation they
/// apply to, so each route documents only its own: 400 (validation, malformed query or body),
/// 429 (rate limit) and 503 (timeout, database or limiter unavailable) everywhere; 401 and 403
/// with credentials; 404 with a path parameter; 413 and 415 with a body; 422 where an
/// `Idempotency-Key` is taken (the same key with another body).
fn document_shared_responses(api: &mut OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder, path::ParameterIn};
    let error = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorEnvelope")))
                        .build(),
                )
                .build(),
        )
    };
    for (path, item) in api.paths.paths.iter_mut() {
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in ops.into_iter().flatten() {
            let mut add = |status: &str, description: &str| {
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| error(description));
            };
            add("400", "Invalid request: the errors name the fields");
            add("429", "Rate limit exceeded (`Retry-After` says when to retry)");
            add(
                "503",
                "Temporarily unavailable (request timeout, database or rate limiter unreachable)",
            );
            if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                add("401", "Missing, invalid or expired credentials");
                add("403", "The caller lacks the permission this operation needs");
            }
            if path.contains('{') {
                add("404", "Not found");
            }
            if op.request_body.is_some() {
                add("413", "Request body too large");
                add("415", "Unsupported content type");
            }
            let idempotent = op
                .parameters
                .iter()
                .flatten()
                .any(|p| p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case("Idempotency-Key"));
            if idempotent {
                add("422", "Idempotency-Key already used with a different request");
            }
        }
    }
}

/// Builds the whole application: every given service under `/{name}/api` and
/// `/{name}/api/v1`, its OpenAPI document and docs, the health and metrics endpoints, and the
/// middleware stack.
pub fn build_app(state: AppState, services: Vec<ServiceRouter>) -> Router {
    let cors = cors_layer(&state.config.cors_allowed_origins);
    let mut api = Router::new();
    for svc in services {
        let name = svc.name;
        let (router, doc) = service_openapi(svc);
        let base = format!("/{name}/api");
        let spec_path = format!("{base}/openapi.json");
        let docs: Router<AppState> = utoipa_swagger_ui::SwaggerUi::new(format!("{base}/docs"))
            .url(spec_path.clone(), doc)
            .into();
        api = api
            .nest(&base, router.clone())
            .nest(&format!("{base}/v1"), router)
            .merge(docs);
    }
    let api = api
        .layer(middleware::from_fn(check_uri))
        .layer(middleware::from_fn_with_state(state.clone(), identity_and_rate_limit))
        .layer(axum::extract::DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            state.config.request_timeout,
        ));

    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(record_metrics))
        .with_state(state)
        .layer(middleware::from_fn(envelope_errors))
        .layer(middleware::from_fn(no_sniff))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error").into_response()
        }))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("http", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    // Without configured origins there is no layer at all: the request path is unchanged.
    match cors {
        Some(cors) => app.layer(cors),
        None => app,
    }
}

/// Browsers may call the API from the configured origins only (`SBM_CORS_ALLOWED_ORIGINS`;
/// none by default, so a page elsewhere cannot read answers with a member's token). Outermost,
/// so preflights are answered before identity, rate limiting and routing. The SDKs' headers
/// are allowed, and the rate-limit and request-id headers exposed so browser code can read
/// them. No cookies cross origins: the refresh token goes in the body.
fn cors_layer(origins: &[HeaderValue]) -> Option<tower_http::cors::CorsLayer> {
    use axum::http::Method;
    use tower_http::cors::{AllowOrigin, CorsLayer};
    if origins.is_empty() {
        return None;
    }
    let layer = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins.iter().cloned()))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("last-event-id"),
            HeaderName::from_static("x-request-id"),
        ])
        .expose_headers([
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderName::from_static("x-ratelimit-reset"),
            header::RETRY_AFTER,
            HeaderName::from_static("x-request-id"),
            HeaderName::from_static("idempotent-replayed"),
        ])
        .max_age(Duration::from_secs(600));
    Some(layer)
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "Route not found")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed on this route")
}

async fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok"}))
}

async fn readyz(State(state): State<AppState>) -> Response {
    let db_ok = tokio::time::timeout(Duration::from_secs(2), state.db.ping())
        .await
        .is_ok_and(|r| r.is_ok());
    let redis = state.limiter.redis_ok().await;
    // Redis is needed for readiness only when the limiter fails closed: then every API request
    // would be refused while it is unreachable. Failing open, the limiter falls back by itself.
    let rl = &state.config.rate_limit;
    let limiter_blocks =
        rl.enabled && rl.on_redis_failure == crate::config::RedisFailureMode::Closed && redis == Some(false);
    // After SIGTERM the replica still serves during the drain, but asks to get no new traffic.
    let draining = state.shutdown.is_cancelled();
    let ready = db_ok && !limiter_blocks && !draining;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(serde_json::json!({
            "status": if draining { "draining" } else if ready { "ready" } else { "not ready" },
            "database": if db_ok { "ok" } else { "unreachable" },
            "redis": match redis { None => "not configured", Some(true) => "ok", Some(false) => "unreachable" },
        })),
    )
        .into_response()
}

/// `/metrics` alone, for its own listener (`SBM_METRICS_LISTEN`): the public port does not
/// expose it.
pub fn metrics_router() -> Router {
    Router::new()
        .route("/metrics", get(metrics_endpoint))
        .layer(middleware::from_fn(no_sniff))
}

async fn metrics_endpoint() -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        metrics_handle().render(),
    )
        .into_response()
}

/// Requests by route and status, and a latency histogram. Labels use the route template.
async fn record_metrics(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let start = Instant::now();
    let res = next.run(req).await;
    let status = res.status().as_u16().to_string();
    metrics::counter!("http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    res
}

/// A percent-encoded NUL in the path or the query is a 400 naming where it is (PostgreSQL
/// refuses NUL in text, and no identifier or filter legitimately holds one).
async fn check_uri(req: Request, next: Next) -> Response {
    let has_nul = |s: &str| s.as_bytes().windows(3).any(|w| w.eq_ignore_ascii_case(b"%00"));
    if has_nul(req.uri().path()) {
        return ApiError::field("path", "must not contain NUL characters").into_response();
    }
    // Ids and other path segments are short; so is every query value (search terms, filters,
    // dates): bounded here once for every route.
    if req.uri().path().split('/').any(|seg| seg.len() > MAX_PATH_SEGMENT) {
        return ApiError::field(
            "path",
            format!("segments must be at most {MAX_PATH_SEGMENT} characters"),
        )
        .into_response();
    }
    // An access token in the query (the stream's, for EventSource) is longer than a filter.
    let too_long = |pair: &&str| {
        let max = if pair.starts_with("access_token=") {
            MAX_QUERY_TOKEN
        } else {
            MAX_QUERY_VALUE
        };
        pair.len() > max
    };
    if let Some(long) = req.uri().query().and_then(|q| q.split('&').find(too_long)) {
        let name = long.split('=').next().unwrap_or("query");
        let max = if name == "access_token" {
            MAX_QUERY_TOKEN
        } else {
            MAX_QUERY_VALUE
        };
        let name = if name.len() > 64 { "query" } else { name };
        return ApiError::field(name, format!("must be at most {max} characters")).into_response();
    }
    if let Some(q) = req.uri().query()
        && has_nul(q)
    {
        let field = q
            .split('&')
            .find(|pair| has_nul(pair))
            .map(|pair| pair.split('=').next().unwrap_or(pair))
            .filter(|k| !has_nul(k))
            .unwrap_or("query");
        return ApiError::field(field, "must not contain NUL characters").into_response();
    }
    next.run(req).await
}

/// `X-Content-Type-Options: nosniff` on every response: a receipt image (or any body) is only
/// ever what its content type says, never sniffed into HTML by a browser.
async fn no_sniff(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    res
}

/// Any error response that is not already our JSON envelope (timeouts, panics, layer
/// rejections) is rewritten into it, so clients only ever see one error shape.
async fn envelope_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return res;
    }
    let (parts, body) = res.into_parts();
    let _ = to_bytes(body, 64 * 1024).await;
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "Request body is too large".to_string(),
        StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE => "Request timed out".to_string(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Unsupported content type".to_string(),
        s if s.is_server_error() => "Internal server error".to_string(),
        s => s.canonical_reason().unwrap_or("Error").to_string(),
    };
    let mut out = ApiError::new(status, message).into_response();
    for (k, v) in parts.headers.iter() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

/// The routes that take a token from the query.
const STREAM_PATHS: [&str; 2] = ["/notification/api/sse", "/notification/api/v1/sse"];

/// `access_token` from the query, for the real-time stream only: browsers' `EventSource`
/// cannot set headers. Only the path is ever logged (the trace span records `uri.path()`), so
/// the token stays out of logs.
fn stream_token(req: &Request) -> Option<crate::identity::Credential> {
    let path = req.uri().path();
    if req.method() != axum::http::Method::GET || !STREAM_PATHS.contains(&path) {
        return None;
    }
    let axum::extract::Query(q) =
        axum::extract::Query::<std::collections::HashMap<String, String>>::try_from_uri(req.uri()).ok()?;
    let token = q.get("access_token")?.trim();
    if token.is_empty() {
        return None;
    }
    Some(if token.starts_with(crate::identity::API_KEY_PREFIX) {
        crate::identity::Credential::ApiKey(token.to_string())
    } else {
        crate::identity::Credential::Jwt(token.to_string())
    })
}

fn header_u64(v: u64) -> HeaderValue {
    HeaderValue::from_str(&v.to_string()).expect("digits")
}

/// Resolves the caller once, then applies the rate limit keyed by it (client IP for anonymous
/// calls), and writes `X-RateLimit-*` on every response.
async fn identity_and_rate_limit(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let identity = match credential(req.headers()).or_else(|| stream_token(&req)) {
        None => Identity(Ok(None)),
        Some(c) => match resolve(&state.keys, &state.credentials, c).await {
            Ok(p) => Identity(Ok(Some(p))),
            Err(e) => {
                if e.status.is_server_error() {
                    return e.into_response();
                }
                Identity(Err((e.status, e.message)))
            }
        },
    };
    let rl = &state.limiter.config;
    let (key, limit) = match &identity.0 {
        Ok(Some(p)) => {
            let limit = match p {
                Principal::ApiKey {
                    plan, limit_per_hour, ..
                } => match plan {
                    crate::identity::Plan::Standard => rl.standard_per_hour,
                    crate::identity::Plan::Premium => rl.premium_per_hour,
                    crate::identity::Plan::Enterprise => limit_per_hour.unwrap_or(rl.premium_per_hour),
                },
                _ => rl.token_per_hour,
            };
            (p.key(), limit)
        }
        _ => {
            let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
            let ip = client_ip(peer, req.headers(), &state.config.trusted_proxies)
                .map(|ip| ip.to_string())
                .unwrap_or_else(|| "unknown".into());
            (format!("ip:{ip}"), rl.anonymous_per_hour)
        }
    };
    req.extensions_mut().insert(identity);
    if !rl.enabled {
        return next.run(req).await;
    }
    let decision = match state.limiter.check(&key, limit).await {
        Ok(d) => d,
        Err(LimitError::Unavailable) => {
            return ApiError::unavailable("Rate limiter unavailable; try again shortly").into_response();
        }
    };
    let headers = [
        (HeaderName::from_static("x-ratelimit-limit"), header_u64(decision.limit)),
        (
            HeaderName::from_static("x-ratelimit-remaining"),
            header_u64(decision.remaining),
        ),
        (
            HeaderName::from_static("x-ratelimit-reset"),
            header_u64(decision.reset_at),
        ),
    ];
    let mut res = if decision.allowed {
        next.run(req).await
    } else {
        let retry = decision.retry_after.ceil().max(1.0) as u64;
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Rate limit of {} requests per hour exceeded; retry in {retry} s",
                decision.limit
            ),
        )
        .with_header(header::RETRY_AFTER, header_u64(retry))
        .into_response()
    };
    for (k, v) in headers {
        res.headers_mut().insert(k, v);
    }
    res
}

/// The client's address: the TCP peer, unless the peer is a trusted proxy; then the right-most
/// `X-Forwarded-For` entry that is not itself a trusted proxy (entries further left are
/// whatever the client claimed and are not believed).
pub fn client_ip(
    peer: Option<std::net::IpAddr>,
    headers: &axum::http::HeaderMap,
    trusted: &[ipnet::IpNet],
) -> Option<std::net::IpAddr> {
    let peer = peer?;
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return Some(peer);
    }
    let mut client = peer;
    for value in headers.get_all("x-forwarded-for").iter().rev() {
        let Ok(text) = value.to_str() else { break };
        for hop in text.rsplit(',') {
            match hop.trim().parse::<std::net::IpAddr>() {
                Ok(ip) => {
                    client = ip;
                    if !is_trusted(&ip) {
                        return Some(client);
                    }
                }
                Err(_) => return Some(client),
            }
        }
    }
    Some(client)
}

/// How the server loop treats slow clients and shutdown.
#[derive(Debug, Clone, Copy)]
pub struct ServeLimits {
    /// A connection must send a request's headers within this, or it is closed.
    pub header_read_timeout: Duration,
    /// After shutdown begins: how long new connections are still accepted (while `/readyz`
    /// answers 503, so load balancers take the replica out first).
    pub drain: Duration,
    /// After the listener closes: how long requests in flight may take before connections are
    /// cut.
    pub grace: Duration,
}

impl ServeLimits {
    pub fn from_config(config: &Config) -> Self {
        Self {
            header_read_timeout: config.header_read_timeout,
            drain: config.shutdown_drain,
            grace: config.shutdown_grace,
        }
    }
}

/// Serves `app` on `listener` until `shutdown` is cancelled, then drains: connections are
/// still accepted for `limits.drain`, then the listener closes, idle connections are closed and
/// requests in flight get up to `limits.grace` to finish; connections still open after that
/// are cut. HTTP/1.1 on hyper's own connection builder: `axum::serve` has no header-read
/// timeout, and hyper-util's auto (HTTP/1 and 2) builder reads the protocol preface without one
/// (the Ingress in front speaks HTTP/1.1 to the pods anyway).
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: CancellationToken,
    limits: ServeLimits,
) -> std::io::Result<()> {
    use hyper::server::conn::http1;
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use hyper_util::service::TowerToHyperService;
    use tower::ServiceExt;

    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let graceful = GracefulShutdown::new();
    let mut connections = tokio::task::JoinSet::new();
    let stop_accepting = async {
        shutdown.cancelled().await;
        tracing::info!(drain = ?limits.drain, "shutting down: draining before the listener closes");
        tokio::time::sleep(limits.drain).await;
    };
    let mut stop_accepting = std::pin::pin!(stop_accepting);
    loop {
        // Forget the connections that have ended.
        while connections.try_join_next().is_some() {}
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut stop_accepting => break,
        };
        let _ = stream.set_nodelay(true);
        let svc = app
            .clone()
            .map_request(move |mut req: axum::http::Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req
            });
        let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(svc)));
        connections.spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tracing::info!(grace = ?limits.grace, "listener closed; waiting for requests in flight");
    tokio::select! {
        _ = graceful.shutdown() => tracing::info!("all connections closed"),
        _ = tokio::time::sleep(limits.grace) => {
            tracing::warn!(open = connections.len(), "shutdown grace elapsed; cutting the remaining connections");
        }
    }
    connections.shutdown().await;
    Ok(())
}

/// Resolves when SIGINT or SIGTERM arrives.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown signal received");
}

/// Reads a body for tests and the idempotency layer alike.
pub async fn body_bytes(body: Body, limit: usize) -> Result<axum::body::Bytes, ApiError> {
    to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_peers() {
        let trusted = crate::config::parse_cidrs("10.0.0.0/8").unwrap();
        let mut h = axum::http::HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.1.2.3".parse().unwrap());
        let ingress = Some("10.0.0.5".parse().unwrap());
        // Through the trusted ingress: the right-most untrusted hop, not what the client claimed.
        assert_eq!(client_ip(ingress, &h, &trusted), Some("203.0.113.9".parse().unwrap()));
        // From an untrusted peer the header is ignored.
        let direct = Some("198.51.100.1".parse().unwrap());
        assert_eq!(client_ip(direct, &h, &trusted), direct);
        // No trusted proxies configured: the peer.
        assert_eq!(client_ip(ingress, &h, &[]), ingress);
        // A trusted peer without the header is the client itself.
        assert_eq!(client_ip(ingress, &axum::http::HeaderMap::new(), &trusted), ingress);
    }
}
