//! The SOQL subset, parsed:
//!
//! ```text
//! SELECT (COUNT() | path {, path}) FROM object
//!   [WHERE condition] [ORDER BY path [ASC|DESC] [NULLS FIRST|LAST] {, ...}]
//!   [LIMIT n] [OFFSET n]
//! condition := term {AND term} | term {OR term}     (AND and OR mix only in parentheses)
//! term      := NOT term | ( condition ) | path op value | path [NOT] IN (value {, value})
//!            | path LIKE 'pattern'
//! op        := = | != | <> | < | > | <= | >=
//! value     := 'text' | number | TRUE | FALSE | NULL | YYYY-MM-DD | ISO date-time
//!            | date literal (TODAY, LAST_N_DAYS:n, ...)
//! ```
//!
//! Anything else (subqueries, aggregates but `COUNT()`, GROUP BY, TYPEOF, FOR VIEW, bind
//! variables, ...) is `MALFORMED_QUERY`.

use super::lexer::{Tok, Token};
use super::SoqlError;

#[derive(Debug, Clone)]
pub(crate) struct Path {
    pub parts: Vec<String>,
    pub at: usize,
}

impl Path {
    pub fn text(&self) -> String {
        self.parts.join(".")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Str(String),
    /// A number, date or date-time as written.
    Bare(String),
    Bool(bool),
    Null,
    /// `TODAY`, `LAST_N_DAYS:30`, ...
    Relative(String, Option<i64>),
}

#[derive(Debug, Clone)]
pub(crate) struct Value {
    pub literal: Literal,
    pub at: usize,
}

#[derive(Debug, Clone)]
pub(crate) enum Cond {
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    Compare {
        path: Path,
        op: Op,
        value: Value,
    },
    In {
        path: Path,
        negated: bool,
        values: Vec<Value>,
    },
    Like {
        path: Path,
        pattern: Value,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub path: Path,
    pub descending: bool,
    pub nulls_last: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum Select {
    Count,
    Fields(Vec<Path>),
}

#[derive(Debug, Clone)]
pub(crate) struct Query {
    pub select: Select,
    pub from: String,
    pub from_at: usize,
    pub filter: Option<Cond>,
    pub order: Vec<Order>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// The date literals understood; those ending in `_N_...` take `:n`.
pub(crate) const DATE_LITERALS: &[&str] = &[
    "YESTERDAY",
    "TODAY",
    "TOMORROW",
    "LAST_WEEK",
    "THIS_WEEK",
    "NEXT_WEEK",
    "LAST_MONTH",
    "THIS_MONTH",
    "NEXT_MONTH",
    "LAST_90_DAYS",
    "NEXT_90_DAYS",
    "THIS_YEAR",
    "LAST_YEAR",
    "NEXT_YEAR",
    "LAST_N_DAYS",
    "NEXT_N_DAYS",
    "N_DAYS_AGO",
    "LAST_N_WEEKS",
    "NEXT_N_WEEKS",
];

struct Parser {
    tokens: Vec<Token>,
    i: usize,
    end: usize,
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Name(n) => n.clone(),
        Tok::Str(s) => format!("'{s}'"),
        Tok::Bare(b) => b.clone(),
        Tok::Op(o) => (*o).to_string(),
        Tok::Comma => ",".into(),
        Tok::Open => "(".into(),
        Tok::Close => ")".into(),
        Tok::Dot => ".".into(),
        Tok::Colon => ":".into(),
    }
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.i)
    }

    fn at(&self) -> usize {
        self.peek().map_or(self.end, |t| t.at)
    }

    fn unexpected(&self) -> SoqlError {
        match self.peek() {
            Some(t) => {
                SoqlError::malformed(t.at, format!("unexpected token: '{}'", describe(&t.tok)))
            }
            None => SoqlError::malformed(self.end, "unexpected token: <EOF>".to_string()),
        }
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token { tok: Tok::Name(n), .. }) if n.eq_ignore_ascii_case(word))
    }

    fn eat_keyword(&mut self, word: &str) -> bool {
        let yes = self.keyword(word);
        if yes {
            self.i += 1;
        }
        yes
    }

    fn expect_keyword(&mut self, word: &str) -> Result<(), SoqlError> {
        if self.eat_keyword(word) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        let yes = self.peek().is_some_and(|t| &t.tok == tok);
        if yes {
            self.i += 1;
        }
        yes
    }

    fn expect(&mut self, tok: &Tok) -> Result<(), SoqlError> {
        if self.eat(tok) {
            Ok(())
        } else {
            Err(self.unexpected())
        }
    }

    fn name(&mut self) -> Result<(String, usize), SoqlError> {
        match self.peek() {
            Some(Token {
                tok: Tok::Name(n),
                at,
            }) => {
                let out = (n.clone(), *at);
                self.i += 1;
                Ok(out)
            }
            _ => Err(self.unexpected()),
        }
    }

    fn path(&mut self) -> Result<Path, SoqlError> {
        let (first, at) = self.name()?;
        let mut parts = vec![first];
        while self.eat(&Tok::Dot) {
            parts.push(self.name()?.0);
        }
        Ok(Path { parts, at })
    }

    fn query(&mut self) -> Result<Query, SoqlError> {
        self.expect_keyword("SELECT")?;
        let select = if self.keyword("COUNT") {
            self.i += 1;
            self.expect(&Tok::Open)?;
            self.expect(&Tok::Close)?;
            Select::Count
        } else {
            let mut fields = vec![self.path()?];
            while self.eat(&Tok::Comma) {
                fields.push(self.path()?);
            }
            Select::Fields(fields)
        };
        self.expect_keyword("FROM")?;
        let (from, from_at) = self.name()?;
        let filter = if self.eat_keyword("WHERE") {
            Some(self.condition()?)
        } else {
            None
        };
        let mut order = Vec::new();
        if self.eat_keyword("ORDER") {
            self.expect_keyword("BY")?;
            loop {
                order.push(self.order()?);
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
        }
        let limit = if self.eat_keyword("LIMIT") {
            Some(self.count()?)
        } else {
            None
        };
        let offset = if self.eat_keyword("OFFSET") {
            Some(self.count()?)
        } else {
            None
        };
        if self.peek().is_some() {
            return Err(self.unexpected());
        }
        Ok(Query {
            select,
            from,
            from_at,
            filter,
            order,
            limit,
            offset,
        })
    }

    fn count(&mut self) -> Result<usize, SoqlError> {
        match self.peek() {
            Some(Token {
                tok: Tok::Bare(b), ..
            }) => match b.parse::<usize>() {
                Ok(n) => {
                    self.i += 1;
                    Ok(n)
                }
                Err(_) => Err(self.unexpected()),
            },
            _ => Err(self.unexpected()),
        }
    }

    fn order(&mut self) -> Result<Order, SoqlError> {
        let path = self.path()?;
        let descending = if self.eat_keyword("DESC") {
            true
        } else {
            self.eat_keyword("ASC");
            false
        };
        let nulls_last = if self.eat_keyword("NULLS") {
            if self.eat_keyword("LAST") {
                true
            } else {
                self.expect_keyword("FIRST")?;
                false
            }
        } else {
            false
        };
        Ok(Order {
            path,
            descending,
            nulls_last,
        })
    }

    /// A sequence of terms joined by one kind of connective only.
    fn condition(&mut self) -> Result<Cond, SoqlError> {
        let first = self.term()?;
        let joiner = if self.keyword("AND") {
            "AND"
        } else if self.keyword("OR") {
            "OR"
        } else {
            return Ok(first);
        };
        let mut terms = vec![first];
        while self.eat_keyword(joiner) {
            terms.push(self.term()?);
        }
        let other = if joiner == "AND" { "OR" } else { "AND" };
        if self.keyword(other) {
            return Err(self.unexpected());
        }
        Ok(if joiner == "AND" {
            Cond::And(terms)
        } else {
            Cond::Or(terms)
        })
    }

    fn term(&mut self) -> Result<Cond, SoqlError> {
        if self.eat_keyword("NOT") {
            return Ok(Cond::Not(Box::new(self.term()?)));
        }
        if self.eat(&Tok::Open) {
            let inner = self.condition()?;
            self.expect(&Tok::Close)?;
            return Ok(inner);
        }
        let path = self.path()?;
        if self.eat_keyword("LIKE") {
            let pattern = self.value()?;
            return Ok(Cond::Like { path, pattern });
        }
        let negated = self.eat_keyword("NOT");
        if self.eat_keyword("IN") {
            self.expect(&Tok::Open)?;
            if self.keyword("SELECT") {
                // Semi-joins are outside the subset.
                return Err(self.unexpected());
            }
            let mut values = vec![self.value()?];
            while self.eat(&Tok::Comma) {
                values.push(self.value()?);
            }
            self.expect(&Tok::Close)?;
            return Ok(Cond::In {
                path,
                negated,
                values,
            });
        }
        if negated {
            return Err(self.unexpected());
        }
        let op = match self.peek().map(|t| &t.tok) {
            Some(Tok::Op("=")) => Op::Eq,
            Some(Tok::Op("!=")) => Op::Ne,
            Some(Tok::Op("<")) => Op::Lt,
            Some(Tok::Op(">")) => Op::Gt,
            Some(Tok::Op("<=")) => Op::Le,
            Some(Tok::Op(">=")) => Op::Ge,
            _ => return Err(self.unexpected()),
        };
        self.i += 1;
        let value = self.value()?;
        Ok(Cond::Compare { path, op, value })
    }

    fn value(&mut self) -> Result<Value, SoqlError> {
        let at = self.at();
        let token = self.peek().cloned().ok_or_else(|| self.unexpected())?;
        let literal = match token.tok {
            Tok::Str(s) => Literal::Str(s),
            Tok::Bare(b) => Literal::Bare(b),
            Tok::Name(n) if n.eq_ignore_ascii_case("TRUE") => Literal::Bool(true),
            Tok::Name(n) if n.eq_ignore_ascii_case("FALSE") => Literal::Bool(false),
            Tok::Name(n) if n.eq_ignore_ascii_case("NULL") => Literal::Null,
            Tok::Name(n) => {
                let upper = n.to_ascii_uppercase();
                if !DATE_LITERALS.contains(&upper.as_str()) {
                    return Err(self.unexpected());
                }
                self.i += 1;
                let takes_n = upper.contains("_N_");
                let n = if takes_n {
                    self.expect(&Tok::Colon)?;
                    Some(i64::try_from(self.count()?).unwrap_or(i64::MAX))
                } else {
                    None
                };
                return Ok(Value {
                    literal: Literal::Relative(upper, n),
                    at,
                });
            }
            Tok::Colon => {
                return Err(SoqlError::malformed(
                    at,
                    "Bind variables are only allowed in Apex code".to_string(),
                ))
            }
            _ => return Err(self.unexpected()),
        };
        self.i += 1;
        Ok(Value { literal, at })
    }
}

/// Parse a query of the subset.
pub(crate) fn parse(query: &str) -> Result<Query, SoqlError> {
    let tokens = super::lexer::lex(query)?;
    let mut parser = Parser {
        tokens,
        i: 0,
        end: query.chars().count(),
    };
    parser.query()
}

/// Parse a bare condition (the `where` of a parameterized search's object).
pub(crate) fn parse_condition(text: &str) -> Result<Cond, SoqlError> {
    let tokens = super::lexer::lex(text)?;
    let mut parser = Parser {
        tokens,
        i: 0,
        end: text.chars().count(),
    };
    let cond = parser.condition()?;
    if parser.peek().is_some() {
        return Err(parser.unexpected());
    }
    Ok(cond)
}
