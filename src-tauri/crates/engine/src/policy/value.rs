//! A setting's value, read from a raw policy value as the setting's kind requires.

use serde::{Deserialize, Serialize};

use super::keys::Kind;
use super::raw::Raw;

/// A setting's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(untagged)]
pub enum Value {
    Bool(bool),
    Number(u32),
    Text(String),
    List(Vec<String>),
}

impl Value {
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<u32> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_list(&self) -> Option<&[String]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The value as a person reads it.
    pub fn show(&self) -> String {
        match self {
            Value::Bool(true) => "yes".into(),
            Value::Bool(false) => "no".into(),
            Value::Number(n) => n.to_string(),
            Value::Text(t) => t.clone(),
            Value::List(l) if l.is_empty() => "none".into(),
            Value::List(l) => l.join(", "),
        }
    }
}

/// Read `raw` as `kind`; the error says what was expected, for a person.
pub fn read(kind: Kind, raw: &Raw) -> Result<Value, String> {
    match kind {
        Kind::Bool => read_bool(raw).map(Value::Bool),
        Kind::Number { lo, hi } => {
            let n = match raw {
                Raw::Int(n) => *n,
                Raw::Text(t) => t
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| format!("expected a whole number, found \"{}\"", t.trim()))?,
                other => {
                    return Err(format!(
                        "expected a whole number, found {}",
                        other.describe()
                    ))
                }
            };
            match u32::try_from(n) {
                Ok(n) if (lo..=hi).contains(&n) => Ok(Value::Number(n)),
                _ => Err(format!("expected a number from {lo} to {hi}, found {n}")),
            }
        }
        Kind::Text => text(raw).map(Value::Text),
        Kind::Url => {
            let t = text(raw)?;
            if is_address(&t) {
                Ok(Value::Text(t.trim_end_matches('/').to_string()))
            } else {
                Err(format!(
                    "expected an https:// address (or http:// on this computer), found \"{t}\""
                ))
            }
        }
        Kind::OneOf(names) => {
            let t = text(raw)?.to_lowercase();
            if names.contains(&t.as_str()) {
                Ok(Value::Text(t))
            } else {
                Err(format!(
                    "expected one of {}, found \"{t}\"",
                    names.join(", ")
                ))
            }
        }
        Kind::SetOf(names) => {
            let mut out: Vec<String> = Vec::new();
            for item in items(raw)? {
                let item = item.to_lowercase();
                if !names.contains(&item.as_str()) {
                    return Err(format!(
                        "expected any of {} (or none), found \"{item}\"",
                        names.join(", ")
                    ));
                }
                if !out.contains(&item) {
                    out.push(item);
                }
            }
            // Kept in the catalogue's order, so the same policy always reads the same.
            out.sort_by_key(|i| names.iter().position(|n| n == i));
            Ok(Value::List(out))
        }
        Kind::Addresses => {
            let mut out: Vec<String> = Vec::new();
            for item in items(raw)? {
                let a = item.to_lowercase();
                let valid = a
                    .split_once('@')
                    .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !a.contains(' '));
                if !valid {
                    return Err(format!("expected e-mail addresses, found \"{item}\""));
                }
                if !out.contains(&a) {
                    out.push(a);
                }
            }
            Ok(Value::List(out))
        }
    }
}

fn read_bool(raw: &Raw) -> Result<bool, String> {
    match raw {
        Raw::Bool(b) => Ok(*b),
        Raw::Int(0) => Ok(false),
        Raw::Int(1) => Ok(true),
        Raw::Text(t) => match t.trim().to_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            other => Err(format!(
                "expected 1 or 0 (true or false), found \"{other}\""
            )),
        },
        other => Err(format!(
            "expected 1 or 0 (true or false), found {}",
            other.describe()
        )),
    }
}

fn text(raw: &Raw) -> Result<String, String> {
    match raw {
        Raw::Text(t) => Ok(t.trim().to_string()),
        other => Err(format!("expected text, found {}", other.describe())),
    }
}

/// A list's items: a list of texts, or one text separated by commas or semicolons.
/// "none" (alone) is the empty list.
fn items(raw: &Raw) -> Result<Vec<String>, String> {
    let parts: Vec<String> = match raw {
        Raw::List(l) => l.iter().map(text).collect::<Result<_, _>>()?,
        Raw::Text(t) => t.split([',', ';']).map(|s| s.trim().to_string()).collect(),
        other => return Err(format!("expected a list, found {}", other.describe())),
    };
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    if parts.len() == 1 && parts[0].eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    Ok(parts)
}

fn is_address(t: &str) -> bool {
    let loopback = ["http://localhost", "http://127.0.0.1", "http://[::1]"];
    let host_follows =
        |rest: &str| rest.is_empty() || rest.starts_with(':') || rest.starts_with('/');
    if let Some(rest) = t.strip_prefix("https://") {
        return !rest.is_empty() && !rest.contains(' ');
    }
    loopback.iter().any(|p| {
        t.strip_prefix(p)
            .is_some_and(|rest| host_follows(rest) && !rest.contains(' '))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::keys::{DIRECTIONS, NOTICE_KINDS};

    #[test]
    fn booleans_read_as_the_registry_and_files_write_them() {
        for (raw, want) in [
            (Raw::Bool(true), true),
            (Raw::Int(0), false),
            (Raw::text("1"), true),
            (Raw::text(" No "), false),
            (Raw::text("TRUE"), true),
        ] {
            assert_eq!(read(Kind::Bool, &raw), Ok(Value::Bool(want)), "{raw:?}");
        }
        let err = read(Kind::Bool, &Raw::text("maybe")).unwrap_err();
        assert!(err.contains("1 or 0") && err.contains("maybe"), "{err}");
        assert!(read(Kind::Bool, &Raw::Int(2)).is_err());
    }

    #[test]
    fn numbers_stay_within_their_bounds() {
        let k = Kind::Number { lo: 1, hi: 60 };
        assert_eq!(read(k, &Raw::text("15")), Ok(Value::Number(15)));
        assert_eq!(read(k, &Raw::Int(60)), Ok(Value::Number(60)));
        let err = read(k, &Raw::Int(0)).unwrap_err();
        assert!(err.contains("1 to 60") && err.contains('0'), "{err}");
        assert!(read(k, &Raw::Int(-5)).is_err());
        assert!(read(k, &Raw::text("ten")).unwrap_err().contains("\"ten\""));
    }

    #[test]
    fn lists_come_as_lists_or_as_text_with_commas() {
        let from_text = read(
            Kind::SetOf(DIRECTIONS),
            &Raw::text("crm_to_outlook, outlook_to_crm"),
        );
        let from_list = read(
            Kind::SetOf(DIRECTIONS),
            &Raw::List(vec![
                Raw::text("outlook_to_crm"),
                Raw::text("crm_to_outlook"),
            ]),
        );
        assert_eq!(from_text, from_list);
        assert_eq!(
            from_text,
            Ok(Value::List(vec![
                "outlook_to_crm".into(),
                "crm_to_outlook".into()
            ]))
        );
        assert_eq!(
            read(Kind::SetOf(DIRECTIONS), &Raw::text("none")),
            Ok(Value::List(vec![]))
        );
        let err = read(Kind::SetOf(NOTICE_KINDS), &Raw::text("waiting;spam")).unwrap_err();
        assert!(err.contains("\"spam\""), "{err}");
    }

    #[test]
    fn addresses_must_look_like_addresses_and_are_kept_lower_case() {
        assert_eq!(
            read(Kind::Addresses, &Raw::text("Olivia@Contoso.com")),
            Ok(Value::List(vec!["olivia@contoso.com".into()]))
        );
        assert!(read(Kind::Addresses, &Raw::text("olivia")).is_err());
    }

    #[test]
    fn addresses_of_services_must_be_https_except_on_this_computer() {
        assert!(read(
            Kind::Url,
            &Raw::text("https://login.microsoftonline.us/contoso")
        )
        .is_ok());
        assert!(read(Kind::Url, &Raw::text("http://localhost:8080/graph")).is_ok());
        assert!(read(Kind::Url, &Raw::text("http://graph.example.com")).is_err());
        assert!(read(Kind::Url, &Raw::text("http://localhost.example.com")).is_err());
        assert_eq!(
            read(Kind::Url, &Raw::text("https://graph.microsoft.com/v1.0/")),
            Ok(Value::Text("https://graph.microsoft.com/v1.0".into()))
        );
    }
}
