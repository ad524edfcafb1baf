//! Decoding a JSON answer without ever quoting it.

use serde::de::DeserializeOwned;

/// Where an answer could not be decoded, and in which way; never what it held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeFailure {
    pub detail: String,
}

/// Decode a JSON answer. The parser's own message could quote the content (a private item's
/// subject, a record's field), so only the kind of failure and its place are reported.
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        let category = match inner.classify() {
            serde_json::error::Category::Io => "unreadable",
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Data => "unexpected content",
            serde_json::error::Category::Eof => "cut short",
        };
        DecodeFailure {
            detail: format!(
                "{category} at `{}` (line {}, column {})",
                e.path(),
                inner.line(),
                inner.column()
            ),
        }
    })
}

/// Decode a JSON value already parsed (a part of a larger answer), the same way.
pub fn decode_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, DecodeFailure> {
    serde_path_to_error::deserialize(value).map_err(|e| DecodeFailure {
        detail: format!("unexpected content at `{}`", e.path()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        subject: u32,
    }

    #[test]
    fn a_failure_says_where_but_not_what() {
        let err = decode::<Item>(br#"{"subject": "Divorce lawyer"}"#).unwrap_err();
        assert!(
            err.detail.contains("unexpected content at `subject`"),
            "{err:?}"
        );
        assert!(!err.detail.contains("Divorce"), "{err:?}");
        let cut = decode::<Item>(br#"{"subject": 1"#).unwrap_err();
        assert!(cut.detail.starts_with("cut short"), "{cut:?}");
    }
}
