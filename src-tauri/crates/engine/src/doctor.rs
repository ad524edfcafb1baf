//! Prerequisite checks: what must hold for Onbehalf to work on each calendar, and for each
//! failed check what to change and who can change it. Pure: built from a discovery.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::actions::Action;
use crate::permission::{ItemScope, ReadLevel};
use crate::view::{CalendarEntry, CalendarKind, OwnerOnbehalf, OwnerRecord, PermissionSource};

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
    /// The record on the calendar is current (written now or earlier). `without_key` names
    /// grantees who got no sealed entry because their Onbehalf key could not be read.
    Published { without_key: Vec<String> },
    /// Could not be published; `retryable` when only the network or throttling stood in the way.
    Failed { reason: String, retryable: bool },
}

/// Run every check over a discovery.
pub fn doctor(calendars: &[CalendarEntry], own: &OwnPublication) -> DoctorReport {
    let mut checks = own_checks(own);
    let mut seen_owners = BTreeSet::new();
    for cal in calendars {
        match cal.kind {
            CalendarKind::Own => continue,
            CalendarKind::OwnerPrimary
            | CalendarKind::SharedSecondary
            | CalendarKind::AddedByAddress => {}
        }
        if let Some(problem) = &cal.problem {
            checks.push(reachable_check(cal, problem));
            continue;
        }
        if seen_owners.insert(cal.owner.clone()) {
            checks.extend(owner_checks(cal));
        }
        checks.push(permission_check(cal));
    }
    DoctorReport { checks }
}

fn check(id: &str, subject: String, title: String, status: CheckStatus, detail: String) -> Check {
    Check {
        id: id.into(),
        subject,
        title,
        status,
        detail,
        fix: None,
        who_can_fix: None,
    }
}

impl Check {
    fn fix(mut self, fix: String, who: String) -> Check {
        self.fix = Some(fix);
        self.who_can_fix = Some(who);
        self
    }
}

fn subject(cal: &CalendarEntry) -> String {
    match cal.name == cal.owner_name {
        true => format!("{} <{}>", cal.owner_name, cal.owner),
        false => format!("{} <{}>, \"{}\"", cal.owner_name, cal.owner, cal.name),
    }
}

/// Whether the entry's permission could not be checked this time.
fn unchecked(cal: &CalendarEntry) -> bool {
    match cal.permission.source {
        PermissionSource::Stale | PermissionSource::Unknown => true,
        PermissionSource::Own | PermissionSource::Published | PermissionSource::Inferred => false,
    }
}

fn reachable_check(cal: &CalendarEntry, problem: &str) -> Check {
    let c = check(
        "calendar_reachable",
        subject(cal),
        "You can open this calendar".into(),
        CheckStatus::Fail,
        problem.to_string(),
    );
    match unchecked(cal) {
        true => Check {
            status: CheckStatus::Unknown,
            ..c
        },
        false => c.fix(
            format!(
                "Ask {} to share their calendar with you (Editor for every Onbehalf feature), \
                 or check the address.",
                cal.owner_name
            ),
            cal.owner_name.clone(),
        ),
    }
}

fn own_checks(own: &OwnPublication) -> Vec<Check> {
    let title = "Your Onbehalf publishes its status".to_string();
    match own {
        OwnPublication::Published { without_key } => {
            let mut checks = vec![check(
                "own_status_published",
                "You".into(),
                title,
                CheckStatus::Pass,
                "Your Onbehalf publishes its status on your calendar, so the people you share \
                 it with see their exact permissions."
                    .into(),
            )];
            if !without_key.is_empty() {
                checks.push(
                    check(
                        "grantee_keys",
                        "You".into(),
                        "Everyone you share your calendar with can read their permission".into(),
                        CheckStatus::Warn,
                        format!(
                            "The Onbehalf of {} has not published its key (or it could not be \
                             read), so their permission on your calendar could not be sealed for \
                             them; they see it inferred.",
                            without_key.join(", ")
                        ),
                    )
                    .fix(
                        "They install Onbehalf and sign in once; your Onbehalf picks up their \
                         key at its next refresh."
                            .into(),
                        without_key.join(", "),
                    ),
                );
            }
            checks
        }
        OwnPublication::Failed {
            reason,
            retryable: true,
        } => vec![check(
            "own_status_published",
            "You".into(),
            title,
            CheckStatus::Unknown,
            format!(
                "Could not check just now: {reason}. Onbehalf tries again at the next refresh."
            ),
        )],
        OwnPublication::Failed {
            reason,
            retryable: false,
        } => vec![check(
            "own_status_published",
            "You".into(),
            title,
            CheckStatus::Fail,
            format!("Your status could not be published on your calendar: {reason}"),
        )
        .fix(
            "Sign in again so Onbehalf may write to your own calendar; if it keeps failing your \
             Microsoft 365 admin must consent to Onbehalf's calendar permissions."
                .into(),
            "You, or your Microsoft 365 admin".into(),
        )],
    }
}

fn owner_checks(cal: &CalendarEntry) -> Vec<Check> {
    let owner = &cal.owner_name;
    let subject = format!("{owner} <{}>", cal.owner);
    let runs = |status, detail: String| {
        check(
            "owner_runs_onbehalf",
            subject.clone(),
            format!("{owner} runs Onbehalf"),
            status,
            detail,
        )
    };
    let tenant_unknown = |why: &str| {
        check(
            "same_tenant",
            subject.clone(),
            "Same Microsoft 365 organisation".into(),
            CheckStatus::Unknown,
            format!(
                "Cannot be checked {why}; their calendar is reachable, so they are very likely \
                 in your organisation."
            ),
        )
    };
    match (&cal.owner_record, &cal.owner_onbehalf) {
        (OwnerRecord::Found, Some(o)) => vec![
            runs(
                CheckStatus::Pass,
                format!(
                    "{owner}'s Onbehalf {} published its status; their sync is {}.",
                    o.app_version,
                    if o.sync_on { "on" } else { "off" }
                ),
            ),
            tenant_check(owner, &subject, o),
            sync_check(owner, &subject, o),
        ],
        (OwnerRecord::Absent, _) | (OwnerRecord::Found, None) | (OwnerRecord::Mine, _) => vec![
            runs(
                CheckStatus::Fail,
                format!(
                    "No Onbehalf status was found on {owner}'s calendar, so their exact \
                     permission cannot be read and items cannot be shared to the CRM on their \
                     behalf."
                ),
            )
            .fix(
                format!("{owner} installs Onbehalf and signs in once; it publishes its status then."),
                owner.clone(),
            ),
            tenant_unknown(&format!("until {owner} runs Onbehalf")),
        ],
        (OwnerRecord::NewerFormat { format }, _) => vec![
            runs(
                CheckStatus::Warn,
                format!(
                    "{owner} runs a newer Onbehalf, whose status (format {format}) this version \
                     cannot read."
                ),
            )
            .fix(
                "Update Onbehalf to the newest version.".into(),
                "You, or your IT department".into(),
            ),
            tenant_unknown("until you update Onbehalf"),
        ],
        (OwnerRecord::Unreadable { detail }, _) => vec![
            runs(
                CheckStatus::Fail,
                format!("{owner}'s Onbehalf status is on their calendar but cannot be read: {detail}."),
            )
            .fix(
                format!("{owner} opens Onbehalf and refreshes, which publishes the status again."),
                owner.clone(),
            ),
            tenant_unknown("while their status cannot be read"),
        ],
        (OwnerRecord::Denied, _) => vec![
            runs(
                CheckStatus::Unknown,
                format!(
                    "Exchange does not let you read {owner}'s Onbehalf status (you may hold a \
                     grant on another of their calendars only)."
                ),
            ),
            tenant_unknown("without their status"),
        ],
        (OwnerRecord::Unchecked { detail }, _) => vec![
            runs(
                CheckStatus::Unknown,
                format!("Could not check just now ({detail}); Onbehalf tries again at the next refresh."),
            ),
            tenant_unknown("just now"),
        ],
    }
}

fn tenant_check(owner: &str, subject: &str, o: &OwnerOnbehalf) -> Check {
    let c = check(
        "same_tenant",
        subject.to_string(),
        "Same Microsoft 365 organisation".into(),
        CheckStatus::Pass,
        format!("You and {owner} are in the same Microsoft 365 tenant."),
    );
    match o.same_tenant {
        true => c,
        false => Check {
            status: CheckStatus::Fail,
            detail: format!(
                "{owner} signed in to a different Microsoft 365 tenant than you, so Onbehalf \
                 cannot act on their behalf."
            ),
            ..c
        }
        .fix(
            format!(
                "Both of you must sign in with accounts of the same organisation; {owner} may \
                 have signed in with another account."
            ),
            format!("{owner}, or your Microsoft 365 admin"),
        ),
    }
}

/// Sharing is done by the owner's sync: with it off, nothing the user shares reaches the CRM.
fn sync_check(owner: &str, subject: &str, o: &OwnerOnbehalf) -> Check {
    let c = check(
        "owner_sync_on",
        subject.to_string(),
        format!("{owner}'s sync is on (needed for sharing)"),
        CheckStatus::Pass,
        format!("{owner}'s Onbehalf syncs, so items shared on their behalf are saved to the CRM."),
    );
    match o.sync_on {
        true => c,
        false => Check {
            status: CheckStatus::Fail,
            detail: format!(
                "{owner} does not have sync turned on; items you share are saved to the CRM \
                 only when they turn it on."
            ),
            ..c
        }
        .fix(
            format!("{owner} turns on sync in Onbehalf."),
            owner.to_string(),
        ),
    }
}

fn permission_check(cal: &CalendarEntry) -> Check {
    let owner = &cal.owner_name;
    let p = &cal.permission;
    let r = &p.rights;
    let base = check(
        "permission_enough",
        subject(cal),
        "Permission enough for Onbehalf".into(),
        CheckStatus::Pass,
        String::new(),
    );
    if unchecked(cal) {
        return Check {
            status: CheckStatus::Unknown,
            detail: format!(
                "Could not check just now; last known: {} ({}). Onbehalf checks again at the next \
                 refresh.",
                p.outlook, p.graph
            ),
            ..base
        };
    }
    let full = r.read == ReadLevel::Full && r.create && r.edit == ItemScope::All;
    // Each refusal's reason is on the calendar card; here the list says what is missing.
    let refused: Vec<&str> = cal
        .actions
        .iter()
        .filter(|(a, v)| {
            !v.allowed && !matches!(a, Action::ViewPrivate | Action::RemovePrivateMark)
        })
        .map(|(a, _)| a.label())
        .collect();
    let may_be = p
        .may_be
        .as_ref()
        .map(|m| format!(" Exchange does not show your exact level: it may be {m}."))
        .unwrap_or_default();
    let ask_editor = format!(
        "Ask {owner} to give you Editor on this calendar in Outlook (Calendar > Sharing and \
         permissions), or make you a delegate."
    );
    match (full, r.receives_meeting_requests, refused.is_empty()) {
        (true, true, _) => Check {
            detail: format!(
                "You have {} ({}): every Onbehalf action is supported.",
                p.outlook, p.graph
            ),
            ..base
        },
        (true, false, _) => Check {
            status: CheckStatus::Warn,
            detail: format!(
                "You have {} ({}): Onbehalf works, but meeting invitations go to {owner}'s \
                 delegates only, so you will not receive them. Editor + delegate is the fully \
                 supported level.",
                p.outlook, p.graph
            ),
            ..base
        }
        .fix(
            format!(
                "Ask {owner} to add you as a delegate in Outlook (File > Account Settings > \
                 Delegate Access) if you should handle their invitations."
            ),
            owner.clone(),
        ),
        (false, _, true) => Check {
            status: CheckStatus::Warn,
            detail: format!(
                "You have {} ({}): Onbehalf works, limited to your own items. Editor + delegate \
                 is the fully supported level.",
                p.outlook, p.graph
            ),
            ..base
        }
        .fix(ask_editor, owner.clone()),
        (false, _, false) => Check {
            status: CheckStatus::Fail,
            detail: format!(
                "You have {} ({}). Not allowed: {}.{may_be}",
                p.outlook,
                p.graph,
                refused.join(", ").to_lowercase()
            ),
            ..base
        }
        .fix(ask_editor, owner.clone()),
    }
}
