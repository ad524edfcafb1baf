//! Readable text for the terminal.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use onbehalf_engine::actions::{Applies, Verdict};
use onbehalf_engine::discovery::age_minutes;
use onbehalf_engine::doctor::{CheckStatus, DoctorReport};
use onbehalf_engine::view::{CalendarEntry, CalendarKind, OwnerRecord, PermissionSource};
use onbehalf_service::SignOutReport;

/// The outcome of `logout`: signed out either way, and what was left behind, if anything.
pub fn sign_out(report: &SignOutReport) -> String {
    match &report.left_behind {
        None => "Signed out. Your saved sign-in was removed from this computer.\n".to_string(),
        Some(left) => format!("Signed out.\nNote: {left}\n"),
    }
}

pub fn calendars(list: &[CalendarEntry], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    if list.is_empty() {
        out.push_str("No calendars found.\n");
    }
    for c in list {
        let _ = writeln!(out, "{}", heading(c));
        let p = &c.permission;
        let source = match p.source {
            PermissionSource::Own => "your own calendar".to_string(),
            PermissionSource::Published => match p.published_at {
                Some(at) => format!("published {}", ago(age_minutes(at, now))),
                None => "published".to_string(),
            },
            PermissionSource::Inferred => "inferred".to_string(),
            PermissionSource::Stale => match p.checked_at {
                Some(at) => format!("could not check; as of {}", ago(age_minutes(at, now))),
                None => "could not check".to_string(),
            },
            PermissionSource::Unknown => "unknown: could not check".to_string(),
        };
        let _ = writeln!(
            out,
            "  Permission     {} | Outlook on the web: {} | Graph: {} ({source})",
            p.outlook, p.owa, p.graph
        );
        if let Some(note) = &p.note {
            let _ = writeln!(out, "                 {note}");
        }
        if let Some(may_be) = &p.may_be {
            let _ = writeln!(out, "                 It may be {may_be}.");
        }
        let _ = writeln!(
            out,
            "  Private items  {}",
            if c.can_view_private {
                "visible"
            } else {
                "hidden"
            }
        );
        let onbehalf = match (&c.kind, &c.owner_onbehalf) {
            (_, Some(o)) => format!(
                "runs Onbehalf {}, sync {}{}",
                o.app_version,
                if o.sync_on { "on" } else { "off" },
                o.last_run
                    .map(|t| format!(", last run {}", ago(age_minutes(t, now))))
                    .unwrap_or_default()
            ),
            (CalendarKind::Own, None) => "your status could not be published".to_string(),
            (_, None) => owner_record(&c.owner_record).to_string(),
        };
        let _ = writeln!(out, "  Owner          {onbehalf}");
        for (action, v) in &c.actions {
            let _ = writeln!(out, "  {} {:<27}{}", mark(v), action.label(), detail(v));
        }
        if let Some(problem) = &c.problem {
            let _ = writeln!(out, "  Problem        {problem}");
        }
        out.push('\n');
    }
    out
}

fn heading(c: &CalendarEntry) -> String {
    let what = match c.kind {
        CalendarKind::Own => "your calendar",
        CalendarKind::OwnerPrimary => "their main calendar",
        CalendarKind::SharedSecondary => "shared calendar",
        CalendarKind::AddedByAddress => "added by address",
    };
    format!("{} <{}>: \"{}\" ({what})", c.owner_name, c.owner, c.name)
}

fn mark(v: &Verdict) -> &'static str {
    match (v.allowed, v.unknown) {
        (true, _) => "[yes]",
        (false, true) => "[?]  ",
        (false, false) => "[no] ",
    }
}

/// Why an owner's status says nothing, when it does not.
fn owner_record(r: &OwnerRecord) -> &'static str {
    match r {
        OwnerRecord::Mine | OwnerRecord::Found => "runs Onbehalf",
        OwnerRecord::Absent => "does not run Onbehalf",
        OwnerRecord::NewerFormat { .. } => {
            "runs a newer Onbehalf whose status this version cannot read; update Onbehalf"
        }
        OwnerRecord::Unreadable { .. } => "their Onbehalf status cannot be read",
        OwnerRecord::Denied => "Exchange does not let you read their Onbehalf status",
        OwnerRecord::Unchecked { .. } => "their Onbehalf status could not be checked just now",
    }
}

fn detail(v: &Verdict) -> String {
    match (&v.applies, &v.reason) {
        (Some(a), _) => applies(*a).to_string(),
        (None, Some(r)) => r.clone(),
        (None, None) => String::new(),
    }
}

pub fn applies(a: Applies) -> &'static str {
    match a {
        Applies::AllItems => "all items, private ones too",
        Applies::AllExceptPrivate => "all items except private ones",
        Applies::OwnItems => "only items you created",
        Applies::OwnExceptPrivate => "only items you created, except private ones",
        Applies::NewItems => "new items you add",
        Applies::ComposedOnBehalf => "only items you compose on their behalf",
        Applies::FreeBusyOnly => "free/busy only",
        Applies::TitlesAndLocations => "titles and locations only",
    }
}

fn ago(minutes: i64) -> String {
    match minutes {
        0 => "just now".to_string(),
        1 => "1 minute ago".to_string(),
        m if m < 120 => format!("{m} minutes ago"),
        m if m < 48 * 60 => format!("{} hours ago", m / 60),
        m => format!("{} days ago", m / (24 * 60)),
    }
}

pub fn doctor(report: &DoctorReport) -> String {
    let mut out = String::new();
    for c in &report.checks {
        let status = match c.status {
            CheckStatus::Pass => "PASS",
            CheckStatus::Warn => "WARN",
            CheckStatus::Fail => "FAIL",
            CheckStatus::Unknown => "  ? ",
        };
        let _ = writeln!(out, "[{status}] {} — {}", c.subject, c.title);
        let _ = writeln!(out, "       {}", c.detail);
        if let Some(fix) = &c.fix {
            let _ = writeln!(out, "       Fix: {fix}");
        }
        if let Some(who) = &c.who_can_fix {
            let _ = writeln!(out, "       Who can fix it: {who}");
        }
    }
    let failed = report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Fail)
        .count();
    let _ = writeln!(out, "\n{} checks, {failed} failed.", report.checks.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_out_says_what_was_left_behind() {
        let clean = sign_out(&SignOutReport { left_behind: None });
        assert!(clean.starts_with("Signed out."), "{clean}");
        assert!(!clean.contains("Note"), "{clean}");
        let partial = sign_out(&SignOutReport {
            left_behind: Some("The saved sign-in key could not be removed.".into()),
        });
        assert!(partial.starts_with("Signed out.\n"), "{partial}");
        assert!(
            partial.contains("Note: The saved sign-in key could not be removed."),
            "{partial}"
        );
    }
}
