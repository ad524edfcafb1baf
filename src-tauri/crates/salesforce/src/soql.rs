//! Writing values into SOQL and SOSL safely. Every value in a query Onbehalf sends goes
//! through here: ids are checked to be ids, strings are quoted with their quotes and
//! backslashes escaped, search text has SOSL's reserved characters escaped.

/// Whether `s` has the shape of a Salesforce record id (15 or 18 letters and digits). Only
/// such values are written into a query unquoted-by-shape.
pub fn is_id(s: &str) -> bool {
    matches!(s.len(), 15 | 18) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A SOQL string literal: `'O\'Neil'`. Quotes, backslashes and control characters are escaped
/// as SOQL's escape sequences, so no value can end the literal or change the query.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            // Other control characters have no escape and no place in an address or id.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// `('a', 'b')` for `IN`, from values quoted one by one. `None` when there are none: `IN ()`
/// is not SOQL, and asking for nothing needs no call.
pub fn in_list<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let quoted: Vec<String> = values.into_iter().map(quote).collect();
    (!quoted.is_empty()).then(|| format!("({})", quoted.join(", ")))
}

/// SOSL's reserved characters, escaped with a backslash when they are meant literally.
const SOSL_RESERVED: &[char] = &[
    '?', '&', '|', '!', '{', '}', '[', ']', '(', ')', '^', '~', '*', ':', '\\', '"', '\'', '+', '-',
];

/// Search text as typed, made into a prefix search: reserved characters escaped, control
/// characters dropped, and `*` after the last word so "Acm" finds "Acme". `None` when too
/// little is left to search for (SOSL needs two characters).
pub fn sosl_prefix(text: &str) -> Option<String> {
    let trimmed = text.trim();
    if trimmed.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return None;
    }
    let mut out = String::with_capacity(trimmed.len() + 4);
    for c in trimmed.chars() {
        if SOSL_RESERVED.contains(&c) {
            out.push('\\');
            out.push(c);
        } else if !c.is_control() {
            out.push(c);
        }
    }
    out.push('*');
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_backslashes_cannot_end_the_literal() {
        assert_eq!(quote("o'neil@contoso.com"), r"'o\'neil@contoso.com'");
        assert_eq!(quote(r"a\'b"), r"'a\\\'b'");
        assert_eq!(quote("x' OR Email != '"), r"'x\' OR Email != \''");
        assert_eq!(quote("two\nlines\t\"q\""), r#"'two\nlines\t\"q\"'"#);
        assert_eq!(quote("bell\u{7}"), "'bell'");
        assert_eq!(quote(""), "''");
    }

    #[test]
    fn in_lists_quote_each_value_and_refuse_empty_ones() {
        assert_eq!(
            in_list(["a@x.com", "b'c@x.com"]).as_deref(),
            Some(r"('a@x.com', 'b\'c@x.com')")
        );
        assert_eq!(in_list([]), None);
    }

    #[test]
    fn ids_are_15_or_18_letters_and_digits() {
        assert!(is_id("00U5e00000AbCdE"));
        assert!(is_id("00U5e00000AbCdEFGH"));
        assert!(!is_id("00U5e00000AbCd'"));
        assert!(!is_id("00U5e00000AbCdEF"));
        assert!(!is_id(""));
    }

    #[test]
    fn search_text_is_escaped_and_made_a_prefix() {
        assert_eq!(sosl_prefix("Acm").as_deref(), Some("Acm*"));
        assert_eq!(
            sosl_prefix(" O'Neil & Sons (UK) ").as_deref(),
            Some(r"O\'Neil \& Sons \(UK\)*")
        );
        assert_eq!(sosl_prefix("a*").as_deref(), None);
        assert_eq!(sosl_prefix("-").as_deref(), None);
    }
}
