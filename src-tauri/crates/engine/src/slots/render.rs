//! A message's content laid out once and written twice: as plain text, and as simple HTML that
//! Outlook shows as meant (inline styles only; no scripts, no style sheets, no images). Every
//! piece of text is escaped on its way into HTML.

/// A part of a message.
pub(crate) enum Block {
    /// Lines of running text.
    Paragraph(Vec<String>),
    /// A day: its heading, a detail after it (the offset), and its times.
    Day {
        heading: String,
        detail: String,
        entries: Vec<Entry>,
    },
    /// A paragraph worded for each form: the HTML one can point at links the text lacks.
    Worded { text: String, html: String },
    /// The small print at the end.
    Aside(String),
}

/// One time in a day's list.
pub(crate) struct Entry {
    /// "1." for a slot that can be chosen by its number, "•" for a free stretch.
    pub marker: String,
    /// "10:00–10:45".
    pub time: String,
    /// A `mailto:` link answering with this time, in HTML only.
    pub link: Option<String>,
    /// What follows the time, each already in its brackets: the offset when it differs from
    /// the day's, the owner's own time.
    pub details: Vec<String>,
}

impl Entry {
    fn details(&self) -> String {
        self.details.iter().map(|d| format!(" {d}")).collect()
    }
}

/// The message as plain text: blocks apart by an empty line, a day's times one a line.
pub(crate) fn text(blocks: &[Block]) -> String {
    let parts: Vec<String> = blocks
        .iter()
        .map(|block| match block {
            Block::Paragraph(lines) => lines.join("\n"),
            Block::Day {
                heading,
                detail,
                entries,
            } => {
                let mut lines = vec![format!("{heading} {detail}")];
                lines.extend(
                    entries
                        .iter()
                        .map(|e| format!("{} {}{}", e.marker, e.time, e.details())),
                );
                lines.join("\n")
            }
            Block::Worded { text, .. } => text.clone(),
            Block::Aside(line) => line.clone(),
        })
        .collect();
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

const PARAGRAPH: &str = r#"<p style="margin:0 0 12px 0">"#;
const ASIDE: &str = r#"<p style="margin:18px 0 0 0;color:#5f5f5f">"#;

/// The message as an HTML document of paragraphs, with inline styles only.
pub(crate) fn html(blocks: &[Block]) -> String {
    let mut out = String::from(concat!(
        r#"<html><head><meta charset="utf-8"></head><body>"#,
        r#"<div style="font-family:Calibri,Arial,sans-serif;font-size:11pt;color:#1f1f1f">"#,
        "\n"
    ));
    for block in blocks {
        match block {
            Block::Paragraph(lines) => {
                let lines: Vec<String> = lines.iter().map(|l| escape(l)).collect();
                out.push_str(&format!("{PARAGRAPH}{}</p>\n", lines.join("<br>")));
            }
            Block::Day {
                heading,
                detail,
                entries,
            } => {
                out.push_str(&format!(
                    "{PARAGRAPH}<b>{}</b> {}",
                    escape(heading),
                    escape(detail)
                ));
                for entry in entries {
                    out.push_str(&format!("<br>\n{} {}", escape(&entry.marker), time(entry)));
                    out.push_str(&escape(&entry.details()));
                }
                out.push_str("</p>\n");
            }
            Block::Worded { html, .. } => {
                out.push_str(&format!("{PARAGRAPH}{}</p>\n", escape(html)));
            }
            Block::Aside(line) => out.push_str(&format!("{ASIDE}{}</p>\n", escape(line))),
        }
    }
    out.push_str("</div></body></html>\n");
    out
}

/// An entry's time, as a link when it has one.
fn time(entry: &Entry) -> String {
    match &entry.link {
        Some(link) => format!(r#"<a href="{}">{}</a>"#, escape(link), escape(&entry.time)),
        None => escape(&entry.time),
    }
}

/// `text` safe inside HTML text and double- or single-quoted attributes.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}
