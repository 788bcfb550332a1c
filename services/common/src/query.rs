//! Query-string conventions: pagination, sorting against a whitelist, search, filters, locale.

use std::collections::HashMap;

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
    pub limit: u64,
    pub sort_by: Option<String>,
    pub sort_order: SortOrder,
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
        let limit = num("limit", default_limit, 1, MAX_LIMIT);
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
            sort_by,
            sort_order,
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

    /// Rows to skip.
    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.limit
    }

    /// `ORDER BY` for a whitelisted column, with `tiebreak` (a unique column) for a stable order.
    pub fn order_by(column: &str, order: SortOrder, tiebreak: &str) -> String {
        let dir = if order == SortOrder::Asc { "ASC" } else { "DESC" };
        format!("{column} {dir}, {tiebreak} {dir}")
    }

    /// Counts the rows `FROM from WHERE wh` and fetches this page of them.
    pub async fn fetch_page<T: sea_orm::FromQueryResult>(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        from: &str,
        cols: &str,
        wh: &str,
        vals: Vec<sea_orm::Value>,
        order_by: &str,
    ) -> Result<Page<T>, ApiError> {
        let total: i64 = crate::db::query_one(
            db,
            &format!("SELECT COUNT(*) AS n FROM {from} WHERE {wh}"),
            vals.clone(),
        )
        .await?
        .ok_or_else(|| ApiError::internal("count returned no row"))?
        .try_get("", "n")?;
        let mut vals = vals;
        vals.push((self.limit as i64).into());
        vals.push((self.offset() as i64).into());
        let rows = crate::db::query_all(
            db,
            &format!("SELECT {cols} FROM {from} WHERE {wh} ORDER BY {order_by} LIMIT ? OFFSET ?"),
            vals,
        )
        .await?;
        let data = rows
            .iter()
            .map(|r| T::from_query_result(r, ""))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::new(data, self.page, self.limit, total as u64))
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
