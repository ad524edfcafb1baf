//! Single-value extended property ids. Exchange matches the property set GUID and type without
//! regard to case but the name part exactly, so ids are compared in a normalized form.

const SINGLE_VALUE_TYPES: &[&str] = &[
    "binary",
    "boolean",
    "clsid",
    "currency",
    "datetime",
    "double",
    "float",
    "integer",
    "long",
    "object",
    "short",
    "string",
    "systemtime",
];

/// The comparable form of an id: type, GUID and the `Name`/`Id` keyword lowercased, a name kept
/// as written.
pub(crate) fn normalize(id: &str) -> String {
    let parts: Vec<&str> = id.split_whitespace().collect();
    match parts.as_slice() {
        [kind, set, keyword, name @ ..] if keyword.eq_ignore_ascii_case("name") => format!(
            "{} {} name {}",
            kind.to_lowercase(),
            set.to_lowercase(),
            name.join(" ")
        ),
        _ => parts.join(" ").to_lowercase(),
    }
}

/// Whether an id has one of the documented forms: `{type} {guid} Name {name}`,
/// `{type} {guid} Id {hex}` or `{type} {proptag}`.
pub(crate) fn is_valid(id: &str) -> bool {
    let parts: Vec<&str> = id.split_whitespace().collect();
    let type_ok = |t: &str| SINGLE_VALUE_TYPES.contains(&t.to_lowercase().as_str());
    let guid_ok = |g: &str| {
        let inner = g.trim_start_matches('{').trim_end_matches('}');
        inner.len() == 36 && uuid::Uuid::parse_str(inner).is_ok()
    };
    let hex_ok = |h: &str| {
        h.strip_prefix("0x")
            .or_else(|| h.strip_prefix("0X"))
            .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_hexdigit()))
    };
    match parts.as_slice() {
        [kind, tag] => type_ok(kind) && hex_ok(tag),
        [kind, set, keyword, _name, ..] if keyword.eq_ignore_ascii_case("name") => {
            type_ok(kind) && guid_ok(set)
        }
        [kind, set, keyword, num] if keyword.eq_ignore_ascii_case("id") => {
            type_ok(kind) && guid_ok(set) && hex_ok(num)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_part_is_case_sensitive_the_rest_is_not() {
        let a = "String {6B1F3C52-7E0A-4D8B-9C1E-2A5F0B7D4E91} Name OnbehalfStatus";
        let b = "string {6b1f3c52-7e0a-4d8b-9c1e-2a5f0b7d4e91} name OnbehalfStatus";
        let c = "String {6B1F3C52-7E0A-4D8B-9C1E-2A5F0B7D4E91} Name onbehalfstatus";
        assert_eq!(normalize(a), normalize(b));
        assert_ne!(normalize(a), normalize(c));
        assert!(is_valid(a));
        assert!(is_valid("String 0x3FF8"));
        assert!(!is_valid("CrmId"));
    }
}
