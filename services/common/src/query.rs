//! Query-string conventions: pagination, sorting against a whitelist, search, filters, locale.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoSimpleExpr, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::envelope::Page;
use crate::error::{ApiError, FieldError};

/// Largest `limit` a list accepts, from the seed.
pub const MAX_LIMIT: u64 = 100;
/// Default `limit` where an endpoint does not say otherwise.
pub const DEFAULT_LIMIT: u64 = 20;

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    Asc,
    Desc,
}

/// Locale for `*_en` / `*_th` / `*_cn` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    En,
    Th,
    Cn,
}

impl Locale {
    /// Picks the localized value, falling back to English when the wanted one is empty.
    pub fn pick<'a>(self, en: &'a str, th: &'a str, cn: &'a str) -> &'a str {
        let v = match self {
            Locale::En => en,
            Locale::Th => th,
            Locale::Cn => cn,
        };
        if v.is_empty() { en } else { v }
    }
}

/// Documentation of the common list parameters (the extractor is [`ListQuery`]).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListParams {
    /// Page number, from 1.
    page: Option<u64>,
    /// Page size, at most 100.
    limit: Option<u64>,
    /// Field to sort by; each list names the fields it accepts.
    #[serde(rename = "sortBy")]
    #[param(rename = "sortBy")]
    sort_by: Option<String>,
    /// `asc` or `desc`.
    #[serde(rename = "sortOrder")]
    #[param(rename = "sortOrder")]
    sort_order: Option<SortOrder>,
    /// Free-text search.
    search: Option<String>,
    /// `en`, `th` or `cn`: adds resolved localized fields.
    locale: Option<Locale>,
}

/// Parsed list query. Unknown keys are kept as filters for the resource to read.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub page: u64,
    /// The page size: the caller's `limit`, or [`DEFAULT_LIMIT`] (see [`ListSpec::default_limit`]).
    pub limit: u64,
    /// `limit` as the caller gave it, so each endpoint can apply its own default.
    pub explicit_limit: Option<u64>,
    pub sort_by: Option<String>,
    pub sort_order: SortOrder,
    /// Whether the caller gave `sortOrder` (lists whose natural order is ascending, like the
    /// tier ladder, flip the default only when it was not given).
    pub sort_order_given: bool,
    pub search: Option<String>,
    pub locale: Option<Locale>,
    pub filters: HashMap<String, String>,
}

impl ListQuery {
    /// Parses the raw pairs, with the endpoint's default limit.
    pub fn parse(mut raw: HashMap<String, String>, default_limit: u64) -> Result<Self, ApiError> {
        let mut errors = Vec::new();
        let mut num = |key: &str, default: u64, min: u64, max: u64| -> u64 {
            match raw.get(key).map(|s| s.trim()) {
                None | Some("") => default,
                Some(v) => match v.parse::<u64>() {
                    Ok(n) if n >= min && n <= max => n,
                    _ => {
                        errors.push(FieldError::new(
                            key,
                            format!("must be an integer between {min} and {max}"),
                        ));
                        default
                    }
                },
            }
        };
        let page = num("page", 1, 1, 1_000_000);
        let explicit_limit = raw
            .get("limit")
            .filter(|s| !s.trim().is_empty())
            .map(|_| num("limit", default_limit, 1, MAX_LIMIT));
        let limit = explicit_limit.unwrap_or(default_limit);
        let sort_order_given = raw.contains_key("sortOrder");
        let sort_order = match raw.get("sortOrder").map(|s| s.to_ascii_lowercase()) {
            None => SortOrder::Desc,
            Some(s) if s == "asc" => SortOrder::Asc,
            Some(s) if s == "desc" => SortOrder::Desc,
            Some(_) => {
                errors.push(FieldError::new("sortOrder", "must be `asc` or `desc`"));
                SortOrder::Desc
            }
        };
        let locale = match raw.get("locale").map(|s| s.to_ascii_lowercase()) {
            None => None,
            Some(s) if s == "en" => Some(Locale::En),
            Some(s) if s == "th" => Some(Locale::Th),
            Some(s) if s == "cn" => Some(Locale::Cn),
            Some(_) => {
                errors.push(FieldError::new("locale", "must be one of `en`, `th`, `cn`"));
                None
            }
        };
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        let sort_by = raw.remove("sortBy").filter(|s| !s.is_empty());
        let search = raw
            .remove("search")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        for k in ["page", "limit", "sortOrder", "locale"] {
            raw.remove(k);
        }
        Ok(Self {
            page,
            limit,
            explicit_limit,
            sort_by,
            sort_order,
            sort_order_given,
            search,
            locale,
            filters: raw,
        })
    }

    /// Resolves `sortBy` against the resource's whitelist; an unknown field is a 400 naming it.
    pub fn sort<C: Copy>(&self, allowed: &[(&str, C)], default: C) -> Result<(C, SortOrder), ApiError> {
        match &self.sort_by {
            None => Ok((default, self.sort_order)),
            Some(name) => allowed
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, c)| (*c, self.sort_order))
                .ok_or_else(|| {
                    let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
                    ApiError::field(
                        "sortBy",
                        format!("unknown sort field `{name}`; allowed: {}", names.join(", ")),
                    )
                }),
        }
    }

    /// A plain filter value.
    pub fn filter(&self, key: &str) -> Option<&str> {
        self.filters.get(key).map(|s| s.as_str()).filter(|s| !s.is_empty())
    }

    /// A filter that must be one of `allowed`.
    pub fn filter_enum(&self, key: &str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
        match self.filter(key) {
            None => Ok(None),
            Some(v) if allowed.contains(&v) => Ok(Some(v.to_string())),
            Some(v) => Err(ApiError::field(
                key,
                format!("unknown value `{v}`; allowed: {}", allowed.join(", ")),
            )),
        }
    }

    /// A boolean filter (`true`/`false`).
    pub fn filter_bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.filter(key) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(ApiError::field(key, "must be `true` or `false`")),
        }
    }

    /// A time filter such as `dateFrom` / `dateTo`: an RFC 3339 time, or a date (`YYYY-MM-DD`,
    /// midnight UTC; with `end_of_day`, the next midnight, so `dateTo=2027-01-31` takes in the
    /// whole day). Anything else is a 400 naming `key`.
    pub fn filter_time(&self, key: &str, end_of_day: bool) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
        let Some(v) = self.filter(key) else {
            return Ok(None);
        };
        let at = if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v) {
            t.with_timezone(&chrono::Utc)
        } else if let Ok(d) = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            let d = if end_of_day { d.succ_opt().unwrap_or(d) } else { d };
            d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
        } else {
            return Err(ApiError::field(key, "must be a date (YYYY-MM-DD) or an RFC 3339 time"));
        };
        let mut v = crate::Validator::new();
        v.instant(key, &at);
        v.finish()?;
        Ok(Some(at))
    }

    /// Rows to skip.
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.limit
    }
}

/// One filter a list accepts: the query key, the column it compares, and how the value parses.
#[derive(Debug, Clone, Copy)]
pub enum Filter<C: 'static> {
    /// `?key=value` compared for equality as text.
    Text(&'static str, C),
    /// `?key=value` where the value must be one of the listed ones (a 400 names the key otherwise).
    Enum(&'static str, C, &'static [&'static str]),
    /// `?key=true|false`.
    Bool(&'static str, C),
}

/// How one list endpoint pages, sorts, searches and filters, declared once next to its entity.
/// [`ListQuery::page`] applies it, so no endpoint builds its own WHERE or ORDER BY.
#[derive(Debug, Clone, Copy)]
pub struct ListSpec<C: 'static> {
    /// `limit` when the caller gives none (the SBM docs fix it per endpoint, e.g. tiers use 10).
    pub default_limit: u64,
    /// `sortBy` names and their columns; anything else is a 400 naming `sortBy`.
    pub sort: &'static [(&'static str, C)],
    pub default_sort: C,
    /// A unique column, so equal sort keys still page in a stable order.
    pub tiebreak: C,
    /// Columns `search` matches (case-insensitive substring, `%` and `_` taken literally). Empty
    /// when the endpoint builds its own search condition from [`ListQuery::search`].
    pub search: &'static [C],
    pub filters: &'static [Filter<C>],
}

/// Why a list query was refused; converts into a 400 (or the database's error) at the edge.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    #[error("invalid list query: {0:?}")]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<ListError> for ApiError {
    fn from(e: ListError) -> Self {
        match e {
            ListError::Invalid(errors) => ApiError::validation(errors),
            ListError::Db(e) => e.into(),
        }
    }
}

/// `%text%` for a LIKE with `ESCAPE '\'`: the caller's `%`, `_` and `\` match themselves.
pub fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// `LOWER(expr) LIKE like_pattern(lower(text)) ESCAPE '\'`: a portable case-insensitive substring
/// match (PostgreSQL's LIKE is case-sensitive, SQLite's is not for ASCII).
pub fn contains_ci(expr: impl Into<SimpleExpr>, text: &str) -> SimpleExpr {
    Expr::expr(Func::lower(expr.into())).like(LikeExpr::new(like_pattern(&text.to_lowercase())).escape('\\'))
}

fn field_error(field: &str, message: String) -> ListError {
    ListError::Invalid(vec![FieldError::new(field, message)])
}

impl ListQuery {
    /// The page size for an endpoint whose default is `default_limit`.
    pub fn limit_or(&self, default_limit: u64) -> u64 {
        self.explicit_limit.unwrap_or(default_limit)
    }

    /// Applies `spec`'s filters and search to `select`, counts the rows, and fetches this page
    /// sorted by the whitelisted `sortBy` (then the tiebreak column).
    pub async fn page<E>(
        &self,
        db: &impl ConnectionTrait,
        select: Select<E>,
        spec: &ListSpec<E::Column>,
    ) -> Result<Page<E::Model>, ListError>
    where
        E: EntityTrait,
        E::Model: Send + Sync,
    {
        let (sort, order) = match &self.sort_by {
            None => (spec.default_sort, self.sort_order),
            Some(name) => match spec.sort.iter().find(|(n, _)| n == name) {
                Some((_, c)) => (*c, self.sort_order),
                None => {
                    let names: Vec<&str> = spec.sort.iter().map(|(n, _)| *n).collect();
                    return Err(field_error(
                        "sortBy",
                        format!("unknown sort field `{name}`; allowed: {}", names.join(", ")),
                    ));
                }
            },
        };
        let mut select = select;
        for f in spec.filters {
            select = match *f {
                Filter::Text(key, col) => match self.filter(key) {
                    Some(v) => select.filter(col.eq(v.to_string())),
                    None => select,
                },
                Filter::Enum(key, col, allowed) => match self.filter(key) {
                    None => select,
                    Some(v) if allowed.contains(&v) => select.filter(col.eq(v.to_string())),
                    Some(v) => {
                        return Err(field_error(
                            key,
                            format!("unknown value `{v}`; allowed: {}", allowed.join(", ")),
                        ));
                    }
                },
                Filter::Bool(key, col) => match self.filter(key) {
                    None => select,
                    Some("true") => select.filter(col.eq(true)),
                    Some("false") => select.filter(col.eq(false)),
                    Some(_) => return Err(field_error(key, "must be `true` or `false`".into())),
                },
            };
        }
        if let Some(text) = &self.search
            && !spec.search.is_empty()
        {
            let mut any = Condition::any();
            for col in spec.search {
                any = any.add(contains_ci(col.into_simple_expr(), text));
            }
            select = select.filter(any);
        }
        let limit = self.limit_or(spec.default_limit);
        let total = select.clone().count(db).await?;
        let order = match order {
            SortOrder::Asc => Order::Asc,
            SortOrder::Desc => Order::Desc,
        };
        let data = select
            .order_by(sort, order.clone())
            .order_by(spec.tiebreak, order)
            .limit(limit)
            .offset((self.page - 1) * limit)
            .all(db)
            .await?;
        Ok(Page::new(data, self.page, limit, total))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ListQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(raw) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_request(format!("Invalid query string: {}", e.body_text())))?;
        ListQuery::parse(raw, DEFAULT_LIMIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Result<ListQuery, ApiError> {
        ListQuery::parse(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(), 20)
    }

    #[test]
    fn defaults_and_limits() {
        let l = q(&[]).unwrap();
        assert_eq!((l.page, l.limit, l.offset()), (1, 20, 0));
        let l = q(&[("page", "3"), ("limit", "100")]).unwrap();
        assert_eq!(l.offset(), 200);
        let e = q(&[("limit", "101"), ("page", "0")]).unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["page", "limit"]);
    }

    #[test]
    fn unknown_sort_field_names_it() {
        let l = q(&[("sortBy", "password")]).unwrap();
        let e = l.sort(&[("createdAt", 1), ("email", 2)], 1).unwrap_err();
        assert_eq!(e.errors[0].field, "sortBy");
        assert!(e.errors[0].message.contains("password"));
        let l = q(&[("sortBy", "email"), ("sortOrder", "asc")]).unwrap();
        assert_eq!(l.sort(&[("email", 2)], 1).unwrap(), (2, SortOrder::Asc));
    }

    #[test]
    fn filters_are_kept() {
        let l = q(&[("status", "active"), ("search", "  bob ")]).unwrap();
        assert_eq!(l.filter("status"), Some("active"));
        assert_eq!(l.search.as_deref(), Some("bob"));
        assert!(l.filter_enum("status", &["revoked"]).is_err());
    }
}
