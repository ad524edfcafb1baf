//! Readable text for the terminal.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use onbehalf_engine::actions::{Applies, Verdict};
use onbehalf_engine::discovery::age_minutes;
use onbehalf_engine::doctor::{CheckStatus, DoctorReport};
use onbehalf_engine::view::{CalendarEntry, CalendarKind, PermissionSource};

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
        };
        let _ = writeln!(
            out,
            "  Permission     {} | Outlook on the web: {} | Graph: {} ({source})",
            p.outlook, p.owa, p.graph
        );
        if let Some(note) = &p.note {
            let _ = writeln!(out, "                 {note}");
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
            (_, None) => "does not run Onbehalf".to_string(),
        };
        let _ = writeln!(out, "  Owner          {onbehalf}");
        for (action, v) in &c.actions {
            let _ = writeln!(out, "  {} {:<19}{}", mark(v), action.label(), detail(v));
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
    match v.allowed {
        true => "[yes]",
        false => "[no] ",
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
        Applies::AllItems => "all items",
        Applies::OwnItems => "only items you created",
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
