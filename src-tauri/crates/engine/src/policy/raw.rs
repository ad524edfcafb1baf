//! A policy document as its source gave it, before any setting is read from it: TOML, a plist
//! and the registry all come down to these few shapes.

use std::collections::BTreeMap;

/// One value of a policy document.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Bool(bool),
    Int(i64),
    Text(String),
    List(Vec<Raw>),
    /// Keys are kept lower case: registry value names are not case sensitive.
    Table(BTreeMap<String, Raw>),
}

impl Raw {
    /// A table from pairs, keys made lower case.
    pub fn table<K: AsRef<str>>(pairs: impl IntoIterator<Item = (K, Raw)>) -> Raw {
        Raw::Table(
            pairs
                .into_iter()
                .map(|(k, v)| (k.as_ref().trim().to_lowercase(), v))
                .collect(),
        )
    }

    pub fn text(s: &str) -> Raw {
        Raw::Text(s.to_string())
    }

    /// What kind of value this is, for an error message.
    pub fn describe(&self) -> &'static str {
        match self {
            Raw::Bool(_) => "a true/false value",
            Raw::Int(_) => "a number",
            Raw::Text(_) => "text",
            Raw::List(_) => "a list",
            Raw::Table(_) => "a table",
        }
    }

    /// Empty text, or a list with nothing in it, is "not set": the MSI writes every property,
    /// empty when the administrator gave none.
    pub fn is_unset(&self) -> bool {
        match self {
            Raw::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}
