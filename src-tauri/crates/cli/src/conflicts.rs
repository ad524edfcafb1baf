//! `onbehalf conflicts` and `resolve`: what waits for the user's decision, what merges
//! overwrote, keeping one side's values, and dismissing a notice.

use std::fmt::Write;

use clap::{Args, Subcommand, ValueEnum};
use onbehalf_service::{
    field_name, ConflictView, ConflictsView, Onbehalf, OverwriteView, Resolved, ServiceError, When,
    Winner,
};

use crate::exit::Exit;
use crate::print_json;

#[derive(Debug, Args)]
pub struct ConflictsArgs {
    #[arg(long)]
    pub json: bool,
    #[command(subcommand)]
    pub action: Option<ConflictsAction>,
}

#[derive(Debug, Subcommand)]
pub enum ConflictsAction {
    /// Dismiss a notice of what a merge overwrote (its number from `onbehalf conflicts`).
    Dismiss { id: i64 },
}

/// The side whose values to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Side {
    Outlook,
    Crm,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    /// The item's id (from `onbehalf conflicts` or `onbehalf items`).
    pub item: String,
    /// Keep Outlook's values (the CRM event takes them) or the CRM's (an appointment in
    /// Outlook takes them; a meeting is never changed).
    #[arg(long, value_enum)]
    pub keep: Side,
    /// The owner's address (default: your own calendar).
    #[arg(long, value_name = "OWNER")]
    pub calendar: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub async fn conflicts(app: &Onbehalf, args: &ConflictsArgs) -> Result<Exit, ServiceError> {
    if let Some(ConflictsAction::Dismiss { id }) = args.action {
        app.dismiss_overwrite(id).await?;
        if !args.json {
            println!("Dismissed.");
        }
        return Ok(Exit::Ok);
    }
    let view = app.conflicts().await?;
    match args.json {
        true => print_json(&view),
        false => print!("{}", render(&view)),
    }
    Ok(Exit::Ok)
}

pub async fn resolve(app: &Onbehalf, args: &ResolveArgs) -> Result<Exit, ServiceError> {
    let keep = match args.keep {
        Side::Outlook => Winner::Exchange,
        Side::Crm => Winner::Crm,
    };
    let resolved = app
        .resolve_conflict(args.calendar.as_deref(), &args.item, keep)
        .await?;
    match args.json {
        true => print_json(&resolved),
        false => print!("{}", render_resolved(&resolved)),
    }
    Ok(Exit::Ok)
}

fn when(w: &When) -> String {
    match w.all_day {
        true if w.start == w.end => format!("{} (all day)", w.start),
        true => format!("{} – {} (all day)", w.start, w.end),
        false => w.start.clone(),
    }
}

fn render(view: &ConflictsView) -> String {
    let mut out = String::new();
    match view.conflicts.len() {
        0 => out.push_str("No conflicts.\n"),
        n => {
            let _ = writeln!(
                out,
                "{n} conflict{}: choose the side to keep with `onbehalf resolve ITEM --keep \
                 outlook|crm`.",
                if n == 1 { "" } else { "s" }
            );
        }
    }
    for c in &view.conflicts {
        out.push('\n');
        render_conflict(&mut out, c);
    }
    if !view.overwritten.is_empty() {
        let _ = writeln!(
            out,
            "\nChanged on both sides and decided by the winner (dismiss with `onbehalf \
             conflicts dismiss N`):"
        );
        for o in &view.overwritten {
            render_overwrite(&mut out, o);
        }
    }
    out
}

fn render_conflict(out: &mut String, c: &ConflictView) {
    let meeting = if c.meeting { "  [meeting]" } else { "" };
    let _ = writeln!(out, "{}  {}{meeting}", when(&c.when), c.subject);
    let _ = writeln!(out, "  id        {}", c.item);
    let _ = writeln!(out, "  calendar  {} ({})", c.calendar, c.owner_name);
    for f in &c.fields {
        let _ = writeln!(out, "  {:<9} Outlook: {}", field_name(f.field), f.outlook);
        let _ = writeln!(out, "  {:<9} CRM:     {}", "", f.crm);
    }
    for (side, choice) in [("Outlook", &c.keep_outlook), ("the CRM", &c.keep_crm)] {
        if let (false, Some(reason)) = (choice.allowed, &choice.reason) {
            let _ = writeln!(out, "  Cannot keep {side}'s values: {reason}");
        }
    }
}

fn render_overwrite(out: &mut String, o: &OverwriteView) {
    let _ = writeln!(
        out,
        "  [{}] {}  {} ({})",
        o.id,
        o.decided_at.to_rfc3339(),
        o.subject,
        o.calendar
    );
    for f in &o.fields {
        let (kept, lost) = match f.winner {
            Winner::Exchange => ("Outlook", "the CRM"),
            Winner::Crm => ("the CRM", "Outlook"),
        };
        let _ = writeln!(
            out,
            "      {}: {kept}'s \"{}\" kept; {lost}'s \"{}\" overwritten",
            field_name(f.field),
            f.kept,
            f.overwritten
        );
    }
}

fn render_resolved(r: &Resolved) -> String {
    let names: Vec<&str> = r.fields.iter().map(|f| field_name(f.field)).collect();
    let done = match r.kept {
        Winner::Exchange => "Kept Outlook's values: the CRM event now holds them",
        Winner::Crm => "Kept the CRM's values: the item in Outlook now holds them",
    };
    match names.is_empty() {
        true => "Resolved: both sides already held the same values.\n".to_string(),
        false => format!("{done} ({}).\n", names.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use onbehalf_service::{Choice, Field, FieldValues, Overwritten};

    use super::*;

    fn view() -> ConflictsView {
        ConflictsView {
            conflicts: vec![ConflictView {
                item: "AAMk1".into(),
                calendar: "olivia.grant@contoso.com".into(),
                owner_name: "Olivia Grant".into(),
                subject: "Fabrikam renewal review".into(),
                when: When {
                    start: "2026-03-03T15:00:00+00:00".into(),
                    end: "2026-03-03T16:00:00+00:00".into(),
                    all_day: false,
                },
                meeting: true,
                detected_at: Utc.with_ymd_and_hms(2026, 3, 2, 14, 0, 0).unwrap(),
                fields: vec![FieldValues {
                    field: Field::Location,
                    outlook: "Board room".into(),
                    crm: "Fabrikam HQ".into(),
                }],
                keep_outlook: Choice {
                    allowed: true,
                    reason: None,
                },
                keep_crm: Choice {
                    allowed: false,
                    reason: Some("Onbehalf never changes a meeting in Outlook.".into()),
                },
            }],
            overwritten: vec![OverwriteView {
                id: 3,
                item: "AAMk2".into(),
                calendar: "olivia.grant@contoso.com".into(),
                subject: "Quarterly planning (moved to Teams)".into(),
                when: When {
                    start: "2026-03-04".into(),
                    end: "2026-03-04".into(),
                    all_day: true,
                },
                decided_at: Utc.with_ymd_and_hms(2026, 3, 2, 13, 0, 0).unwrap(),
                fields: vec![Overwritten {
                    field: Field::Subject,
                    winner: Winner::Exchange,
                    kept: "Quarterly planning (moved to Teams)".into(),
                    overwritten: "Quarterly planning with Fabrikam".into(),
                }],
            }],
        }
    }

    #[test]
    fn a_conflict_shows_both_values_and_why_a_side_cannot_be_kept() {
        let text = render(&view());
        assert!(
            text.starts_with("1 conflict: choose the side to keep"),
            "{text}"
        );
        assert!(
            text.contains("Fabrikam renewal review  [meeting]"),
            "{text}"
        );
        assert!(text.contains("  id        AAMk1\n"), "{text}");
        assert!(text.contains("  location  Outlook: Board room\n"), "{text}");
        assert!(
            text.contains("            CRM:     Fabrikam HQ\n"),
            "{text}"
        );
        assert!(
            text.contains("Cannot keep the CRM's values: Onbehalf never changes a meeting"),
            "{text}"
        );
        assert!(!text.contains("Cannot keep Outlook's"), "{text}");
    }

    #[test]
    fn what_a_merge_overwrote_names_both_sides_and_its_number() {
        let text = render(&view());
        assert!(
            text.contains("  [3] 2026-03-02T13:00:00+00:00  Quarterly planning"),
            "{text}"
        );
        assert!(
            text.contains(
                "subject: Outlook's \"Quarterly planning (moved to Teams)\" kept; the CRM's \
                 \"Quarterly planning with Fabrikam\" overwritten"
            ),
            "{text}"
        );
    }

    #[test]
    fn nothing_waiting_says_so() {
        let empty = ConflictsView {
            conflicts: Vec::new(),
            overwritten: Vec::new(),
        };
        assert_eq!(render(&empty), "No conflicts.\n");
    }

    #[test]
    fn a_resolution_says_which_side_now_holds_what() {
        let resolved = Resolved {
            kept: Winner::Exchange,
            fields: vec![
                FieldValues {
                    field: Field::Location,
                    outlook: "Board room".into(),
                    crm: "Fabrikam HQ".into(),
                },
                FieldValues {
                    field: Field::Time,
                    outlook: "a".into(),
                    crm: "b".into(),
                },
            ],
        };
        assert_eq!(
            render_resolved(&resolved),
            "Kept Outlook's values: the CRM event now holds them (location, time).\n"
        );
    }
}
