//! Event bodies in the format the caller prefers. "If the header is not specified, the
//! **body** property is returned in HTML format" (event-get); `Prefer:
//! outlook.body-content-type="text"` gives plain text. A body stored in the other format is
//! converted on the way out; the stored body never changes.

use serde_json::{json, Value};

/// `itemBody.contentType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyType {
    Text,
    Html,
}

impl BodyType {
    pub fn parse(value: &str) -> Option<BodyType> {
        match value.trim() {
            v if v.eq_ignore_ascii_case("text") => Some(BodyType::Text),
            v if v.eq_ignore_ascii_case("html") => Some(BodyType::Html),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BodyType::Text => "text",
            BodyType::Html => "html",
        }
    }
}

/// Put an event JSON's `body` in the preferred format (HTML when none is preferred).
pub(crate) fn present(event: &mut Value, preferred: Option<BodyType>) {
    let wanted = preferred.unwrap_or(BodyType::Html);
    let Some(body) = event.get_mut("body") else {
        return;
    };
    let stored = body
        .get("contentType")
        .and_then(Value::as_str)
        .and_then(BodyType::parse)
        .unwrap_or(BodyType::Text);
    if stored == wanted {
        return;
    }
    let content = body
        .get("content")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let converted = match wanted {
        BodyType::Text => html_to_text(content),
        BodyType::Html => text_to_html(content),
    };
    *body = json!({ "contentType": wanted.as_str(), "content": converted });
}

/// Assumption: a text body shown as HTML is escaped and wrapped the way Outlook wraps the
/// bodies it writes (`<html><head>…</head><body>…`), one `<br>` per line break; an empty body
/// stays empty. The documentation does not show Exchange's conversion.
fn text_to_html(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let lines: Vec<String> = text
        .replace("\r\n", "\n")
        .split('\n')
        .map(|l| html_escape::encode_text(l).into_owned())
        .collect();
    format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><div>{}</div></body></html>",
        lines.join("<br>\r\n")
    )
}

/// Assumption: HTML shown as text keeps the text of the body (not the head), with a line
/// break for each `<br>` and the end of each block (`p`, `div`, `li`, `tr`, headings),
/// entities decoded, trailing spaces trimmed and lines joined with `\r\n` as Exchange's text
/// bodies are.
fn html_to_text(html: &str) -> String {
    let lower = html.to_ascii_lowercase();
    let mut text = String::new();
    let mut rest = 0;
    let mut in_head = false;
    while let Some(open) = lower[rest..].find('<').map(|i| rest + i) {
        if !in_head {
            text.push_str(&html[rest..open]);
        }
        let close = lower[open..]
            .find('>')
            .map_or(lower.len(), |i| open + i + 1);
        let tag = lower[open + 1..close.saturating_sub(1).max(open + 1)].trim();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        match (tag.starts_with('/'), name.as_str()) {
            (false, "head") => in_head = true,
            (true, "head") => in_head = false,
            (_, "br") => text.push('\n'),
            (true, "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6") => {
                text.push('\n')
            }
            _ => {}
        }
        rest = close;
    }
    if !in_head {
        text.push_str(&html[rest..]);
    }
    let decoded = html_escape::decode_html_entities(&text).replace('\u{a0}', " ");
    let lines: Vec<&str> = decoded.lines().map(str::trim_end).collect();
    let mut out: Vec<&str> = Vec::new();
    for line in lines {
        // At most one empty line in a row, as block ends and breaks pile up.
        if line.trim().is_empty() && out.last().is_none_or(|l| l.trim().is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_its_text_and_text_becomes_html() {
        let html = "<html><head><title>x</title></head><body><p>Agenda &amp; notes</p><p>Two<br>lines</p></body></html>";
        assert_eq!(html_to_text(html), "Agenda & notes\r\nTwo\r\nlines");
        assert_eq!(
            text_to_html("a < b\nc"),
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head><body><div>a &lt; b<br>\r\nc</div></body></html>"
        );
        assert_eq!(text_to_html(""), "");
        let mut event = json!({"body": {"contentType": "html", "content": html}});
        present(&mut event, Some(BodyType::Text));
        assert_eq!(event["body"]["contentType"], "text");
        present(&mut event, None);
        assert_eq!(event["body"]["contentType"], "html");
    }
}
