//! `onbehalf policy`: every effective setting, its value, where it came from, whether it is
//! locked; the keys ignored; the user's profile and what it grants.

use std::fmt::Write;

use onbehalf_engine::policy::ProfileSource;
use onbehalf_service::policy::PolicyReport;
use onbehalf_service::{Onbehalf, ServiceError};

use crate::exit::Exit;
use crate::print_json;

pub async fn policy(app: &Onbehalf, json: bool) -> Result<Exit, ServiceError> {
    let report = app.policy_report().await?;
    if json {
        print_json(&report);
    } else {
        print!("{}", render(&report));
    }
    Ok(Exit::Ok)
}

fn render(r: &PolicyReport) -> String {
    let mut out = String::new();
    match r.sources.is_empty() {
        true => out.push_str("No machine policy on this computer.\n"),
        false => {
            out.push_str("Machine policy read from:\n");
            for s in &r.sources {
                let _ = writeln!(out, "  {s}");
            }
        }
    }
    out.push('\n');
    let width = r
        .settings
        .iter()
        .map(|s| s.key.name().len())
        .max()
        .unwrap_or(0);
    for s in &r.settings {
        let value = s
            .value
            .as_ref()
            .map_or("(not set)".to_string(), |v| v.show());
        let lock = if s.locked { "locked" } else { "" };
        let _ = writeln!(
            out,
            "{:width$}  {:6}  {}  [{}]",
            s.key.name(),
            lock,
            value,
            s.origin.describe(),
        );
        if let Some(note) = &s.note {
            let _ = writeln!(out, "{:width$}          {note}", "");
        }
    }
    if !r.ignored.is_empty() {
        out.push_str("\nIgnored (not known to this version of Onbehalf):\n");
        for n in &r.ignored {
            let _ = writeln!(out, "  {} in {}: {}", n.key, n.place, n.note);
        }
    }
    out.push('\n');
    match &r.profile {
        None => out.push_str("Not signed in: what policy grants everyone:\n"),
        Some(p) => {
            let how = match (&p.name, &p.source) {
                (_, ProfileSource::Unknown { reason }) => format!("not known yet ({reason})"),
                (Some(n), ProfileSource::User) => format!("\"{n}\", given to you by name"),
                (Some(n), ProfileSource::Group { group }) => {
                    format!("\"{n}\", given to the group {group}")
                }
                (Some(n), ProfileSource::Crm { permission_set }) => {
                    format!("\"{n}\", from the CRM permission set {permission_set}")
                }
                _ => "none assigned: what policy grants everyone".to_string(),
            };
            let _ = writeln!(out, "Your profile: {how}");
        }
    }
    for f in &r.features {
        let mark = if f.granted { "yes" } else { "no " };
        let _ = write!(out, "  {mark}  {}", f.feature);
        if !f.detail.is_empty() {
            let _ = write!(out, ": {}", f.detail);
        }
        out.push('\n');
        if let Some(why) = f.reason.as_ref().filter(|_| !f.granted) {
            let _ = writeln!(out, "       {why}");
        }
    }
    if !r.watched_owners.is_empty() {
        let _ = writeln!(
            out,
            "\nOwners your administrator has you watch: {}",
            r.watched_owners.join(", ")
        );
    }
    out
}
