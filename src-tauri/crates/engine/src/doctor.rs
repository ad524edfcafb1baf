//! Prerequisite checks: what must hold for Onbehalf to work on each calendar, and for each
//! failed check what to change and who can change it. Pure: built from a discovery.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::actions::Action;
use crate::permission::{ItemScope, ReadLevel};
use crate::view::{CalendarEntry, CalendarKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Pass,
    /// Works, with limits the user should know.
    Warn,
    Fail,
    /// Could not be checked (and why is in `detail`).
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Check {
    /// Stable id, e.g. `owner_runs_onbehalf`.
    pub id: String,
    /// Whom or what it is about: "You", or the owner and calendar.
    pub subject: String,
    pub title: String,
    pub status: CheckStatus,
    pub detail: String,
    /// What to change, when it did not pass.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub fix: Option<String>,
    /// Who can change it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub who_can_fix: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DoctorReport {
    pub checks: Vec<Check>,
}

impl DoctorReport {
    pub fn has_failures(&self) -> bool {
        self.checks.iter().any(|c| c.status == CheckStatus::Fail)
    }
}

/// The outcome of publishing the user's own status record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnPublication {
    Published,
    Failed(String),
}

/// Run every check over a discovery.
pub fn doctor(calendars: &[CalendarEntry], own: &OwnPublication) -> DoctorReport {
    let mut checks = vec![own_check(own)];
    let mut seen_owners = BTreeSet::new();
    for cal in calendars {
        match cal.kind {
            CalendarKind::Own => continue,
            CalendarKind::OwnerPrimary
            | CalendarKind::SharedSecondary
            | CalendarKind::AddedByAddress => {}
        }
        if let Some(problem) = &cal.problem {
            checks.push(Check {
                id: "calendar_reachable".into(),
                subject: subject(cal),
                title: "You can open this calendar".into(),
                status: CheckStatus::Fail,
                detail: problem.clone(),
                fix: Some(format!(
                    "Ask {} to share their calendar with you (Editor for every Onbehalf \
                     feature), or check the address.",
                    cal.owner_name
                )),
                who_can_fix: Some(cal.owner_name.clone()),
            });
            continue;
        }
        if seen_owners.insert(cal.owner.clone()) {
            checks.extend(owner_checks(cal));
        }
        checks.push(permission_check(cal));
    }
    DoctorReport { checks }
}

fn subject(cal: &CalendarEntry) -> String {
    match cal.name == cal.owner_name {
        true => format!("{} <{}>", cal.owner_name, cal.owner),
        false => format!("{} <{}>, \"{}\"", cal.owner_name, cal.owner, cal.name),
    }
}

fn own_check(own: &OwnPublication) -> Check {
    let (status, detail, fix, who) = match own {
        OwnPublication::Published => (
            CheckStatus::Pass,
            "Your Onbehalf publishes its status on your calendar, so your delegates see your \
             exact permissions."
                .to_string(),
            None,
            None,
        ),
        OwnPublication::Failed(e) => (
            CheckStatus::Fail,
            format!("Your status could not be published on your calendar: {e}"),
            Some(
                "Sign in again so Onbehalf may write to your own calendar; if it keeps failing \
                 your Microsoft 365 admin must consent to Onbehalf's calendar permissions."
                    .to_string(),
            ),
            Some("You, or your Microsoft 365 admin".to_string()),
        ),
    };
    Check {
        id: "own_status_published".into(),
        subject: "You".into(),
        title: "Your Onbehalf publishes its status".into(),
        status,
        detail,
        fix,
        who_can_fix: who,
    }
}

fn owner_checks(cal: &CalendarEntry) -> Vec<Check> {
    let owner = &cal.owner_name;
    let subject = format!("{owner} <{}>", cal.owner);
    match &cal.owner_onbehalf {
        Some(o) => vec![
            Check {
                id: "owner_runs_onbehalf".into(),
                subject: subject.clone(),
                title: format!("{owner} runs Onbehalf"),
                status: CheckStatus::Pass,
                detail: format!(
                    "{owner}'s Onbehalf {} published its status; their sync is {}.",
                    o.app_version,
                    if o.sync_on { "on" } else { "off" }
                ),
                fix: None,
                who_can_fix: None,
            },
            match o.same_tenant {
                true => Check {
                    id: "same_tenant".into(),
                    subject,
                    title: "Same Microsoft 365 organisation".into(),
                    status: CheckStatus::Pass,
                    detail: format!("You and {owner} are in the same Microsoft 365 tenant."),
                    fix: None,
                    who_can_fix: None,
                },
                false => Check {
                    id: "same_tenant".into(),
                    subject,
                    title: "Same Microsoft 365 organisation".into(),
                    status: CheckStatus::Fail,
                    detail: format!(
                        "{owner} signed in to a different Microsoft 365 tenant than you, so \
                         Onbehalf cannot act on their behalf."
                    ),
                    fix: Some(format!(
                        "Both of you must sign in with accounts of the same organisation; \
                         {owner} may have signed in with another account."
                    )),
                    who_can_fix: Some(format!("{owner}, or your Microsoft 365 admin")),
                },
            },
        ],
        None => vec![
            Check {
                id: "owner_runs_onbehalf".into(),
                subject: subject.clone(),
                title: format!("{owner} runs Onbehalf"),
                status: CheckStatus::Fail,
                detail: format!(
                    "No Onbehalf status was found on {owner}'s calendar, so their exact \
                     permission cannot be read and items cannot be shared to the CRM on their \
                     behalf."
                ),
                fix: Some(format!(
                    "{owner} installs Onbehalf and signs in once; it publishes its status then."
                )),
                who_can_fix: Some(owner.clone()),
            },
            Check {
                id: "same_tenant".into(),
                subject,
                title: "Same Microsoft 365 organisation".into(),
                status: CheckStatus::Unknown,
                detail: format!(
                    "Cannot be checked until {owner} runs Onbehalf; their calendar is reachable, \
                     so they are very likely in your organisation."
                ),
                fix: None,
                who_can_fix: None,
            },
        ],
    }
}

fn permission_check(cal: &CalendarEntry) -> Check {
    let owner = &cal.owner_name;
    let r = &cal.permission.rights;
    let full = r.read == ReadLevel::Full && r.create && r.edit == ItemScope::All;
    let refused: Vec<String> = cal
        .actions
        .iter()
        .filter(|(a, v)| !v.allowed && **a != Action::ViewPrivate)
        .map(|(a, v)| format!("{}: {}", a.label(), v.reason.clone().unwrap_or_default()))
        .collect();
    let (status, detail, fix) = match (full, refused.is_empty()) {
        (true, _) => (
            CheckStatus::Pass,
            format!(
                "You have {} ({}): every Onbehalf action is supported.",
                cal.permission.outlook, cal.permission.graph
            ),
            None,
        ),
        (false, true) => (
            CheckStatus::Warn,
            format!(
                "You have {} ({}): Onbehalf works, limited to your own items. Editor is the \
                 fully supported level.",
                cal.permission.outlook, cal.permission.graph
            ),
            Some(format!(
                "Ask {owner} to give you Editor on this calendar in Outlook (Calendar > Sharing \
                 and permissions) to manage every item."
            )),
        ),
        (false, false) => (
            CheckStatus::Fail,
            format!(
                "You have {} ({}). Not allowed: {}",
                cal.permission.outlook,
                cal.permission.graph,
                refused.join(" ")
            ),
            Some(format!(
                "Ask {owner} to give you Editor on this calendar in Outlook (Calendar > Sharing \
                 and permissions)."
            )),
        ),
    };
    let who = fix.as_ref().map(|_| owner.clone());
    Check {
        id: "permission_enough".into(),
        subject: subject(cal),
        title: "Permission enough for Onbehalf".into(),
        status,
        detail,
        fix,
        who_can_fix: who,
    }
}
