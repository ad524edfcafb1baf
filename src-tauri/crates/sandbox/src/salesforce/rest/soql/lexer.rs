//! SOQL tokens: names, quoted strings (single quotes, backslash escapes), numbers and unquoted
//! date and date-time literals, operators and punctuation, each with where it starts.

use super::SoqlError;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Name(String),
    Str(String),
    /// A number, a date or a date-time as written; the parser decides which.
    Bare(String),
    Op(&'static str),
    Comma,
    Open,
    Close,
    Dot,
    Colon,
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub tok: Tok,
    /// Character offset in the query.
    pub at: usize,
}

/// Split a query into tokens.
pub(crate) fn lex(query: &str) -> Result<Vec<Token>, SoqlError> {
    let chars: Vec<char> = query.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let at = i;
        let single = |tok| Token { tok, at };
        match c {
            c if c.is_whitespace() => i += 1,
            ',' => {
                out.push(single(Tok::Comma));
                i += 1;
            }
            '(' => {
                out.push(single(Tok::Open));
                i += 1;
            }
            ')' => {
                out.push(single(Tok::Close));
                i += 1;
            }
            '.' => {
                out.push(single(Tok::Dot));
                i += 1;
            }
            ':' => {
                out.push(single(Tok::Colon));
                i += 1;
            }
            '=' => {
                out.push(single(Tok::Op("=")));
                i += 1;
            }
            '!' | '<' | '>' => {
                let next = chars.get(i + 1).copied();
                let (op, len) = match (c, next) {
                    ('!', Some('=')) => ("!=", 2),
                    ('<', Some('>')) => ("!=", 2),
                    ('<', Some('=')) => ("<=", 2),
                    ('>', Some('=')) => (">=", 2),
                    ('<', _) => ("<", 1),
                    ('>', _) => (">", 1),
                    _ => return Err(SoqlError::malformed(at, format!("unexpected token: '{c}'"))),
                };
                out.push(single(Tok::Op(op)));
                i += len;
            }
            '\'' => {
                let (text, end) = string(&chars, i)?;
                out.push(Token {
                    tok: Tok::Str(text),
                    at,
                });
                i = end;
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let start = i;
                i += 1;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric()
                        || matches!(chars[i], ':' | '.' | '+' | '-'))
                {
                    i += 1;
                }
                out.push(Token {
                    tok: Tok::Bare(chars[start..i].iter().collect()),
                    at,
                });
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push(Token {
                    tok: Tok::Name(chars[start..i].iter().collect()),
                    at,
                });
            }
            other => {
                return Err(SoqlError::malformed(
                    at,
                    format!("unexpected token: '{other}'"),
                ))
            }
        }
    }
    Ok(out)
}

/// A quoted string from `start` (the opening quote); its text and the index after it. The
/// escapes `\%` and `\_` keep their backslash, for LIKE to see.
fn string(chars: &[char], start: usize) -> Result<(String, usize), SoqlError> {
    let mut text = String::new();
    let mut i = start + 1;
    while let Some(&c) = chars.get(i) {
        match c {
            '\'' => return Ok((text, i + 1)),
            '\\' => {
                let escaped = chars.get(i + 1).copied().ok_or_else(|| {
                    SoqlError::malformed(
                        i,
                        "Invalid string literal: it ends with a backslash".to_string(),
                    )
                })?;
                match escaped {
                    'n' => text.push('\n'),
                    'r' => text.push('\r'),
                    't' => text.push('\t'),
                    'b' => text.push('\u{8}'),
                    'f' => text.push('\u{c}'),
                    '\'' | '"' | '\\' => text.push(escaped),
                    '%' | '_' => {
                        text.push('\\');
                        text.push(escaped);
                    }
                    other => {
                        return Err(SoqlError::malformed(
                            i,
                            format!("Invalid string literal '\\{other}'. Illegal character sequence '\\{other}' in string literal."),
                        ))
                    }
                }
                i += 2;
            }
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    Err(SoqlError::malformed(
        start,
        "unexpected token: <EOF>".to_string(),
    ))
}
