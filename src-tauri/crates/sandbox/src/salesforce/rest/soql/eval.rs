//! Running a plan over records: reading a path through its relationships, testing filters,
//! ordering, and writing each record with its relationships nested under their names.
//!
//! Assumption: text compares case-insensitively except on a case-sensitive field (the
//! external id); `!=` and `NOT IN` keep nulls, SOQL treating null as a value; nulls sort
//! first unless `NULLS LAST`, then records sort by id so that pages are stable; a
//! polymorphic relationship (`Who`, `What`, `Owner`) shows as the `Name` object.

use std::cmp::Ordering;

use serde_json::{json, Map, Value};

use super::parser::Op;
use super::plan::{Filter, Plan, Resolved, Target, Test, Typed};
use crate::salesforce::access::record_access;
use crate::salesforce::rest::render::attributes;
use crate::salesforce::rest::Ctx;
use crate::salesforce::schema::Kind;
use crate::salesforce::values::{parse_date, parse_datetime};
use crate::salesforce::world::{CrmOrg, Record};

/// The record at the end of a path's relationships, if every link is there.
fn follow<'o>(org: &'o CrmOrg, record: &'o Record, resolved: &Resolved) -> Option<&'o Record> {
    let mut current = record;
    for (hop, _) in &resolved.hops {
        current = current.text(hop.name).and_then(|id| org.records.get(id))?;
    }
    Some(current)
}

/// The value a path reads, as the API would show it.
fn read(org: &CrmOrg, ctx: &Ctx<'_>, record: &Record, resolved: &Resolved) -> Value {
    let Some(at) = follow(org, record, resolved) else {
        return Value::Null;
    };
    match resolved.target {
        Target::Field(f) => at.get(f.name).clone(),
        Target::Polymorphic("Type") => Value::String(at.object.name().to_string()),
        Target::Polymorphic(name) => at.get(name).clone(),
        Target::RecordAccess(name) => {
            let access = record_access(org, &ctx.caller, at);
            match name {
                "RecordId" => Value::String(at.id().to_string()),
                "HasReadAccess" => Value::Bool(access.read),
                "HasEditAccess" => Value::Bool(access.edit),
                "HasDeleteAccess" => Value::Bool(access.delete),
                "HasTransferAccess" => Value::Bool(access.transfer),
                "HasAllAccess" => Value::Bool(access.all),
                _ => Value::String(access.max_level().to_string()),
            }
        }
    }
}

/// A stored value typed like the literals it is compared with.
fn typed(value: &Value, kind: Kind) -> Option<Typed> {
    match (value, kind) {
        (Value::Null, _) => None,
        (Value::Bool(b), _) => Some(Typed::Bool(*b)),
        (Value::Number(n), _) => n.as_f64().map(Typed::Num),
        (Value::String(s), Kind::Date) => parse_date(s).map(Typed::Date),
        (Value::String(s), Kind::DateTime) => parse_datetime(s).map(Typed::Time),
        (Value::String(s), _) => Some(Typed::Text(s.clone())),
        (Value::Array(_) | Value::Object(_), _) => None,
    }
}

fn kind_of(resolved: &Resolved) -> Kind {
    match resolved.target {
        Target::Field(f) => f.kind,
        Target::Polymorphic(_) | Target::RecordAccess(_) => Kind::Text(255),
    }
}

fn compare(a: &Typed, b: &Typed, case_sensitive: bool) -> Option<Ordering> {
    match (a, b) {
        (Typed::Text(x), Typed::Text(y)) if case_sensitive => Some(x.cmp(y)),
        (Typed::Text(x), Typed::Text(y)) => Some(x.to_lowercase().cmp(&y.to_lowercase())),
        (Typed::Num(x), Typed::Num(y)) => x.partial_cmp(y),
        (Typed::Bool(x), Typed::Bool(y)) => Some(x.cmp(y)),
        (Typed::Date(x), Typed::Date(y)) => Some(x.cmp(y)),
        (Typed::Time(x), Typed::Time(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// `LIKE`: `%` any run, `_` any one character, `\%` and `\_` themselves; case-insensitive.
fn like(text: &str, pattern: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum P {
        Any,
        One,
        Lit(char),
    }
    let mut parts = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        parts.push(match c {
            '%' => P::Any,
            '_' => P::One,
            '\\' => P::Lit(chars.next().unwrap_or('\\')),
            c => P::Lit(c),
        });
    }
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let parts: Vec<P> = parts
        .into_iter()
        .map(|p| match p {
            P::Lit(c) => P::Lit(c.to_lowercase().next().unwrap_or(c)),
            other => other,
        })
        .collect();
    // matched[j]: the pattern so far matches text[..j].
    let mut matched = vec![false; text.len() + 1];
    matched[0] = true;
    for p in parts {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            match p {
                P::Any => next[j] = matched[j] || (j > 0 && next[j - 1]),
                P::One => next[j] = j > 0 && matched[j - 1],
                P::Lit(c) => next[j] = j > 0 && matched[j - 1] && text[j - 1] == c,
            }
        }
        matched = next;
    }
    matched[text.len()]
}

fn test(value: Option<Typed>, test: &Test, case_sensitive: bool) -> bool {
    let ordering = |literal: &Typed| {
        value
            .as_ref()
            .and_then(|v| compare(v, literal, case_sensitive))
    };
    match test {
        Test::Null(is_null) => value.is_none() == *is_null,
        Test::Compare(op, literal) => match (op, ordering(literal)) {
            (Op::Ne, None) => true,
            (_, None) => false,
            (Op::Eq, Some(o)) => o == Ordering::Equal,
            (Op::Ne, Some(o)) => o != Ordering::Equal,
            (Op::Lt, Some(o)) => o == Ordering::Less,
            (Op::Gt, Some(o)) => o == Ordering::Greater,
            (Op::Le, Some(o)) => o != Ordering::Greater,
            (Op::Ge, Some(o)) => o != Ordering::Less,
        },
        Test::Range(op, first, end) => {
            let (Some(from_first), Some(from_end)) = (ordering(first), ordering(end)) else {
                return *op == Op::Ne;
            };
            let inside = from_first != Ordering::Less && from_end == Ordering::Less;
            match op {
                Op::Eq => inside,
                Op::Ne => !inside,
                Op::Lt => from_first == Ordering::Less,
                Op::Le => from_end == Ordering::Less,
                Op::Gt => from_end != Ordering::Less,
                Op::Ge => from_first != Ordering::Less,
            }
        }
        Test::In(negated, literals) => {
            let found = literals
                .iter()
                .any(|l| ordering(l) == Some(Ordering::Equal));
            found != *negated
        }
        Test::Like(pattern) => match value {
            Some(Typed::Text(t)) => like(&t, pattern),
            _ => false,
        },
    }
}

fn holds(org: &CrmOrg, ctx: &Ctx<'_>, record: &Record, filter: &Filter) -> bool {
    match filter {
        Filter::And(terms) => terms.iter().all(|t| holds(org, ctx, record, t)),
        Filter::Or(terms) => terms.iter().any(|t| holds(org, ctx, record, t)),
        Filter::Not(inner) => !holds(org, ctx, record, inner),
        Filter::Test(resolved, t) => {
            let value = typed(&read(org, ctx, record, resolved), kind_of(resolved));
            test(value, t, resolved.case_sensitive())
        }
    }
}

/// Whether `record` passes the filter.
pub(crate) fn matches(
    org: &CrmOrg,
    ctx: &Ctx<'_>,
    record: &Record,
    filter: Option<&Filter>,
) -> bool {
    filter.is_none_or(|f| holds(org, ctx, record, f))
}

/// Order records as the plan says.
pub(crate) fn sort(org: &CrmOrg, ctx: &Ctx<'_>, plan: &Plan, records: &mut [&Record]) {
    records.sort_by(|a, b| {
        for (resolved, descending, nulls_last) in &plan.order {
            let kind = kind_of(resolved);
            let x = typed(&read(org, ctx, a, resolved), kind);
            let y = typed(&read(org, ctx, b, resolved), kind);
            let o = match (&x, &y) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) if *nulls_last => Ordering::Greater,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) if *nulls_last => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(x), Some(y)) => {
                    let o = compare(x, y, resolved.case_sensitive()).unwrap_or(Ordering::Equal);
                    if *descending {
                        o.reverse()
                    } else {
                        o
                    }
                }
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.id().cmp(b.id())
    });
}

/// Put `value` at the end of a chain of relationships, creating each relationship's object
/// (or null, when the related record is missing, and then nothing below it) on the way.
fn put(node: &mut Map<String, Value>, chain: &[(String, Value)], name: &str, value: Value) {
    match chain.split_first() {
        None => {
            node.insert(name.to_string(), value);
        }
        Some(((relationship, first), rest)) => {
            let entry = node
                .entry(relationship.clone())
                .or_insert_with(|| first.clone());
            if let Some(map) = entry.as_object_mut() {
                put(map, rest, name, value);
            }
        }
    }
}

/// A record with the plan's fields, relationships nested under their names.
pub(crate) fn render(org: &CrmOrg, ctx: &Ctx<'_>, plan: &Plan, record: &Record) -> Value {
    let mut root = Map::new();
    root.insert(
        "attributes".into(),
        attributes(ctx, record.object, record.id()),
    );
    for resolved in &plan.selects {
        let mut chain = Vec::new();
        if let Target::RecordAccess(_) = resolved.target {
            chain.push((
                "UserRecordAccess".to_string(),
                json!({"attributes": {"type": "UserRecordAccess"}}),
            ));
        }
        let mut current = Some(record);
        for (i, (hop, relationship)) in resolved.hops.iter().enumerate() {
            let next = current
                .and_then(|c| c.text(hop.name))
                .and_then(|id| org.records.get(id));
            let polymorphic = resolved.polymorphic && i + 1 == resolved.hops.len();
            let first = next.map_or(Value::Null, |n| {
                let mut a = attributes(ctx, n.object, n.id());
                if polymorphic {
                    // SOQL shows a polymorphic relationship as the `Name` object.
                    a["type"] = Value::String("Name".into());
                }
                json!({ "attributes": a })
            });
            chain.push(((*relationship).to_string(), first));
            current = next;
        }
        put(
            &mut root,
            &chain,
            resolved.name(),
            read(org, ctx, record, resolved),
        );
    }
    Value::Object(root)
}

#[cfg(test)]
mod tests {
    use super::like;

    #[test]
    fn like_matches_soql_wildcards() {
        assert!(like("Fabrikam Japan", "fab%"));
        assert!(like("Fabrikam", "%RIK%"));
        assert!(like("Pat", "P_t"));
        assert!(!like("Pat", "P_"));
        assert!(like("100%", "100\\%"));
        assert!(!like("1000", "100\\%"));
    }
}
