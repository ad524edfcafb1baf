//! Plain text from an HTML body, for an answer that comes as HTML although text was asked for
//! (a server that ignores `Prefer: outlook.body-content-type`). Enough to read a reply: markup
//! dropped, line breaks and blocks kept as lines, whitespace collapsed as a browser would,
//! the common entities decoded.

/// Elements whose content is not text to read.
const SKIPPED: [&str; 4] = ["head", "style", "script", "title"];

/// Elements that start and end a line of their own.
const BLOCKS: [&str; 17] = [
    "p",
    "div",
    "tr",
    "li",
    "ul",
    "ol",
    "table",
    "blockquote",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "body",
];

pub(super) fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        let after = &rest[lt + 1..];
        if let Some(comment) = after.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(gt) = after.find('>') else {
            // Not a tag after all: the rest is text.
            push_text(&mut out, &rest[lt..]);
            rest = "";
            break;
        };
        let tag = &after[..gt];
        rest = &after[gt + 1..];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if !closing && SKIPPED.contains(&name.as_str()) {
            let close = format!("</{name}");
            rest = rest
                .to_ascii_lowercase()
                .find(&close)
                .map_or("", |i| &rest[i..]);
        } else if name == "br" || (is_block(&name) && !out.is_empty() && !out.ends_with('\n')) {
            out.push('\n');
        }
    }
    push_text(&mut out, rest);
    tidy(&out)
}

fn is_block(name: &str) -> bool {
    BLOCKS.contains(&name)
}

/// Text between tags: entities decoded, each run of whitespace one space.
fn push_text(out: &mut String, raw: &str) {
    for c in decode_entities(raw).chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Lines trimmed, at most one empty line in a row, none at either end.
fn tidy(text: &str) -> String {
    let mut lines: Vec<&str> = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_html_body_reads_as_its_sentence() {
        // The body of the create-message example (user-post-messages).
        let html = "<html>\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n<meta content=\"text/html; charset=us-ascii\">\r\n</head>\r\n<body>\r\nThey were <b>awesome</b>!\r\n</body>\r\n</html>\r\n";
        assert_eq!(html_to_text(html), "They were awesome!");
    }

    #[test]
    fn a_reply_keeps_its_lines_and_entities() {
        let html = "<html><head><style>p{margin:0}</style></head><body><div>Option 2 works &amp; suits Megan.</div><div><br></div><div>Thanks,<br>Adele</div><!-- a comment --><hr><div>From: Pradeep &lt;pradeepg@contoso.com&gt;&nbsp;&#8212; 3&#x2009;slots</div></body></html>";
        assert_eq!(
            html_to_text(html),
            "Option 2 works & suits Megan.\n\nThanks,\nAdele\nFrom: Pradeep <pradeepg@contoso.com> \u{2014} 3 slots"
        );
    }

    #[test]
    fn stray_brackets_and_unknown_entities_stay_text() {
        assert_eq!(html_to_text("a < b &bogus; &amp c"), "a < b &bogus; &amp c");
    }
}
