//! Half-open spans of time and the three set operations slot finding is made of. Every list
//! these functions return is sorted, with no two spans overlapping or touching, so each
//! operation is one sweep over its inputs.

use chrono::{DateTime, TimeDelta, Utc};

/// The instants from `start` (included) to `end` (excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Span {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Span {
    /// An empty span is dropped rather than kept as a zero-width hole.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
}

/// `t` moved by `seconds`; at the ends of chrono's calendar (hundreds of thousands of years
/// away) it stays where it is rather than panicking.
pub(crate) fn shifted(t: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
    t.checked_add_signed(TimeDelta::seconds(seconds))
        .unwrap_or(t)
}

/// The spans merged into the sorted, disjoint, non-touching form the other operations expect.
pub(crate) fn union(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| !s.is_empty());
    spans.sort_unstable();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The instants in both `a` and `b` (each sorted and disjoint).
pub(crate) fn intersect(a: &[Span], b: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        let start = x.start.max(y.start);
        let end = x.end.min(y.end);
        if start < end {
            out.push(Span { start, end });
        }
        if x.end <= y.end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// The instants in `a` and not in `b` (each sorted and disjoint).
pub(crate) fn subtract(a: &[Span], b: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut j = 0;
    for x in a {
        let mut start = x.start;
        while let Some(y) = b.get(j) {
            if y.end <= start {
                j += 1;
                continue;
            }
            if y.start >= x.end {
                break;
            }
            if y.start > start {
                out.push(Span {
                    start,
                    end: y.start,
                });
            }
            start = start.max(y.end);
            if y.end >= x.end {
                break;
            }
            j += 1;
        }
        if start < x.end {
            out.push(Span { start, end: x.end });
        }
    }
    out
}
