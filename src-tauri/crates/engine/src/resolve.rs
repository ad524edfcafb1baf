//! Which permission to show for one calendar. Pure.
//!
//! The owner's published record is exact when Exchange agrees with it. Without it the level is
//! inferred from `canEdit`, `canViewPrivateItems` and a look at a few items, and the inference
//! never claims more than Exchange proves: where the flags cannot tell two levels apart, the
//! lower one is shown with what it may be. A check that failed for a network reason changes
//! nothing: the last verdict is kept (marked stale), or, with none, the lowest level the flags
//! prove is shown as unknown.
//!
//! `canEdit` means what Graph documents: the user can write to the calendar (the owner, or a
//! role that changes items: Author and up). Creating alone (Contributor, Nonediting Author)
//! does not set it.

use chrono::{DateTime, Utc};

use crate::permission::{GraphRole, ItemScope, OutlookLevel, Permission, ReadLevel, Rights};
use crate::ports::EventSample;
use crate::view::{PermissionSource, PermissionView};

const ASK: &str = "When the owner runs Onbehalf, the exact level is shown.";

/// What a look at a few of the calendar's items showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeOutcome {
    /// Listing items was refused: free/busy only.
    Refused,
    /// Items came back; how much of each was visible.
    Samples(Vec<EventSample>),
    /// The look failed for a reason that says nothing about the permission (network,
    /// throttling); the reason, worded for a person.
    Unknown(String),
}

/// What Exchange showed the user about one calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    pub can_edit: bool,
    pub can_view_private: bool,
    pub detail: ProbeOutcome,
}

/// What the owner's record says about the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// A grant for the user: sealed to them, or the "My Organization" role for a calendar
    /// reached only through the organisation.
    Grant {
        role: GraphRole,
        send_on_behalf: bool,
        published_at: DateTime<Utc>,
        from_organization: bool,
    },
    /// No grant can be used; why, for the note (e.g. the owner does not run Onbehalf).
    Nothing(String),
    /// The record could not be read just now.
    Unchecked(String),
}

/// The permission of the user on their own calendar.
pub fn own_permission(now: DateTime<Utc>) -> PermissionView {
    PermissionView {
        checked_at: Some(now),
        ..view_of(
            &Permission::of_level(OutlookLevel::Owner),
            PermissionSource::Own,
            None,
            None,
            None,
        )
    }
    .owner_names()
}

/// A calendar Exchange says the user cannot open.
pub fn no_permission(now: DateTime<Utc>) -> PermissionView {
    PermissionView {
        checked_at: Some(now),
        ..view_of(
            &Permission::of_level(OutlookLevel::None),
            PermissionSource::Inferred,
            None,
            None,
            None,
        )
    }
}

/// A calendar that could not be opened just now: nothing known, every refusal unknown.
pub fn unchecked_permission(reason: &str) -> PermissionView {
    view_of(
        &Permission::of_level(OutlookLevel::None),
        PermissionSource::Unknown,
        None,
        Some(format!("Unknown: could not check just now ({reason}).")),
        None,
    )
}

/// Resolve the permission to show.
pub fn resolve(
    published: &Published,
    observed: &Observed,
    previous: Option<&PermissionView>,
    now: DateTime<Utc>,
) -> PermissionView {
    let shown = match published {
        Published::Grant {
            role,
            send_on_behalf,
            published_at,
            from_organization,
        } => {
            let (permission, custom_note) = published_permission(*role, *send_on_behalf, observed);
            match agrees(&permission, observed) {
                true => {
                    let note = match (from_organization, custom_note) {
                        (true, note) => Some(join(
                            "This is the role everyone in the owner's organisation has on this \
                             calendar; you hold no grant of your own.",
                            note.as_deref(),
                        )),
                        (false, note) => note,
                    };
                    view_of(
                        &permission,
                        PermissionSource::Published,
                        Some(*published_at),
                        note,
                        None,
                    )
                }
                false => {
                    let reason = format!(
                        "The owner's Onbehalf published {} ({}), but Exchange now gives you \
                         less or more than that; it was probably changed since.",
                        permission.names().outlook,
                        role.as_str()
                    );
                    from_exchange(observed, previous, &reason)
                }
            }
        }
        Published::Nothing(reason) => from_exchange(observed, previous, reason),
        Published::Unchecked(reason) => match previous {
            // The record would have said; keep what it said until it can be read again.
            Some(p) if was_published(p) && flags_agree(&p.rights, observed) => stale(
                p,
                &format!("the owner's status could not be read: {reason}"),
            ),
            Some(_) | None => from_exchange(
                observed,
                previous,
                &format!("The owner's Onbehalf status could not be read just now ({reason})."),
            ),
        },
    };
    match shown.source {
        PermissionSource::Stale => shown,
        PermissionSource::Own
        | PermissionSource::Published
        | PermissionSource::Inferred
        | PermissionSource::Unknown => PermissionView {
            checked_at: Some(now),
            ..shown
        },
    }
}

/// Infer from what Exchange shows; with the item look unknown, keep the last verdict or show
/// the lowest level the flags prove.
fn from_exchange(
    observed: &Observed,
    previous: Option<&PermissionView>,
    why: &str,
) -> PermissionView {
    match (&observed.detail, previous) {
        (ProbeOutcome::Unknown(reason), Some(p))
            if p.source != PermissionSource::Unknown && flags_agree(&p.rights, observed) =>
        {
            stale(p, reason)
        }
        (ProbeOutcome::Unknown(reason), _) => lowest_proven(observed, reason),
        (ProbeOutcome::Refused | ProbeOutcome::Samples(_), _) => {
            let mut shown = infer(observed);
            shown.note = Some(join(why, shown.note.as_deref()));
            shown
        }
    }
}

fn was_published(p: &PermissionView) -> bool {
    match p.source {
        PermissionSource::Published => true,
        // A stale verdict that came from a record says so in its published date.
        PermissionSource::Stale => p.published_at.is_some(),
        PermissionSource::Own | PermissionSource::Inferred | PermissionSource::Unknown => false,
    }
}

fn stale(previous: &PermissionView, reason: &str) -> PermissionView {
    PermissionView {
        source: PermissionSource::Stale,
        note: Some(join(
            &format!(
                "Could not check just now ({reason}). Shown as Exchange last showed it; nothing \
                 is raised or lowered until Onbehalf can check again."
            ),
            previous.note.as_deref(),
        )),
        ..previous.clone()
    }
}

/// The level a published role stands for, with the flags the delegate can see for themselves.
/// `custom` hides six classic roles; the lowest one consistent with Exchange is taken.
fn published_permission(
    role: GraphRole,
    send_on_behalf: bool,
    o: &Observed,
) -> (Permission, Option<String>) {
    let (level, note) = match role.outlook_level() {
        Some(level) => (level, None),
        None => {
            let (level, may_be) = custom_level(o);
            let note = format!(
                "Graph names this role only \"custom\" (one of Author, Publishing Author, \
                 Publishing Editor, Owner, Contributor or Nonediting Author). From what Exchange \
                 shows, Onbehalf takes it as {}{}.",
                level.label(),
                may_be
                    .map(|m| format!("; it may be {m}"))
                    .unwrap_or_default()
            );
            (level, Some(note))
        }
    };
    // "Can see my private items" is a delegate flag Exchange also keeps beside Reviewer or
    // Author (old-style delegates); the record's role does not carry it, the calendar does.
    let private = !role.is_delegate() && o.can_view_private;
    let permission = Permission::of_level(level)
        .with_private(private)
        .with_send_on_behalf(send_on_behalf);
    (permission, note)
}

/// The lowest classic role behind `custom` consistent with what Exchange shows, and what else
/// it may be.
fn custom_level(o: &Observed) -> (OutlookLevel, Option<&'static str>) {
    match (o.can_edit, read_seen(&o.detail)) {
        (true, _) => (
            OutlookLevel::Author,
            Some("Publishing Author, Publishing Editor or Owner"),
        ),
        (
            false,
            Some(Seen {
                read: ReadLevel::Full,
                ..
            }),
        ) => (OutlookLevel::NonEditingAuthor, None),
        (false, Some(_)) => (OutlookLevel::Contributor, None),
        (false, None) => (OutlookLevel::Contributor, Some("Nonediting Author")),
    }
}

/// How much of the items the look showed, and whether it had any item to judge by.
#[derive(Debug, Clone, Copy)]
struct Seen {
    read: ReadLevel,
    had_items: bool,
}

fn read_seen(detail: &ProbeOutcome) -> Option<Seen> {
    match detail {
        ProbeOutcome::Refused => Some(Seen {
            read: ReadLevel::FreeBusy,
            had_items: false,
        }),
        ProbeOutcome::Samples(s) => {
            let read = if s.iter().any(|e| e.has_body || e.has_attendees) {
                ReadLevel::Full
            } else if s.iter().any(|e| e.has_subject) {
                ReadLevel::TitlesAndLocations
            } else {
                ReadLevel::FreeBusy
            };
            Some(Seen {
                read,
                had_items: !s.is_empty(),
            })
        }
        ProbeOutcome::Unknown(_) => None,
    }
}

/// Whether a permission matches what Exchange shows.
fn agrees(p: &Permission, o: &Observed) -> bool {
    let rights = p.rights();
    let read_ok = match &o.detail {
        ProbeOutcome::Refused => rights.read <= ReadLevel::FreeBusy,
        ProbeOutcome::Samples(s) => match rights.read {
            ReadLevel::Full => true,
            // A titles-only reader never sees a body or attendees.
            ReadLevel::TitlesAndLocations => !s.iter().any(|e| e.has_body || e.has_attendees),
            ReadLevel::None | ReadLevel::FreeBusy => false,
        },
        ProbeOutcome::Unknown(_) => true,
    };
    read_ok && flags_agree(&rights, o)
}

/// Whether rights match the two calendar flags.
fn flags_agree(rights: &Rights, o: &Observed) -> bool {
    (rights.edit != ItemScope::None) == o.can_edit && rights.view_private == o.can_view_private
}

/// Infer the lowest level consistent with `canEdit`, `canViewPrivateItems` and the look at
/// the items.
pub fn infer(o: &Observed) -> PermissionView {
    let Some(seen) = read_seen(&o.detail) else {
        return lowest_proven(o, "the items could not be read");
    };
    let (level, may_be, note): (OutlookLevel, Option<&str>, String) = match (o.can_edit, seen.read)
    {
        (true, ReadLevel::Full) => (
            OutlookLevel::Author,
            Some("Publishing Author, Editor, Delegate, Publishing Editor or Owner"),
            "Exchange shows you can change items here, which every level from Author up \
             allows; at least Author is shown."
                .to_string(),
        ),
        (true, read) => (
            level_of_read(read),
            Some("a level that also changes items"),
            "Exchange says you can change items here, yet does not show you their details; \
             only what you can see is shown."
                .to_string(),
        ),
        (false, ReadLevel::Full) => (
            OutlookLevel::Reviewer,
            Some("Nonediting Author (which can also create items)"),
            "You can read item details but not change them: at least Reviewer.".to_string(),
        ),
        (false, ReadLevel::TitlesAndLocations) => (
            OutlookLevel::FreeBusyTimeSubjectLocation,
            Some("Reviewer or Nonediting Author"),
            "The items you were shown had subjects and locations but no details.".to_string(),
        ),
        (false, ReadLevel::FreeBusy | ReadLevel::None) => match seen.had_items
            || o.detail == ProbeOutcome::Refused
        {
            true => (
                OutlookLevel::FreeBusyTime,
                Some("Contributor (which can also add items)"),
                "Exchange does not show you the items, only when the owner is busy.".to_string(),
            ),
            false => (
                OutlookLevel::FreeBusyTime,
                Some("Free/Busy time, subject, location, Reviewer or Nonediting Author"),
                "There were no items in the last or next two weeks to judge by, so only \
                 free/busy is assumed."
                    .to_string(),
            ),
        },
    };
    let private_note = match (o.can_view_private, o.can_edit) {
        (true, false) => {
            " Exchange lets you see private items: you are an old-style delegate \
                          holding a viewing role plus \"can see my private items\"; that alone \
                          does not let you change items or send on the owner's behalf."
        }
        (true, true) => " Exchange lets you see private items.",
        (false, _) => "",
    };
    let permission = Permission::of_level(level).with_private(o.can_view_private);
    view_of(
        &permission,
        PermissionSource::Inferred,
        None,
        Some(format!("{note}{private_note} {ASK}")),
        may_be.map(str::to_string),
    )
}

/// The lowest level the two flags prove, when the items could not be looked at.
fn lowest_proven(o: &Observed, reason: &str) -> PermissionView {
    // Every level that changes items also reads them in full.
    let level = match o.can_edit {
        true => OutlookLevel::Author,
        false => OutlookLevel::FreeBusyTime,
    };
    let permission = Permission::of_level(level).with_private(o.can_view_private);
    view_of(
        &permission,
        PermissionSource::Unknown,
        None,
        Some(format!(
            "Unknown: could not check just now ({reason}). At least {} is shown until Onbehalf \
             can check again.",
            permission.names().outlook
        )),
        Some("higher".to_string()),
    )
}

fn level_of_read(read: ReadLevel) -> OutlookLevel {
    match read {
        ReadLevel::None => OutlookLevel::None,
        ReadLevel::FreeBusy => OutlookLevel::FreeBusyTime,
        ReadLevel::TitlesAndLocations => OutlookLevel::FreeBusyTimeSubjectLocation,
        ReadLevel::Full => OutlookLevel::Reviewer,
    }
}

fn join(first: &str, second: Option<&str>) -> String {
    match second {
        Some(s) if !s.is_empty() => format!("{first} {s}"),
        Some(_) | None => first.to_string(),
    }
}

fn view_of(
    p: &Permission,
    source: PermissionSource,
    published_at: Option<DateTime<Utc>>,
    note: Option<String>,
    may_be: Option<String>,
) -> PermissionView {
    let names = p.names();
    PermissionView {
        outlook: names.outlook,
        owa: names.owa,
        graph: names.graph,
        source,
        published_at,
        note,
        may_be,
        checked_at: None,
        rights: p.rights(),
    }
}

impl PermissionView {
    fn owner_names(self) -> PermissionView {
        let names = crate::permission::PermissionNames::of_owner();
        PermissionView {
            outlook: names.outlook,
            owa: names.owa,
            graph: names.graph,
            rights: Rights::OWNER_SELF,
            ..self
        }
    }
}
