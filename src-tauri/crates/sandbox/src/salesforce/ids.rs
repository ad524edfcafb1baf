//! Salesforce record ids: a three-character key prefix naming the object (`00U` Event, `003`
//! Contact, ...), two characters of the pod, a reserved character and nine base-62 digits make
//! the case-sensitive 15-character id; three more characters encoding which of its letters are
//! capitals make the case-insensitive 18-character form the REST API answers with. Either form
//! is accepted on input, as Salesforce accepts both.

const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SUFFIX: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

/// Sequence numbers start here so that ids have the look of a long-lived org, not `...0001`.
const SEQUENCE_BASE: u64 = 1_000_000_000;

/// The 18-character id of the `n`th record with key `prefix` on `pod`.
pub(crate) fn make(prefix: &str, pod: &str, n: u64) -> String {
    let mut digits = [b'0'; 9];
    let mut value = SEQUENCE_BASE.saturating_add(n);
    for slot in digits.iter_mut().rev() {
        let digit = usize::try_from(value % 62).unwrap_or(0);
        *slot = BASE62[digit];
        value /= 62;
    }
    let body: String = digits.iter().map(|b| char::from(*b)).collect();
    with_suffix(&format!("{prefix}{pod}0{body}"))
}

/// The 18-character form of a 15-character id.
fn with_suffix(id15: &str) -> String {
    let bytes = id15.as_bytes();
    let mut out = String::with_capacity(18);
    out.push_str(id15);
    for chunk in bytes.chunks(5) {
        let bits = chunk
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_ascii_uppercase())
            .fold(0usize, |acc, (i, _)| acc | (1 << i));
        out.push(char::from(SUFFIX[bits % SUFFIX.len()]));
    }
    out
}

/// The 18-character form of a 15- or 18-character id; `None` when the text is not an id.
pub(crate) fn normalize(text: &str) -> Option<String> {
    let text = text.trim();
    let alnum = text.bytes().all(|b| b.is_ascii_alphanumeric());
    match text.len() {
        15 if alnum => Some(with_suffix(text)),
        18 if alnum => {
            let id15 = &text[..15];
            let full = with_suffix(id15);
            // The suffix is case-insensitive; a suffix that does not fit the body is no id.
            full[15..].eq_ignore_ascii_case(&text[15..]).then_some(full)
        }
        _ => None,
    }
}

/// The key prefix of an id.
pub(crate) fn prefix(id: &str) -> &str {
    id.get(..3).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_the_documented_shape_and_both_forms_are_accepted() {
        let id = make("00U", "5g", 42);
        assert_eq!(id.len(), 18);
        assert!(id.starts_with("00U5g0"));
        assert_eq!(normalize(&id[..15]), Some(id.clone()));
        assert_eq!(normalize(&id), Some(id.clone()));
        assert_eq!(normalize("not an id"), None);
        assert_ne!(make("00U", "5g", 1), make("00U", "5g", 2));
    }

    #[test]
    fn the_suffix_matches_salesforce_for_a_known_id() {
        // The example id of the Salesforce documentation on the 18-character form.
        assert_eq!(with_suffix("001A0000006Vm9r"), "001A0000006Vm9rIAC");
    }
}
