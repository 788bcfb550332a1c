//! SMTP sender identities. The password is write-only: sealed at rest under the platform's
//! secret (ChaCha20-Poly1305, keyed per sender), never returned, never logged.

use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::ActiveValue::{Set, Unchanged};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use sbm_common::idempotency::{SEALED, open, seal};
use sbm_common::{ListQuery, ListSpec, Page, Validator};

use super::templates::Rendered;
use crate::domain::NotificationError;
use crate::entity::{mail_actions, mail_senders as rows};

const SCOPE: &str = "mail-sender";

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain SMTP (a relay on a private network).
    None,
    /// Plain, then upgraded with STARTTLS (required).
    Starttls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

impl Security {
    fn as_str(self) -> &'static str {
        match self {
            Security::None => "none",
            Security::Starttls => "starttls",
            Security::Tls => "tls",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "starttls" => Security::Starttls,
            "tls" => Security::Tls,
            _ => Security::None,
        }
    }
}

/// What staff send to create or change a sender. On a change, a field left out keeps its
/// value; an empty `fromName`, `username` or `password` clears it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SenderSpec {
    pub name: Option<String>,
    pub from_email: Option<String>,
    pub from_name: Option<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub security: Option<Security>,
    pub username: Option<String>,
    /// Write-only: stored sealed, never returned.
    #[schema(write_only)]
    pub password: Option<String>,
}

/// A sender as staff read it (the password never).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Sender {
    pub id: String,
    pub name: String,
    pub from_email: String,
    pub from_name: Option<String>,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    /// Whether a password is stored.
    pub password_set: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<rows::Model> for Sender {
    fn from(r: rows::Model) -> Self {
        Sender {
            id: r.id,
            name: r.name,
            from_email: r.from_email,
            from_name: r.from_name,
            host: r.host,
            port: u16::try_from(r.port).unwrap_or(25),
            security: Security::parse(&r.security),
            username: r.username,
            password_set: r.password_sealed.is_some(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

fn is_email(s: &str) -> bool {
    s.parse::<lettre::Address>().is_ok()
}

fn check(v: &mut Validator, r: &rows::Model) {
    v.text("name", &r.name, 200);
    v.check(is_email(&r.from_email), "fromEmail", "must be an email address");
    if let Some(n) = &r.from_name {
        v.max_chars("fromName", n, 200);
    }
    v.check(
        !r.host.trim().is_empty() && r.host.len() <= 253 && !r.host.contains(char::is_whitespace),
        "host",
        "must be a host name or address",
    );
    v.check(r.port > 0, "port", "must be between 1 and 65535");
    if let Some(u) = &r.username {
        v.max_chars("username", u, 200);
    }
    // Credentials never cross a network in the clear: plain SMTP with a login only to a
    // relay on this host.
    let loopback = matches!(r.host.as_str(), "localhost" | "127.0.0.1" | "::1" | "[::1]");
    v.check(
        !(r.security == "none" && r.username.is_some() && !loopback),
        "security",
        "must be `starttls` or `tls` when a username is set (plain SMTP would send the password in the clear)",
    );
}

fn apply(r: &mut rows::Model, spec: SenderSpec, secret: &[u8; 32]) -> Result<(), NotificationError> {
    if let Some(x) = spec.name {
        r.name = x.trim().to_string();
    }
    if let Some(x) = spec.from_email {
        r.from_email = x.trim().to_string();
    }
    if let Some(x) = spec.from_name {
        r.from_name = Some(x.trim().to_string()).filter(|n| !n.is_empty());
    }
    if let Some(x) = spec.host {
        r.host = x.trim().to_string();
    }
    if let Some(x) = spec.port {
        r.port = i32::from(x);
    }
    if let Some(x) = spec.security {
        r.security = x.as_str().into();
    }
    if let Some(x) = spec.username {
        r.username = Some(x).filter(|u| !u.is_empty());
    }
    if let Some(x) = spec.password {
        if x.len() > 1000 {
            return Err(NotificationError::Invalid(vec![sbm_common::FieldError::new(
                "password",
                "must be at most 1000 characters",
            )]));
        }
        r.password_sealed = Some(x)
            .filter(|p| !p.is_empty())
            .map(|p| seal(secret, SCOPE, &r.id, &p));
    }
    Ok(())
}

pub async fn create(
    db: &impl ConnectionTrait,
    spec: SenderSpec,
    secret: &[u8; 32],
    now: DateTime<Utc>,
) -> Result<Sender, NotificationError> {
    let mut v = Validator::new();
    v.check(spec.name.is_some(), "name", "is required");
    v.check(spec.from_email.is_some(), "fromEmail", "is required");
    v.check(spec.host.is_some(), "host", "is required");
    v.into_result().map_err(NotificationError::Invalid)?;
    let mut r = rows::Model {
        id: uuid::Uuid::now_v7().to_string(),
        name: String::new(),
        from_email: String::new(),
        from_name: None,
        host: String::new(),
        port: 587,
        security: "starttls".into(),
        username: None,
        password_sealed: None,
        created_at: now,
        updated_at: now,
    };
    apply(&mut r, spec, secret)?;
    let mut v = Validator::new();
    check(&mut v, &r);
    v.into_result().map_err(NotificationError::Invalid)?;
    rows::Entity::insert(r.clone().into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(r.into())
}

async fn row(db: &impl ConnectionTrait, id: &str) -> Result<rows::Model, NotificationError> {
    rows::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(NotificationError::Missing("Mail sender"))
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Sender, NotificationError> {
    Ok(row(db, id).await?.into())
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: &str,
    spec: SenderSpec,
    secret: &[u8; 32],
    now: DateTime<Utc>,
) -> Result<Sender, NotificationError> {
    let mut r = row(db, id).await?;
    apply(&mut r, spec, secret)?;
    let mut v = Validator::new();
    check(&mut v, &r);
    v.into_result().map_err(NotificationError::Invalid)?;
    r.updated_at = now;
    // Every column written (a model converts to an all-unchanged active model).
    let mut am = r.clone().into_active_model().reset_all();
    am.id = Unchanged(r.id.clone());
    am.created_at = Unchanged(r.created_at);
    am.updated_at = Set(now);
    rows::Entity::update(am).exec(db).await?;
    Ok(r.into())
}

pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<Sender, NotificationError> {
    let r = row(db, id).await?;
    if let Some(a) = mail_actions::Entity::find()
        .filter(mail_actions::Column::SenderId.eq(id))
        .one(db)
        .await?
    {
        return Err(NotificationError::Conflict(format!(
            "The sender is used by mail action `{}`",
            a.name
        )));
    }
    rows::Entity::delete_by_id(id).exec(db).await?;
    Ok(r.into())
}

pub const LIST: ListSpec<rows::Column> = ListSpec {
    default_limit: 20,
    sort: &[("name", rows::Column::Name), ("createdAt", rows::Column::CreatedAt)],
    default_sort: rows::Column::CreatedAt,
    tiebreak: rows::Column::Id,
    search: &[rows::Column::Name, rows::Column::FromEmail, rows::Column::Host],
    filters: &[],
};

pub async fn list(db: &impl ConnectionTrait, q: &ListQuery) -> Result<Page<Sender>, NotificationError> {
    let page = q.page(db, rows::Entity::find(), &LIST).await?;
    Ok(Page {
        meta: page.meta,
        data: page.data.into_iter().map(Sender::from).collect(),
    })
}

/// Sends `mail` to `to` through the sender `id`.
pub async fn send(
    db: &impl ConnectionTrait,
    id: &str,
    secret: &[u8; 32],
    to: &str,
    mail: &Rendered,
    message_id: &str,
) -> Result<(), NotificationError> {
    let r = row(db, id).await?;
    let password = match &r.password_sealed {
        None => None,
        Some(s) => Some(
            s.strip_prefix(SEALED)
                .and_then(|inner| open(secret, SCOPE, &r.id, inner))
                .ok_or_else(|| {
                    NotificationError::Smtp(
                        "the stored password cannot be opened (the platform's signing key changed?); set it again"
                            .into(),
                    )
                })?,
        ),
    };
    let smtp = |e: &dyn std::fmt::Display| NotificationError::Smtp(e.to_string());
    let from = Mailbox::new(r.from_name.clone(), r.from_email.parse().map_err(|e| smtp(&e))?);
    let to: Mailbox = to.parse().map_err(|e| smtp(&e))?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{message_id}@sbm-crm>")))
        .header(ContentLanguage(mail.locale.clone()))
        .multipart(MultiPart::alternative_plain_html(mail.text.clone(), mail.html.clone()))
        .map_err(|e| smtp(&e))?;
    let security = Security::parse(&r.security);
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(r.host.clone())
        .port(u16::try_from(r.port).unwrap_or(25))
        .timeout(Some(Duration::from_secs(15)));
    builder = match security {
        Security::None => builder.tls(Tls::None),
        Security::Starttls => builder.tls(Tls::Required(TlsParameters::new(r.host.clone()).map_err(|e| smtp(&e))?)),
        Security::Tls => builder.tls(Tls::Wrapper(TlsParameters::new(r.host.clone()).map_err(|e| smtp(&e))?)),
    };
    if let (Some(user), Some(pw)) = (r.username.clone(), password) {
        builder = builder.credentials(Credentials::new(user, pw));
    }
    builder.build().send(message).await.map_err(|e| smtp(&e))?;
    Ok(())
}

/// `Content-Language`, so clients (and tests) see which locale a mail went out in.
#[derive(Clone)]
struct ContentLanguage(String);

impl lettre::message::header::Header for ContentLanguage {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Content-Language")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_string()))
    }
    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}
