//! Mail templates: a code, a subject, HTML and text per locale (English required), and the
//! variables they may use. Rendered with minijinja: HTML auto-escaped, subject and text not.
//! Syntax and the use of undeclared variables are checked on save; a required variable missing
//! at render time is a 422 naming it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use minijinja::Environment;
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use sbm_common::error::FieldError;
use sbm_common::query::Locale;
use sbm_common::{ListQuery, ListSpec, Page, Validator};

use crate::domain::NotificationError;
use crate::entity::{mail_actions, mail_templates as rows};

/// One locale's texts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Texts {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// A variable a template may use.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Variable {
    pub name: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub description: Option<String>,
}

/// What staff send to create or replace a template.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TemplateSpec {
    /// Unique, `[a-z0-9_.-]`.
    pub code: String,
    pub name: String,
    /// `en` (required), `th`, `cn`.
    pub locales: BTreeMap<String, Texts>,
    #[serde(default)]
    pub variables: Vec<Variable>,
}

/// A template as staff read it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub id: String,
    #[serde(flatten)]
    pub spec: TemplateSpec,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A rendered mail.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Rendered {
    pub locale: String,
    pub subject: String,
    pub html: String,
    pub text: String,
}

const LOCALES: [&str; 3] = ["en", "th", "cn"];

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    // Names ending in .html are auto-escaped; subjects and texts are not.
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    env
}

/// The syntax of every text, and that it uses only declared variables.
fn check(v: &mut Validator, spec: &TemplateSpec) {
    v.code("code", &spec.code);
    v.text("name", &spec.name, 200);
    if !spec.locales.contains_key("en") {
        v.add("locales.en", "is required");
    }
    let declared: Vec<&str> = spec.variables.iter().map(|x| x.name.as_str()).collect();
    for (i, var) in spec.variables.iter().enumerate() {
        let ok = !var.name.is_empty()
            && var.name.len() <= 64
            && var.name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !var.name.starts_with(|c: char| c.is_ascii_digit());
        if !ok {
            v.add(
                &format!("variables[{i}].name"),
                "must be an identifier (letters, digits, _)",
            );
        }
    }
    let env = env();
    for (locale, texts) in &spec.locales {
        if !LOCALES.contains(&locale.as_str()) {
            v.add(&format!("locales.{locale}"), "unknown locale; allowed: en, th, cn");
            continue;
        }
        for (part, src, name) in [
            ("subject", &texts.subject, "subject.txt"),
            ("html", &texts.html, "body.html"),
            ("text", &texts.text, "body.txt"),
        ] {
            let field = format!("locales.{locale}.{part}");
            v.max_chars(&field, src, 100_000);
            if part == "subject" && src.trim().is_empty() {
                v.add(&field, "must not be empty");
                continue;
            }
            match env.template_from_named_str(name, src) {
                Err(e) => v.add(
                    &field,
                    format!("template syntax: {}", e.detail().unwrap_or(&e.to_string())),
                ),
                Ok(t) => {
                    let mut unknown: Vec<String> = t
                        .undeclared_variables(false)
                        .into_iter()
                        .filter(|n| !declared.contains(&n.as_str()))
                        .collect();
                    unknown.sort();
                    if !unknown.is_empty() {
                        v.add(&field, format!("uses undeclared variables: {}", unknown.join(", ")));
                    }
                }
            }
        }
    }
}

fn to_view(r: rows::Model) -> Result<Template, NotificationError> {
    let corrupt = |e: serde_json::Error| NotificationError::Corrupt {
        id: r.id.clone(),
        cause: e.to_string(),
    };
    Ok(Template {
        spec: TemplateSpec {
            code: r.code.clone(),
            name: r.name.clone(),
            locales: serde_json::from_str(&r.locales).map_err(corrupt)?,
            variables: serde_json::from_str(&r.variables).map_err(corrupt)?,
        },
        id: r.id,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

async fn code_taken(db: &impl ConnectionTrait, code: &str, except: Option<&str>) -> Result<bool, NotificationError> {
    let mut q = rows::Entity::find().filter(rows::Column::Code.eq(code));
    if let Some(id) = except {
        q = q.filter(rows::Column::Id.ne(id));
    }
    Ok(q.one(db).await?.is_some())
}

pub async fn create(
    db: &impl ConnectionTrait,
    spec: TemplateSpec,
    now: DateTime<Utc>,
) -> Result<Template, NotificationError> {
    let mut v = Validator::new();
    check(&mut v, &spec);
    v.into_result().map_err(NotificationError::Invalid)?;
    if code_taken(db, &spec.code, None).await? {
        return Err(NotificationError::Conflict(format!(
            "A template with code `{}` exists",
            spec.code
        )));
    }
    let row = rows::Model {
        id: uuid::Uuid::now_v7().to_string(),
        code: spec.code.clone(),
        name: spec.name.trim().to_string(),
        locales: serde_json::to_string(&spec.locales).expect("serializable"),
        variables: serde_json::to_string(&spec.variables).expect("serializable"),
        created_at: now,
        updated_at: now,
    };
    rows::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(db)
        .await?;
    to_view(row)
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Template, NotificationError> {
    to_view(
        rows::Entity::find_by_id(id)
            .one(db)
            .await?
            .ok_or(NotificationError::Missing("Mail template"))?,
    )
}

/// Replaces a template's code, name, texts and variables.
pub async fn replace(
    db: &impl ConnectionTrait,
    id: &str,
    spec: TemplateSpec,
    now: DateTime<Utc>,
) -> Result<Template, NotificationError> {
    let current = get(db, id).await?;
    let mut v = Validator::new();
    check(&mut v, &spec);
    v.into_result().map_err(NotificationError::Invalid)?;
    if code_taken(db, &spec.code, Some(id)).await? {
        return Err(NotificationError::Conflict(format!(
            "A template with code `{}` exists",
            spec.code
        )));
    }
    rows::Entity::update(rows::ActiveModel {
        id: sea_orm::ActiveValue::Unchanged(id.to_string()),
        code: Set(spec.code.clone()),
        name: Set(spec.name.trim().to_string()),
        locales: Set(serde_json::to_string(&spec.locales).expect("serializable")),
        variables: Set(serde_json::to_string(&spec.variables).expect("serializable")),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?;
    Ok(Template {
        spec,
        updated_at: now,
        ..current
    })
}

/// Deletes a template no action uses (409 otherwise).
pub async fn delete(db: &impl ConnectionTrait, id: &str) -> Result<Template, NotificationError> {
    let t = get(db, id).await?;
    let used = mail_actions::Entity::find()
        .filter(mail_actions::Column::TemplateId.eq(id))
        .one(db)
        .await?;
    if let Some(a) = used {
        return Err(NotificationError::Conflict(format!(
            "The template is used by mail action `{}`",
            a.name
        )));
    }
    rows::Entity::delete_by_id(id).exec(db).await?;
    Ok(t)
}

pub const LIST: ListSpec<rows::Column> = ListSpec {
    default_limit: 20,
    sort: &[
        ("code", rows::Column::Code),
        ("name", rows::Column::Name),
        ("createdAt", rows::Column::CreatedAt),
    ],
    default_sort: rows::Column::CreatedAt,
    tiebreak: rows::Column::Id,
    search: &[rows::Column::Code, rows::Column::Name],
    filters: &[],
};

pub async fn list(db: &impl ConnectionTrait, q: &ListQuery) -> Result<Page<Template>, NotificationError> {
    let page = q.page(db, rows::Entity::find(), &LIST).await?;
    let data = page.data.into_iter().map(to_view).collect::<Result<_, _>>()?;
    Ok(Page { meta: page.meta, data })
}

/// Renders `t` in `locale` (English when the template lacks it) with `vars`. A required
/// variable that is missing or null is a 422 naming it.
pub fn render(
    t: &Template,
    locale: Locale,
    vars: &serde_json::Map<String, Value>,
) -> Result<Rendered, NotificationError> {
    let missing: Vec<FieldError> = t
        .spec
        .variables
        .iter()
        .filter(|x| x.required && vars.get(&x.name).is_none_or(Value::is_null))
        .map(|x| FieldError::new(format!("variables.{}", x.name), "is required by the template"))
        .collect();
    if !missing.is_empty() {
        return Err(NotificationError::Unprocessable(missing));
    }
    let key = match locale {
        Locale::En => "en",
        Locale::Th => "th",
        Locale::Cn => "cn",
    };
    let (key, texts) = match t.spec.locales.get(key) {
        Some(x) => (key, x),
        None => (
            "en",
            t.spec
                .locales
                .get("en")
                .ok_or(NotificationError::Missing("English texts"))?,
        ),
    };
    let env = env();
    let ctx = Value::Object(vars.clone());
    let run = |name: &str, src: &str, part: &str| -> Result<String, NotificationError> {
        env.template_from_named_str(name, src)
            .and_then(|tpl| tpl.render(&ctx))
            .map_err(|e| {
                NotificationError::Unprocessable(vec![FieldError::new(
                    format!("locales.{key}.{part}"),
                    format!("cannot render: {}", e.detail().unwrap_or(&e.to_string())),
                )])
            })
    };
    Ok(Rendered {
        locale: key.to_string(),
        subject: run("subject.txt", &texts.subject, "subject")?.replace(['\r', '\n'], " "),
        html: run("body.html", &texts.html, "html")?,
        text: run("body.txt", &texts.text, "text")?,
    })
}
