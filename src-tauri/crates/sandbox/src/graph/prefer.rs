//! The `Prefer` request header: `outlook.timezone="..."` (times in that zone),
//! `outlook.body-content-type="text"|"html"` (bodies in that format), `odata.maxpagesize=N`
//! (at most N items a page) and `IdType="ImmutableId"` (ids that survive a move). Each
//! preference that was honoured is named back in `Preference-Applied`, as Graph does.

use chrono_tz::Tz;

use super::body::BodyType;
use super::odata::MAX_TOP;
use crate::tz;

/// The preferences of one request (or one `$batch` member).
#[derive(Debug, Clone, Default)]
pub(crate) struct Preferences {
    /// `outlook.timezone`, when it names a known zone: the name as sent, and the zone.
    pub zone: Option<(String, Tz)>,
    /// `odata.maxpagesize`, kept within 1..=1000 (Outlook's largest page).
    pub max_page_size: Option<usize>,
    /// `outlook.body-content-type`, when it names `text` or `html`.
    pub body: Option<BodyType>,
    /// `IdType="ImmutableId"`. The sandbox's ids never change when an item moves, so they are
    /// the same either way; the preference is only acknowledged.
    pub immutable_ids: bool,
}

impl Preferences {
    /// Read every value of the `Prefer` header(s); later values win.
    pub fn parse<'a>(values: impl IntoIterator<Item = &'a str>) -> Preferences {
        let mut out = Preferences::default();
        for part in values.into_iter().flat_map(|v| v.split(',')) {
            let Some((key, value)) = part.split_once('=') else {
                continue;
            };
            let value = value.trim().trim_matches('"');
            match key.trim().to_ascii_lowercase().as_str() {
                "outlook.timezone" => {
                    if let Some(zone) = tz::resolve(value) {
                        out.zone = Some((value.to_string(), zone));
                    }
                }
                "odata.maxpagesize" => {
                    if let Ok(n) = value.parse::<usize>() {
                        out.max_page_size = Some(n.clamp(1, MAX_TOP));
                    }
                }
                "outlook.body-content-type" => {
                    if let Some(kind) = BodyType::parse(value) {
                        out.body = Some(kind);
                    }
                }
                "idtype" => out.immutable_ids = value.eq_ignore_ascii_case("ImmutableId"),
                _ => {}
            }
        }
        out
    }

    /// Preferences given here override the outer ones (a `$batch` member's own headers over
    /// the batch request's).
    pub fn over(self, outer: &Preferences) -> Preferences {
        Preferences {
            zone: self.zone.or_else(|| outer.zone.clone()),
            max_page_size: self.max_page_size.or(outer.max_page_size),
            body: self.body.or(outer.body),
            immutable_ids: self.immutable_ids || outer.immutable_ids,
        }
    }

    /// The `Preference-Applied` entries of a successful answer: the time zone, the body
    /// format ("A `Preference-Applied` header is returned as confirmation if this `Prefer`
    /// header is specified", event-get) and the id type.
    ///
    /// Assumption: `IdType="ImmutableId"` is named back like the others; the immutable-id page
    /// does not say, and clients report seeing it.
    pub fn applied(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .zone
            .as_ref()
            .map(|(name, _)| format!("outlook.timezone=\"{name}\""))
            .into_iter()
            .collect();
        if let Some(kind) = self.body {
            out.push(format!("outlook.body-content-type=\"{}\"", kind.as_str()));
        }
        if self.immutable_ids {
            out.push("IdType=\"ImmutableId\"".to_string());
        }
        out
    }
}

/// The `Preference-Applied` entry of a page size that was honoured.
pub(crate) fn page_size_applied(size: usize) -> String {
    format!("odata.maxpagesize={size}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preference_is_read_from_one_or_several_headers() {
        let p = Preferences::parse([
            "odata.maxpagesize=25",
            "outlook.timezone=\"Tokyo Standard Time\", IdType=\"ImmutableId\"",
            "outlook.body-content-type=\"text\"",
        ]);
        assert_eq!(p.max_page_size, Some(25));
        assert_eq!(
            p.applied(),
            [
                "outlook.timezone=\"Tokyo Standard Time\"",
                "outlook.body-content-type=\"text\"",
                "IdType=\"ImmutableId\""
            ]
        );
        let p = Preferences::parse(["odata.maxpagesize=5000, outlook.timezone=\"Mars\""]);
        assert_eq!(p.max_page_size, Some(1000));
        assert!(p.zone.is_none() && p.applied().is_empty());
    }
}
