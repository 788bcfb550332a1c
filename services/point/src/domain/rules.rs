//! The point-rule model (one source of truth, shared with the operator) and its evaluation.
//! Evaluation is pure: rules, a trigger and the member's context in, a breakdown out; `earn`
//! and `simulate` both call it, so a simulation is exactly what an earn would give.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, FixedOffset, Utc};
use sbm_common::error::FieldError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ledger::{MAX_AMOUNT, MAX_POINTS};

/// The most tiers a rule multiplies for, and store categories it lists.
const MAX_LIST: usize = 50;
/// Priorities run from `-MAX_PRIORITY` to `MAX_PRIORITY`.
const MAX_PRIORITY: i32 = 1_000_000;

/// What a rule reacts to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// Points for money spent.
    #[default]
    Purchase,
    /// Fixed points for a named action (registration, birthday, review, ...).
    Action,
}

fn yes() -> bool {
    true
}

/// A point rule as written by staff through the API or by a `PointRule` resource. The
/// operator's CRD schema is generated from this type, with the cross-field rules below as CEL
/// validations, so the API server refuses what `RuleSpec::validate` would.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema, schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(extend("x-kubernetes-validations" = [
    {"rule": "self.kind != 'purchase' || (has(self.pointsPerUnit) && has(self.unitAmount))",
     "message": "purchase rules need pointsPerUnit and unitAmount"},
    {"rule": "self.kind != 'action' || (has(self.action) && has(self.points))",
     "message": "action rules need action and points"},
    {"rule": "self.kind != 'purchase' || (!has(self.action) && !has(self.points))",
     "message": "action and points belong to action rules only"},
    {"rule": "self.kind != 'action' || (!has(self.pointsPerUnit) && !has(self.unitAmount) && !has(self.minAmount) && (!has(self.storeCategories) || size(self.storeCategories) == 0))",
     "message": "pointsPerUnit, unitAmount, minAmount and storeCategories belong to purchase rules only"},
    {"rule": "!has(self.startsAt) || !has(self.endsAt) || self.startsAt < self.endsAt",
     "message": "endsAt must be after startsAt"}
]))]
pub struct RuleSpec {
    /// Business key, unique: lowercase letters, digits, `-` and `_`.
    #[schemars(length(min = 1, max = 64), regex(pattern = r"^[a-z0-9_-]+$"))]
    pub code: String,
    #[schemars(length(min = 1, max = 200))]
    pub name: String,
    pub kind: RuleKind,
    #[serde(default = "yes")]
    pub active: bool,
    /// Higher runs first.
    #[serde(default)]
    #[schemars(range(min = -1_000_000, max = 1_000_000))]
    #[schema(minimum = -1_000_000, maximum = 1_000_000)]
    pub priority: i32,
    /// Whether it adds to other stackable rules; a non-stackable rule applies alone.
    #[serde(default)]
    pub stackable: bool,
    /// Purchase rules: points given per `unitAmount` spent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1_000_000_000))]
    #[schema(minimum = 1, maximum = 1_000_000_000)]
    pub points_per_unit: Option<i64>,
    /// Purchase rules: amount in minor currency units (satang, cents) that earns `pointsPerUnit`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1_000_000_000_000_i64))]
    #[schema(minimum = 1, maximum = 1_000_000_000_000_i64)]
    pub unit_amount: Option<i64>,
    /// Action rules: the action's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Action rules: points given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1_000_000_000))]
    #[schema(minimum = 1, maximum = 1_000_000_000)]
    pub points: Option<i64>,
    /// Purchase rules: store categories it applies to (empty: all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub store_categories: Vec<String>,
    /// Multiplier by tier code, e.g. `{"gold": 1.5}`. A member without a tier gets 1.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tier_multipliers: BTreeMap<String, f64>,
    /// Purchase rules: smallest amount (minor units) that earns anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_amount: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<DateTime<Utc>>,
    /// ISO days (1 = Monday ... 7 = Sunday) it applies on, in the purchase's own time zone
    /// (empty: every day).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(range(min = 1, max = 7)))]
    pub days_of_week: Vec<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_per_transaction: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_per_member_per_day: Option<i64>,
    /// Days until the earned points expire (none: they do not expire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 3650))]
    pub lot_validity_days: Option<i64>,
}

impl RuleSpec {
    /// Every problem, each naming its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        let mut bad = |f: &str, m: &str| e.push(FieldError::new(f, m));
        if self.code.is_empty()
            || self.code.len() > 64
            || !self
                .code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            bad("code", "must be 1 to 64 lowercase letters, digits, `-` or `_`");
        }
        if self.name.trim().is_empty() || self.name.chars().count() > 200 {
            bad("name", "must be 1 to 200 characters");
        }
        match self.kind {
            RuleKind::Purchase => {
                if self.points_per_unit.is_none_or(|p| !(1..=MAX_POINTS).contains(&p)) {
                    bad(
                        "pointsPerUnit",
                        &format!("is required for purchase rules: 1 to {MAX_POINTS}"),
                    );
                }
                if self.unit_amount.is_none_or(|u| !(1..=MAX_AMOUNT).contains(&u)) {
                    bad(
                        "unitAmount",
                        &format!("is required for purchase rules: 1 to {MAX_AMOUNT}"),
                    );
                }
                if self.action.is_some() {
                    bad("action", "belongs to action rules only");
                }
                if self.points.is_some() {
                    bad(
                        "points",
                        "belongs to action rules only; purchase rules use pointsPerUnit",
                    );
                }
            }
            RuleKind::Action => {
                if !self.action.as_deref().is_some_and(|a| {
                    !a.is_empty() && a.len() <= 64 && a.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                }) {
                    bad(
                        "action",
                        "is required for action rules: 1 to 64 letters, digits, `-`, `_` or `.`",
                    );
                }
                if self.points.is_none_or(|p| !(1..=MAX_POINTS).contains(&p)) {
                    bad("points", &format!("is required for action rules: 1 to {MAX_POINTS}"));
                }
                if self.points_per_unit.is_some() || self.unit_amount.is_some() {
                    bad("pointsPerUnit", "belongs to purchase rules only");
                }
                if !self.store_categories.is_empty() || self.min_amount.is_some() {
                    bad(
                        "storeCategories",
                        "store categories and minAmount belong to purchase rules only",
                    );
                }
            }
        }
        for (tier, m) in &self.tier_multipliers {
            if tier.is_empty() || !(m.is_finite() && *m > 0.0 && *m <= 100.0) {
                bad(
                    "tierMultipliers",
                    "each multiplier must be greater than 0 and at most 100",
                );
                break;
            }
        }
        if self.tier_multipliers.len() > MAX_LIST || self.tier_multipliers.keys().any(|t| t.chars().count() > 64) {
            bad(
                "tierMultipliers",
                &format!("at most {MAX_LIST} tiers, codes of at most 64 characters"),
            );
        }
        if self.store_categories.len() > MAX_LIST
            || self
                .store_categories
                .iter()
                .any(|c| c.is_empty() || c.chars().count() > 64)
        {
            bad(
                "storeCategories",
                &format!("at most {MAX_LIST} categories of 1 to 64 characters"),
            );
        }
        if self.min_amount.is_some_and(|m| !(0..=MAX_AMOUNT).contains(&m)) {
            bad("minAmount", &format!("must be between 0 and {MAX_AMOUNT}"));
        }
        if !(-MAX_PRIORITY..=MAX_PRIORITY).contains(&self.priority) {
            bad(
                "priority",
                &format!("must be between -{MAX_PRIORITY} and {MAX_PRIORITY}"),
            );
        }
        if let (Some(s), Some(t)) = (self.starts_at, self.ends_at)
            && s >= t
        {
            bad("endsAt", "must be after startsAt");
        }
        for (field, at) in [("startsAt", self.starts_at), ("endsAt", self.ends_at)] {
            if at.is_some_and(|t| !(sbm_common::error::MIN_YEAR..=sbm_common::error::MAX_YEAR).contains(&t.year())) {
                bad(field, "must be a time between the years 1900 and 2999");
            }
        }
        let mut days = self.days_of_week.clone();
        days.sort();
        days.dedup();
        if days.len() != self.days_of_week.len() || days.iter().any(|d| !(1..=7).contains(d)) {
            bad(
                "daysOfWeek",
                "must list distinct ISO days from 1 (Monday) to 7 (Sunday)",
            );
        }
        if self.cap_per_transaction.is_some_and(|c| !(1..=MAX_POINTS).contains(&c)) {
            bad("capPerTransaction", &format!("must be between 1 and {MAX_POINTS}"));
        }
        if self
            .cap_per_member_per_day
            .is_some_and(|c| !(1..=MAX_POINTS).contains(&c))
        {
            bad("capPerMemberPerDay", &format!("must be between 1 and {MAX_POINTS}"));
        }
        if self.lot_validity_days.is_some_and(|d| !(1..=3650).contains(&d)) {
            bad("lotValidityDays", "must be between 1 and 3650");
        }
        e
    }
}

/// The currency of a purchase that names none.
pub const DEFAULT_CURRENCY: &str = "THB";

/// A purchase to turn into points.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Purchase {
    /// Amount in minor currency units.
    pub amount: i64,
    /// ISO 4217 code of the amount's currency; [`DEFAULT_CURRENCY`] when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
    pub store_id: Option<String>,
    pub store_category: Option<String>,
    /// When it happened, with the store's UTC offset (days of week are read in it); now when absent.
    pub purchased_at: Option<DateTime<FixedOffset>>,
}

impl Purchase {
    /// Checks the purchase, naming fields `{prefix}.amount` and so on.
    pub fn validate(&self, v: &mut sbm_common::Validator, prefix: &str) {
        v.check(
            (1..=MAX_AMOUNT).contains(&self.amount),
            &format!("{prefix}.amount"),
            &format!("must be a positive amount in minor units, at most {MAX_AMOUNT}"),
        );
        if let Some(c) = &self.currency {
            v.check(
                c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()),
                &format!("{prefix}.currency"),
                "must be an ISO 4217 code: three capital letters",
            );
        }
        if let Some(s) = &self.store_id {
            v.text(&format!("{prefix}.storeId"), s, 64);
        }
        if let Some(c) = &self.store_category {
            v.text(&format!("{prefix}.storeCategory"), c, 64);
        }
        if let Some(at) = &self.purchased_at {
            v.instant(&format!("{prefix}.purchasedAt"), at);
        }
    }
}

/// What happened.
#[derive(Debug, Clone)]
pub enum Trigger {
    Purchase(Purchase),
    Action(String),
}

/// One rule's verdict.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RuleOutcome {
    pub rule_id: String,
    pub code: String,
    pub name: String,
    pub applied: bool,
    pub points: i64,
    /// Why it applied or not, in words.
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// A stored rule with its id.
#[derive(Debug, Clone)]
pub struct StoredRule {
    pub id: String,
    pub spec: RuleSpec,
}

/// Evaluates `rules` (any order) for a trigger. `used_today` gives points each rule already
/// awarded this member on the trigger's day (for daily caps).
pub fn evaluate(
    rules: &[StoredRule],
    trigger: &Trigger,
    tier: Option<&str>,
    now: DateTime<Utc>,
    used_today: &HashMap<String, i64>,
) -> Vec<RuleOutcome> {
    let mut sorted: Vec<&StoredRule> = rules.iter().collect();
    sorted.sort_by(|a, b| {
        b.spec
            .priority
            .cmp(&a.spec.priority)
            .then(a.spec.code.cmp(&b.spec.code))
    });
    let at: DateTime<FixedOffset> = match trigger {
        Trigger::Purchase(p) => p.purchased_at.unwrap_or_else(|| now.fixed_offset()),
        Trigger::Action(_) => now.fixed_offset(),
    };
    let mut out = Vec::new();
    let mut applied_non_stackable = false;
    let mut applied_any = false;
    let mut given: i64 = 0;
    for r in sorted {
        let s = &r.spec;
        let mut o = RuleOutcome {
            rule_id: r.id.clone(),
            code: s.code.clone(),
            name: s.name.clone(),
            applied: false,
            points: 0,
            reason: String::new(),
            expires_at: None,
        };
        let skip = |o: &mut RuleOutcome, why: String| o.reason = why;
        let base = match (trigger, s.kind) {
            (Trigger::Purchase(p), RuleKind::Purchase) => {
                if let Some(cat) = &p.store_category
                    && !s.store_categories.is_empty()
                    && !s.store_categories.contains(cat)
                {
                    skip(
                        &mut o,
                        format!("store category `{cat}` is not one of {:?}", s.store_categories),
                    );
                    out.push(o);
                    continue;
                }
                if p.store_category.is_none() && !s.store_categories.is_empty() {
                    skip(
                        &mut o,
                        "the purchase names no store category and the rule requires one".into(),
                    );
                    out.push(o);
                    continue;
                }
                if let Some(min) = s.min_amount
                    && p.amount < min
                {
                    skip(&mut o, format!("amount {} is below the minimum {min}", p.amount));
                    out.push(o);
                    continue;
                }
                let units = p.amount / s.unit_amount.unwrap_or(1).max(1);
                units.saturating_mul(s.points_per_unit.unwrap_or(0))
            }
            (Trigger::Action(a), RuleKind::Action) => {
                if s.action.as_deref() != Some(a.as_str()) {
                    continue;
                }
                s.points.unwrap_or(0)
            }
            _ => continue,
        };
        if !s.active {
            skip(&mut o, "the rule is inactive".into());
            out.push(o);
            continue;
        }
        if let Some(st) = s.starts_at
            && at < st
        {
            skip(&mut o, format!("the rule starts at {st}"));
            out.push(o);
            continue;
        }
        if let Some(en) = s.ends_at
            && at >= en
        {
            skip(&mut o, format!("the rule ended at {en}"));
            out.push(o);
            continue;
        }
        let dow = at.weekday().number_from_monday() as u8;
        if !s.days_of_week.is_empty() && !s.days_of_week.contains(&dow) {
            skip(&mut o, format!("day {dow} is not one of {:?}", s.days_of_week));
            out.push(o);
            continue;
        }
        if applied_non_stackable || (applied_any && !s.stackable) {
            skip(
                &mut o,
                "a higher-priority rule already applied and they do not stack".into(),
            );
            out.push(o);
            continue;
        }
        let mut pts = base;
        let mut why = vec![format!("base {base}")];
        if let Some(t) = tier
            && let Some(m) = s.tier_multipliers.get(t)
        {
            // `as` saturates: no multiplier can wrap the value around.
            pts = ((pts as f64) * m).floor() as i64;
            why.push(format!("tier `{t}` x{m}"));
        }
        // One earn carries at most MAX_POINTS, however many rules stack.
        let room = MAX_POINTS - given;
        if pts > room {
            pts = room;
            why.push(format!("capped at the platform maximum of {MAX_POINTS} per earn"));
        }
        if let Some(cap) = s.cap_per_transaction
            && pts > cap
        {
            pts = cap;
            why.push(format!("capped at {cap} per transaction"));
        }
        if let Some(cap) = s.cap_per_member_per_day {
            let used = used_today.get(&r.id).copied().unwrap_or(0);
            let left = cap.saturating_sub(used).max(0);
            if pts > left {
                pts = left;
                why.push(format!("daily cap {cap}, {used} already given today"));
            }
        }
        if pts <= 0 {
            skip(&mut o, format!("{} gives no points", why.join(", ")));
            out.push(o);
            continue;
        }
        o.applied = true;
        o.points = pts;
        given += pts;
        o.reason = why.join(", ");
        o.expires_at = s.lot_validity_days.map(|d| now + Duration::days(d));
        applied_any = true;
        applied_non_stackable |= !s.stackable;
        out.push(o);
    }
    out
}

/// The day a rule award counts for (daily caps): the trigger's own date.
pub fn award_day(trigger: &Trigger, now: DateTime<Utc>) -> String {
    match trigger {
        Trigger::Purchase(p) => p
            .purchased_at
            .unwrap_or_else(|| now.fixed_offset())
            .date_naive()
            .to_string(),
        Trigger::Action(_) => now.date_naive().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed instant: evaluation is pure, so tests need no clock.
    fn now() -> DateTime<Utc> {
        "2026-11-27T12:00:00Z".parse().expect("a valid instant")
    }

    fn purchase_rule(code: &str, ppu: i64, unit: i64) -> RuleSpec {
        RuleSpec {
            code: code.into(),
            name: code.into(),
            kind: RuleKind::Purchase,
            active: true,
            priority: 0,
            stackable: false,
            points_per_unit: Some(ppu),
            unit_amount: Some(unit),
            action: None,
            points: None,
            store_categories: vec![],
            tier_multipliers: BTreeMap::new(),
            min_amount: None,
            starts_at: None,
            ends_at: None,
            days_of_week: vec![],
            cap_per_transaction: None,
            cap_per_member_per_day: None,
            lot_validity_days: None,
        }
    }

    fn p(amount: i64, cat: Option<&str>, at: &str) -> Trigger {
        Trigger::Purchase(Purchase {
            amount,
            currency: None,
            store_id: None,
            store_category: cat.map(str::to_string),
            purchased_at: Some(DateTime::parse_from_rfc3339(at).unwrap()),
        })
    }

    fn stored(specs: Vec<RuleSpec>) -> Vec<StoredRule> {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, spec)| StoredRule {
                id: format!("r{i}"),
                spec,
            })
            .collect()
    }

    #[test]
    fn base_rate_floors_to_whole_units() {
        let rules = stored(vec![purchase_rule("base", 1, 2500)]);
        let out = evaluate(
            &rules,
            &p(12_499, None, "2026-11-27T10:00:00+07:00"),
            None,
            now(),
            &HashMap::new(),
        );
        assert_eq!(out[0].points, 4);
        assert!(out[0].applied);
    }

    #[test]
    fn priority_stacking_caps_tiers_days_categories() {
        let mut promo = purchase_rule("promo", 10, 100);
        promo.priority = 10;
        promo.stackable = true;
        promo.store_categories = vec!["fashion".into()];
        promo.days_of_week = vec![5]; // Friday
        promo.cap_per_transaction = Some(500);
        promo.tier_multipliers.insert("gold".into(), 2.0);
        let mut base = purchase_rule("base", 1, 100);
        base.stackable = true;
        let mut exclusive = purchase_rule("exclusive", 3, 100);
        exclusive.priority = 5;
        let rules = stored(vec![promo.clone(), base.clone()]);
        // 2026-11-27 is a Friday in Bangkok.
        let out = evaluate(
            &rules,
            &p(10_000, Some("fashion"), "2026-11-27T10:00:00+07:00"),
            Some("gold"),
            now(),
            &HashMap::new(),
        );
        assert_eq!(out[0].code, "promo");
        assert_eq!(out[0].points, 500, "{}", out[0].reason); // 1000 x2 = 2000, capped
        assert_eq!(out[1].points, 100);
        // Saturday: the promo does not apply.
        let out = evaluate(
            &rules,
            &p(10_000, Some("fashion"), "2026-11-28T10:00:00+07:00"),
            None,
            now(),
            &HashMap::new(),
        );
        assert!(!out[0].applied && out[0].reason.contains("day 6"));
        // A non-stackable rule applies alone.
        let rules = stored(vec![exclusive, base]);
        let out = evaluate(
            &rules,
            &p(1_000, None, "2026-11-27T10:00:00+07:00"),
            None,
            now(),
            &HashMap::new(),
        );
        assert_eq!((out[0].applied, out[1].applied), (true, false));
        assert!(out[1].reason.contains("do not stack"));
    }

    #[test]
    fn daily_cap_counts_what_was_given_today() {
        let mut r = purchase_rule("capped", 1, 1);
        r.cap_per_member_per_day = Some(100);
        let rules = stored(vec![r]);
        let used = HashMap::from([("r0".to_string(), 80)]);
        let out = evaluate(&rules, &p(50, None, "2026-11-27T10:00:00Z"), None, now(), &used);
        assert_eq!(out[0].points, 20);
        let used = HashMap::from([("r0".to_string(), 100)]);
        let out = evaluate(&rules, &p(50, None, "2026-11-27T10:00:00Z"), None, now(), &used);
        assert!(!out[0].applied);
    }

    #[test]
    fn validation_names_fields() {
        let mut r = purchase_rule("Bad Code", 0, 0);
        r.days_of_week = vec![0, 8];
        r.action = Some("x".into());
        let fields: Vec<String> = r.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            vec!["code", "pointsPerUnit", "unitAmount", "action", "daysOfWeek"]
        );
        let mut a = purchase_rule("reg", 1, 1);
        a.kind = RuleKind::Action;
        let fields: Vec<String> = a.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["action", "points", "pointsPerUnit"]);
    }

    #[test]
    fn action_rules_match_by_name_and_window() {
        let mut a = purchase_rule("reg", 1, 1);
        a.kind = RuleKind::Action;
        a.points_per_unit = None;
        a.unit_amount = None;
        a.action = Some("registration".into());
        a.points = Some(100);
        a.lot_validity_days = Some(30);
        let rules = stored(vec![a]);
        let now = now();
        let out = evaluate(
            &rules,
            &Trigger::Action("registration".into()),
            None,
            now,
            &HashMap::new(),
        );
        assert_eq!(out[0].points, 100);
        assert_eq!(out[0].expires_at, Some(now + Duration::days(30)));
        assert!(evaluate(&rules, &Trigger::Action("birthday".into()), None, now, &HashMap::new()).is_empty());
    }
}
