//! A small OData `$filter` language: comparisons (`eq ne gt ge lt le`), `and`, `or`, `not`,
//! parentheses, `contains`/`startswith`/`endswith`, and `any`/`all` lambdas such as
//! `singleValueExtendedProperties/Any(ep: ep/id eq '...' and ep/value eq '...')`. It is
//! evaluated over the JSON an item shows the caller, so a filter can never see more than the
//! caller may.

use std::cmp::Ordering;

use serde_json::Value;

use crate::extprops;
use crate::tz;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Compare(Operand, Op, Operand),
    Call(String, Operand, Operand),
    Lambda {
        collection: Vec<String>,
        var: String,
        all: bool,
        body: Box<Expr>,
    },
    Truthy(Operand),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Path(Vec<String>),
    Literal(Value),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Str(String),
    Bare(String),
    Open,
    Close,
    Comma,
    Slash,
    Colon,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            ',' => {
                out.push(Token::Comma);
                i += 1;
            }
            '/' => {
                out.push(Token::Slash);
                i += 1;
            }
            ':' => {
                out.push(Token::Colon);
                i += 1;
            }
            '\'' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("unterminated string literal".to_string()),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            s.push('\'');
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            s.push(*ch);
                            i += 1;
                        }
                    }
                }
                out.push(Token::Str(s));
            }
            c if c.is_ascii_digit() || c == '-' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric()
                        || matches!(chars[i], ':' | '.' | '-' | '+'))
                {
                    i += 1;
                }
                out.push(Token::Bare(chars[start..i].iter().collect()));
            }
            c if c.is_alphabetic() || c == '_' || c == '@' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '@' | '.'))
                {
                    i += 1;
                }
                out.push(Token::Ident(chars[start..i].iter().collect()));
            }
            other => return Err(format!("unexpected character '{other}'")),
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Ident(w)) if w.eq_ignore_ascii_case(word))
    }

    fn expect(&mut self, token: Token) -> Result<(), String> {
        match self.next() {
            Some(t) if t == token => Ok(()),
            other => Err(format!("expected {token:?}, found {other:?}")),
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.keyword("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, String> {
        if self.peek() == Some(&Token::Open) {
            self.pos += 1;
            let e = self.or()?;
            self.expect(Token::Close)?;
            return Ok(e);
        }
        for function in ["contains", "startswith", "endswith"] {
            if self.keyword(function) && self.tokens.get(self.pos + 1) == Some(&Token::Open) {
                self.pos += 2;
                let a = self.operand()?;
                self.expect(Token::Comma)?;
                let b = self.operand()?;
                self.expect(Token::Close)?;
                return Ok(Expr::Call(function.to_string(), a, b));
            }
        }
        let left = self.operand()?;
        if let Operand::Path(path) = &left {
            if let Some(last) = path.last() {
                let all = last.eq_ignore_ascii_case("all");
                if (all || last.eq_ignore_ascii_case("any")) && self.peek() == Some(&Token::Open) {
                    self.pos += 1;
                    let var = match self.next() {
                        Some(Token::Ident(v)) => v,
                        other => {
                            return Err(format!("expected a lambda variable, found {other:?}"))
                        }
                    };
                    self.expect(Token::Colon)?;
                    let body = self.or()?;
                    self.expect(Token::Close)?;
                    return Ok(Expr::Lambda {
                        collection: path[..path.len() - 1].to_vec(),
                        var,
                        all,
                        body: Box::new(body),
                    });
                }
            }
        }
        let op = match self.peek() {
            Some(Token::Ident(w)) => match w.to_ascii_lowercase().as_str() {
                "eq" => Some(Op::Eq),
                "ne" => Some(Op::Ne),
                "gt" => Some(Op::Gt),
                "ge" => Some(Op::Ge),
                "lt" => Some(Op::Lt),
                "le" => Some(Op::Le),
                _ => None,
            },
            _ => None,
        };
        match op {
            Some(op) => {
                self.pos += 1;
                let right = self.operand()?;
                Ok(Expr::Compare(left, op, right))
            }
            None => Ok(Expr::Truthy(left)),
        }
    }

    fn operand(&mut self) -> Result<Operand, String> {
        match self.next() {
            Some(Token::Str(s)) => Ok(Operand::Literal(Value::String(s))),
            Some(Token::Bare(b)) => Ok(Operand::Literal(match b.parse::<f64>() {
                Ok(n) => serde_json::Number::from_f64(n)
                    .map(Value::Number)
                    .unwrap_or(Value::String(b)),
                Err(_) => Value::String(b),
            })),
            Some(Token::Ident(w)) if w == "true" => Ok(Operand::Literal(Value::Bool(true))),
            Some(Token::Ident(w)) if w == "false" => Ok(Operand::Literal(Value::Bool(false))),
            Some(Token::Ident(w)) if w == "null" => Ok(Operand::Literal(Value::Null)),
            Some(Token::Ident(first)) => {
                let mut path = vec![first];
                while self.peek() == Some(&Token::Slash) {
                    self.pos += 1;
                    match self.next() {
                        Some(Token::Ident(seg)) => path.push(seg),
                        other => return Err(format!("expected a property name, found {other:?}")),
                    }
                }
                Ok(Operand::Path(path))
            }
            other => Err(format!("expected a value or property, found {other:?}")),
        }
    }
}

/// Parse a `$filter` expression.
pub(crate) fn parse(text: &str) -> Result<Expr, String> {
    let mut p = Parser {
        tokens: tokenize(text)?,
        pos: 0,
    };
    let e = p.or()?;
    match p.peek() {
        None => Ok(e),
        Some(t) => Err(format!("unexpected {t:?} after the expression")),
    }
}

/// The collection holding single-value extended properties.
pub(crate) const EXTENDED: &str = "singleValueExtendedProperties";

/// What a filter is evaluated against: the item's JSON, and its extended properties as
/// `{"id","value"}` objects (kept apart because they are not part of the item's JSON).
pub(crate) struct Subject<'a> {
    pub item: &'a Value,
    pub extended: &'a [Value],
    /// True when `item` itself is one extended property (inside `$expand=...($filter=)`).
    pub is_extended_property: bool,
}

struct Scope<'a> {
    subject: &'a Subject<'a>,
    var: Option<(&'a str, &'a Value, bool)>,
}

fn get_ci<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    let map = value.as_object()?;
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn walk<'v>(mut value: &'v Value, path: &[String]) -> Option<&'v Value> {
    for seg in path {
        value = get_ci(value, seg)?;
    }
    Some(value)
}

impl Scope<'_> {
    fn resolve(&self, path: &[String]) -> Option<Value> {
        if let Some((var, element, _)) = self.var {
            if path.first().is_some_and(|p| p == var) {
                return walk(element, &path[1..]).cloned();
            }
        }
        walk(self.subject.item, path).cloned()
    }

    /// Whether a path names the id of an extended property, compared in normalized form.
    fn is_extended_id(&self, path: &[String]) -> bool {
        match self.var {
            Some((var, _, true)) if path.len() == 2 && path[0] == var => {
                path[1].eq_ignore_ascii_case("id")
            }
            _ => {
                self.subject.is_extended_property
                    && path.len() == 1
                    && path[0].eq_ignore_ascii_case("id")
            }
        }
    }

    fn value(&self, operand: &Operand) -> Option<Value> {
        match operand {
            Operand::Literal(v) => Some(v.clone()),
            Operand::Path(p) => self.resolve(p),
        }
    }

    fn eval(&self, expr: &Expr) -> bool {
        match expr {
            Expr::And(a, b) => self.eval(a) && self.eval(b),
            Expr::Or(a, b) => self.eval(a) || self.eval(b),
            Expr::Not(a) => !self.eval(a),
            Expr::Truthy(o) => self.value(o) == Some(Value::Bool(true)),
            Expr::Compare(a, op, b) => {
                let extended_id = [a, b]
                    .iter()
                    .any(|o| matches!(o, Operand::Path(p) if self.is_extended_id(p)));
                let (Some(x), Some(y)) = (self.value(a), self.value(b)) else {
                    return false;
                };
                if extended_id {
                    let same = match (x.as_str(), y.as_str()) {
                        (Some(x), Some(y)) => extprops::normalize(x) == extprops::normalize(y),
                        _ => false,
                    };
                    return match op {
                        Op::Eq => same,
                        Op::Ne => !same,
                        _ => false,
                    };
                }
                match (op, compare(&x, &y)) {
                    (Op::Eq, Some(o)) => o == Ordering::Equal,
                    (Op::Ne, Some(o)) => o != Ordering::Equal,
                    (Op::Ne, None) => x != y,
                    (Op::Eq, None) => x == y,
                    (Op::Gt, Some(o)) => o == Ordering::Greater,
                    (Op::Ge, Some(o)) => o != Ordering::Less,
                    (Op::Lt, Some(o)) => o == Ordering::Less,
                    (Op::Le, Some(o)) => o != Ordering::Greater,
                    (_, None) => false,
                }
            }
            Expr::Call(function, a, b) => {
                let (Some(x), Some(y)) = (self.value(a), self.value(b)) else {
                    return false;
                };
                let (Some(x), Some(y)) = (x.as_str(), y.as_str()) else {
                    return false;
                };
                let (x, y) = (x.to_lowercase(), y.to_lowercase());
                match function.as_str() {
                    "contains" => x.contains(&y),
                    "startswith" => x.starts_with(&y),
                    _ => x.ends_with(&y),
                }
            }
            Expr::Lambda {
                collection,
                var,
                all,
                body,
            } => {
                let is_extended =
                    collection.len() == 1 && collection[0].eq_ignore_ascii_case(EXTENDED);
                let owned;
                let elements: &[Value] = if is_extended {
                    self.subject.extended
                } else {
                    owned = self.resolve(collection);
                    match &owned {
                        Some(Value::Array(a)) => a,
                        _ => &[],
                    }
                };
                let test = |e: &Value| {
                    Scope {
                        subject: self.subject,
                        var: Some((var.as_str(), e, is_extended)),
                    }
                    .eval(body)
                };
                if *all {
                    elements.iter().all(test)
                } else {
                    elements.iter().any(test)
                }
            }
        }
    }
}

/// Compare two JSON values the way the filter means: date-times as instants, numbers as
/// numbers, strings without regard to case.
pub(crate) fn compare(x: &Value, y: &Value) -> Option<Ordering> {
    match (x, y) {
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Value::String(a), Value::String(b)) => {
            let looks_like_time = |s: &str| s.len() >= 10 && s.as_bytes().get(4) == Some(&b'-');
            if looks_like_time(a) && looks_like_time(b) {
                if let (Some(p), Some(q)) = (tz::parse_instant(a), tz::parse_instant(b)) {
                    return Some(p.cmp(&q));
                }
            }
            Some(a.to_lowercase().cmp(&b.to_lowercase()))
        }
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        _ => None,
    }
}

/// Evaluate a filter against a subject.
pub(crate) fn matches(expr: &Expr, subject: &Subject<'_>) -> bool {
    Scope { subject, var: None }.eval(expr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_documented_extended_property_filter_works() {
        let f = parse("singleValueExtendedProperties/Any(ep: ep/id eq 'String {66F5A359-4659-4830-9070-00047EC6AC6E} Name Color' and ep/value eq 'Green')").unwrap();
        let item = json!({"subject": "x"});
        let props = vec![
            json!({"id": "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name Color", "value": "green"}),
        ];
        assert!(matches(
            &f,
            &Subject {
                item: &item,
                extended: &props,
                is_extended_property: false
            }
        ));
        let other = vec![
            json!({"id": "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name color", "value": "green"}),
        ];
        assert!(!matches(
            &f,
            &Subject {
                item: &item,
                extended: &other,
                is_extended_property: false
            }
        ));
    }

    #[test]
    fn comparisons_paths_and_functions() {
        let item = json!({"subject": "Budget review", "start": {"dateTime": "2025-01-02T10:00:00.0000000"}, "isAllDay": false});
        let s = Subject {
            item: &item,
            extended: &[],
            is_extended_property: false,
        };
        for (text, want) in [
            ("subject eq 'budget review'", true),
            ("startswith(subject,'Budget') and not isAllDay", true),
            ("start/dateTime ge '2025-01-02T09:00:00Z'", true),
            ("start/dateTime lt 2025-01-02T09:00:00Z", false),
            ("contains(subject,'x') or subject ne 'Budget review'", false),
        ] {
            assert_eq!(matches(&parse(text).unwrap(), &s), want, "{text}");
        }
        assert!(parse("subject eq").is_err());
        assert!(parse("subject eq 'open").is_err());
    }
}
