//! `onbehalf problems`: what stands in the way of the sync, worded for a person, and
//! dismissing one (not shown or told again until something about it changes).

use std::fmt::Write;

use clap::{Args, Subcommand};
use onbehalf_service::{Onbehalf, ProblemEntry, ServiceError};

use crate::exit::Exit;
use crate::print_json;

#[derive(Debug, Args)]
pub struct ProblemsArgs {
    #[arg(long)]
    pub json: bool,
    #[command(subcommand)]
    pub action: Option<ProblemsAction>,
}

#[derive(Debug, Subcommand)]
pub enum ProblemsAction {
    /// Dismiss a problem (its id from `onbehalf problems`).
    Dismiss { id: String },
}

pub async fn problems(app: &Onbehalf, args: &ProblemsArgs) -> Result<Exit, ServiceError> {
    if let Some(ProblemsAction::Dismiss { id }) = &args.action {
        app.dismiss_problem(id).await?;
        if !args.json {
            println!("Dismissed. It is not shown again unless something about it changes.");
        }
        return Ok(Exit::Ok);
    }
    let list = app.problems().await?;
    match args.json {
        true => print_json(&list),
        false => print!("{}", render(&list)),
    }
    Ok(Exit::Ok)
}

fn render(list: &[ProblemEntry]) -> String {
    let mut out = String::new();
    if list.is_empty() {
        out.push_str("No problems: everything shared is in the CRM or on its way.\n");
        return out;
    }
    for p in list {
        let what = match &p.item {
            Some(i) if i.when.is_empty() => {
                format!("\"{}\" on {}'s calendar", i.subject, i.owner_name)
            }
            Some(i) => format!(
                "\"{}\" ({}) on {}'s calendar",
                i.subject, i.when, i.owner_name
            ),
            None => match &p.about {
                Some(owner) => format!("{owner}'s calendar"),
                None => "Your account".to_string(),
            },
        };
        let _ = writeln!(out, "{}  {what}", p.id);
        let _ = writeln!(out, "    {}", p.message);
        let _ = writeln!(out, "    who can fix it: {}", p.who_can_fix);
        let _ = writeln!(
            out,
            "    first seen {}, last seen {}",
            p.first_seen.format("%Y-%m-%d %H:%M UTC"),
            p.last_seen.format("%Y-%m-%d %H:%M UTC")
        );
    }
    let _ = writeln!(out, "Dismiss one with `onbehalf problems dismiss ID`.");
    out
}
