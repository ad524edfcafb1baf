//! The `Prefer` request header: `outlook.timezone="..."` (times in that zone) and
//! `odata.maxpagesize=N` (at most N items a page). Each preference that was honoured is named
//! back in `Preference-Applied`, as Graph does.

use chrono_tz::Tz;

use super::odata::MAX_TOP;
use crate::tz;

/// The preferences of one request (or one `$batch` member).
#[derive(Debug, Clone, Default)]
pub(crate) struct Preferences {
    /// `outlook.timezone`, when it names a known zone: the name as sent, and the zone.
    pub zone: Option<(String, Tz)>,
    /// `odata.maxpagesize`, kept within 1..=1000 (Outlook's largest page).
    pub max_page_size: Option<usize>,
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
        }
    }

    /// The `Preference-Applied` entry of the time zone.
    pub fn zone_applied(&self) -> Option<String> {
        self.zone
            .as_ref()
            .map(|(name, _)| format!("outlook.timezone=\"{name}\""))
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
    fn both_preferences_are_read_from_one_or_several_headers() {
        let p = Preferences::parse([
            "odata.maxpagesize=25",
            "outlook.timezone=\"Tokyo Standard Time\"",
        ]);
        assert_eq!(p.max_page_size, Some(25));
        assert_eq!(
            p.zone_applied().as_deref(),
            Some("outlook.timezone=\"Tokyo Standard Time\"")
        );
        let p = Preferences::parse(["odata.maxpagesize=5000, outlook.timezone=\"Mars\""]);
        assert_eq!(p.max_page_size, Some(1000));
        assert!(p.zone.is_none());
    }
}
