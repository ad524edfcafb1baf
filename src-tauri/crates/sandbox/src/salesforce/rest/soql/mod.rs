//! The SOQL subset a calendar-sync client and a record picker need: parsed (`parser`),
//! resolved against the objects' fields and typed (`plan`), and run over an org's records
//! (`eval`). Errors carry where in the query they were found, written as Salesforce writes
//! them ("ERROR at Row:1:Column:12").

mod eval;
mod lexer;
pub(crate) mod parser;
mod plan;

use super::error::SfError;
pub(crate) use eval::{matches, render, sort};
pub(crate) use plan::{compile, compile_condition, Filter, Plan};

/// A query error and where it is.
#[derive(Debug, Clone)]
pub(crate) struct SoqlError {
    pub code: &'static str,
    /// Character offset in the query.
    pub at: usize,
    pub message: String,
}

impl SoqlError {
    pub fn malformed(at: usize, message: String) -> SoqlError {
        SoqlError {
            code: "MALFORMED_QUERY",
            at,
            message,
        }
    }

    pub fn invalid_field(at: usize, message: String) -> SoqlError {
        SoqlError {
            code: "INVALID_FIELD",
            at,
            message,
        }
    }

    /// The error as the REST API answers it, quoting the query's line with a caret.
    pub fn into_sf(self, query: &str) -> SfError {
        let before: String = query.chars().take(self.at).collect();
        let row = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        let line = query[line_start..].lines().next().unwrap_or_default();
        let caret = format!("{}^", " ".repeat(column - 1));
        SfError::bad_request(
            self.code,
            format!(
                "\n{line}\n{caret}\nERROR at Row:{row}:Column:{column}\n{}",
                self.message
            ),
        )
    }
}
