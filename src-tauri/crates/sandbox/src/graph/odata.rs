//! OData query options (`$top`, `$skip`, `$select`, `$filter`, `$orderby`, `$count`,
//! `$expand=singleValueExtendedProperties($filter=...)`) and paging with `@odata.nextLink`.

use std::cmp::Ordering;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{Map, Value};

use super::error::GraphError;
use super::filter::{self, Expr, EXTENDED};

/// Characters escaped in query values of links this server writes.
const QUERY_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// The largest `$top` Outlook accepts.
pub(crate) const MAX_TOP: usize = 1000;

#[derive(Debug, Default)]
pub(crate) struct Query {
    pub top: Option<usize>,
    pub skip: usize,
    pub count: bool,
    pub select: Option<Vec<String>>,
    pub filter: Option<Expr>,
    pub orderby: Vec<(Vec<String>, bool)>,
    /// `$expand=singleValueExtendedProperties($filter=...)`: which properties to include.
    pub expand_extended: Option<Expr>,
    /// Every parameter as received, for `@odata.nextLink` and non-OData parameters.
    pub params: Vec<(String, String)>,
}

impl Query {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn split_top_level(text: &str, separator: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quoted = false;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            c if c == separator && depth == 0 && !quoted => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn parse_expand(text: &str) -> Result<Option<Expr>, GraphError> {
    let mut extended = None;
    for part in split_top_level(text, ',') {
        let (name, options) = match part.find('(') {
            Some(i) if part.ends_with(')') => (&part[..i], &part[i + 1..part.len() - 1]),
            _ => (part.as_str(), ""),
        };
        if !name.trim().eq_ignore_ascii_case(EXTENDED) {
            return Err(GraphError::bad_request(format!(
                "Expanding '{}' is not supported on this resource.",
                name.trim()
            )));
        }
        let mut found = None;
        for option in split_top_level(options, ';') {
            let Some((key, value)) = option.split_once('=') else {
                return Err(GraphError::bad_request(format!(
                    "Invalid expand option '{option}'."
                )));
            };
            if key.trim().eq_ignore_ascii_case("$filter") {
                found =
                    Some(filter::parse(value).map_err(|e| {
                        GraphError::bad_request(format!("Invalid filter clause: {e}"))
                    })?);
            }
        }
        let Some(expr) = found else {
            return Err(GraphError::bad_request(
                "Expanding singleValueExtendedProperties requires a $filter on the property id.",
            ));
        };
        extended = Some(expr);
    }
    Ok(extended)
}

/// Parse and check the query options of a request.
pub(crate) fn parse(params: Vec<(String, String)>) -> Result<Query, GraphError> {
    let mut q = Query::default();
    for (key, value) in &params {
        let lower = key.to_ascii_lowercase();
        match lower.as_str() {
            "$top" => {
                let top: usize = value.trim().parse().map_err(|_| {
                    GraphError::bad_request(format!("Invalid $top value '{value}'."))
                })?;
                if top == 0 || top > MAX_TOP {
                    return Err(GraphError::bad_request(format!(
                        "The value of $top must be between 1 and {MAX_TOP}."
                    )));
                }
                q.top = Some(top);
            }
            "$skip" => {
                q.skip = value.trim().parse().map_err(|_| {
                    GraphError::bad_request(format!("Invalid $skip value '{value}'."))
                })?;
            }
            "$count" => q.count = value.trim().eq_ignore_ascii_case("true"),
            "$select" => {
                q.select = Some(split_top_level(value, ','));
            }
            "$filter" => {
                q.filter =
                    Some(filter::parse(value).map_err(|e| {
                        GraphError::bad_request(format!("Invalid filter clause: {e}"))
                    })?);
            }
            "$orderby" => {
                for part in split_top_level(value, ',') {
                    let mut words = part.split_whitespace();
                    let path = words.next().unwrap_or_default();
                    let desc = match words.next().map(str::to_ascii_lowercase).as_deref() {
                        None | Some("asc") => false,
                        Some("desc") => true,
                        Some(other) => {
                            return Err(GraphError::bad_request(format!(
                                "Invalid $orderby direction '{other}'."
                            )))
                        }
                    };
                    q.orderby
                        .push((path.split('/').map(str::to_string).collect(), desc));
                }
            }
            "$expand" => q.expand_extended = parse_expand(value)?,
            "$skiptoken" | "$deltatoken" => {}
            other if other.starts_with('$') => {
                return Err(GraphError::bad_request(format!(
                    "Query option '{key}' is not allowed."
                )))
            }
            _ => {}
        }
    }
    q.params = params;
    Ok(q)
}

fn walk<'v>(value: &'v Value, path: &[String]) -> Option<&'v Value> {
    let mut v = value;
    for seg in path {
        let map = v.as_object()?;
        v = map.get(seg).or_else(|| {
            map.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(seg))
                .map(|(_, x)| x)
        })?;
    }
    Some(v)
}

/// Sort JSON items by `$orderby` (stable, so the server's own order breaks ties).
pub(crate) fn order<T>(items: &mut [(Value, T)], orderby: &[(Vec<String>, bool)]) {
    if orderby.is_empty() {
        return;
    }
    items.sort_by(|(a, _), (b, _)| {
        for (path, desc) in orderby {
            let ord = match (walk(a, path), walk(b, path)) {
                (Some(x), Some(y)) => filter::compare(x, y).unwrap_or(Ordering::Equal),
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            let ord = if *desc { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    });
}

/// Keep only the `$select`ed properties (plus `id`, `@odata.etag` and expanded properties).
pub(crate) fn select(value: &mut Value, select: &Option<Vec<String>>) {
    let (Some(fields), Some(map)) = (select, value.as_object_mut()) else {
        return;
    };
    let kept: Map<String, Value> = std::mem::take(map)
        .into_iter()
        .filter(|(k, _)| {
            k == "id"
                || k.starts_with("@odata")
                || k == EXTENDED
                || fields.iter().any(|f| f.eq_ignore_ascii_case(k))
        })
        .collect();
    *map = kept;
}

/// One page of a collection.
pub(crate) struct Page<T> {
    pub items: Vec<T>,
    /// The `$skip` of the next page, if there is one.
    pub next: Option<usize>,
    /// `Prefer: odata.maxpagesize` as honoured, for `Preference-Applied`.
    pub applied: Option<String>,
}

/// One page of a collection: items from `$skip`, at most the default page size, `$top` or
/// `Prefer: odata.maxpagesize` (`max_page`). Outlook reads `$top` as a page size (the rest
/// follows by `@odata.nextLink`); Assumption: with both, the smaller wins, and the preference
/// applies to the request that carries it (the next link does not repeat it).
pub(crate) fn page<T>(
    items: Vec<T>,
    q: &Query,
    default_size: usize,
    max_page: Option<usize>,
) -> Page<T> {
    let size = match (q.top, max_page) {
        (Some(top), Some(max)) => top.min(max),
        (top, max) => top.or(max).unwrap_or(default_size),
    }
    .max(1);
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(q.skip).take(size).collect();
    let next = q.skip + size;
    Page {
        items: page,
        next: (next < total).then_some(next),
        applied: max_page.map(super::prefer::page_size_applied),
    }
}

/// The absolute `@odata.nextLink` for the page starting at `skip`.
pub(crate) fn next_link(graph_url: &str, path: &str, q: &Query, skip: usize) -> String {
    let mut parts: Vec<String> = q
        .params
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("$skip"))
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, QUERY_VALUE),
                utf8_percent_encode(v, QUERY_VALUE)
            )
        })
        .collect();
    parts.push(format!("$skip={skip}"));
    format!("{graph_url}{path}?{}", parts.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn bad_options_are_refused() {
        assert!(parse(params(&[("$top", "0")])).is_err());
        assert!(parse(params(&[("$top", "1001")])).is_err());
        assert!(parse(params(&[("$frobnicate", "1")])).is_err());
        assert!(parse(params(&[("$expand", "attachments")])).is_err());
        assert!(parse(params(&[("$expand", "singleValueExtendedProperties")])).is_err());
        let q = parse(params(&[(
            "$expand",
            "singleValueExtendedProperties($filter=id eq 'String {6B1F3C52-7E0A-4D8B-9C1E-2A5F0B7D4E91} Name A')",
        )]))
        .unwrap();
        assert!(q.expand_extended.is_some());
    }

    #[test]
    fn paging_stops_at_the_end() {
        let q = parse(params(&[("$top", "4"), ("$skip", "8")])).unwrap();
        let p = page((0..10).collect::<Vec<_>>(), &q, 10, None);
        assert_eq!(p.items, vec![8, 9]);
        assert_eq!(p.next, None);
        let q = parse(params(&[("$top", "4")])).unwrap();
        let p = page((0..10).collect::<Vec<_>>(), &q, 10, Some(3));
        assert_eq!((p.items.len(), p.next), (3, Some(3)));
        assert_eq!(p.applied.as_deref(), Some("odata.maxpagesize=3"));
        let link = next_link(
            "http://h/v1.0",
            "/me/events",
            &parse(params(&[("$top", "4")])).unwrap(),
            4,
        );
        assert_eq!(link, "http://h/v1.0/me/events?$top=4&$skip=4");
    }
}
