//! `mailto:` links (RFC 6068), so a recipient can answer an offer with one click.

/// A `mailto:` link to `to_address` with the subject and body filled in. Every octet outside
/// RFC 3986's unreserved characters is percent-encoded from UTF-8 (a space as `%20`, never
/// `+`, which mail clients would keep as a plus); the address keeps its "@". Line breaks in
/// the body become `%0D%0A`, as RFC 6068 asks. An empty subject or body is left out.
pub fn mailto_link(to_address: &str, subject: &str, body: &str) -> String {
    let mut link = format!("mailto:{}", encode(to_address.trim(), b"@"));
    let mut separator = '?';
    for (name, value) in [("subject", subject.to_string()), ("body", crlf(body))] {
        if !value.is_empty() {
            link.push(separator);
            link.push_str(name);
            link.push('=');
            link.push_str(&encode(&value, b""));
            separator = '&';
        }
    }
    link
}

/// Every line break as CR LF.
fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\n', "\r\n")
}

/// `text` with every byte percent-encoded but the unreserved ones and those in `keep`.
fn encode(text: &str, keep: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            for nibble in [b >> 4, b & 0x0f] {
                out.push(char::from(HEX[usize::from(nibble)]));
            }
        }
    }
    out
}
