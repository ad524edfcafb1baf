//! Which permission to show for one calendar: the owner's published record when it agrees with
//! what Exchange lets the user do, otherwise an inference from what Exchange shows. Pure.

use chrono::{DateTime, Utc};

use crate::permission::{GraphRole, ItemScope, OutlookLevel, PermissionNames, ReadLevel, Rights};
use crate::ports::DetailProbe;
use crate::view::{PermissionSource, PermissionView};

/// What Exchange showed the user about one calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    pub can_edit: bool,
    pub can_view_private: bool,
    pub detail: DetailProbe,
}

/// A role read from the owner's record, with when it was published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublishedRole {
    pub role: GraphRole,
    pub published_at: DateTime<Utc>,
}

/// The permission of the user on their own calendar.
pub fn own_permission() -> PermissionView {
    let names = PermissionNames::of_owner();
    PermissionView {
        outlook: names.outlook,
        owa: names.owa,
        graph: names.graph,
        source: PermissionSource::Own,
        published_at: None,
        note: None,
        rights: Rights::OWNER_SELF,
    }
}

/// No access at all (the calendar is not shared with the user).
pub fn no_permission() -> PermissionView {
    view(OutlookLevel::None, PermissionSource::Inferred, None, None)
}

/// Resolve the permission to show from a published role (if any) and the observation.
pub fn resolve(published: Option<PublishedRole>, observed: &Observed) -> PermissionView {
    match published {
        Some(p) => {
            let (level, note) = level_of_role(p.role, observed.can_edit);
            let rights = level.rights();
            match agrees(&rights, observed) {
                true => {
                    let mut shown = view(
                        level,
                        PermissionSource::Published,
                        Some(p.published_at),
                        note,
                    );
                    if p.role == GraphRole::Custom {
                        shown.outlook = format!("Custom role (treated as {})", shown.outlook);
                    }
                    shown
                }
                false => {
                    let mut inferred = infer(observed);
                    inferred.note = Some(format!(
                        "The owner's Onbehalf published {} ({}), but Exchange now gives you \
                         less or more than that; it was probably changed since. Shown as \
                         Exchange behaves today.",
                        PermissionNames::of_level(level).outlook,
                        p.role.as_str()
                    ));
                    inferred
                }
            }
        }
        None => infer(observed),
    }
}

/// The level a Graph role stands for; `custom` hides one of six classic roles, so the one that
/// matches what Exchange shows is assumed and said.
fn level_of_role(role: GraphRole, can_edit: bool) -> (OutlookLevel, Option<String>) {
    match (role.outlook_level(), can_edit) {
        (Some(level), _) => (level, None),
        (None, true) => (
            OutlookLevel::Author,
            Some(
                "Graph reports a custom Outlook role (Author, Publishing Author, Publishing \
                 Editor, Owner, Contributor or Nonediting Author). Onbehalf treats it as Author: \
                 you may create items and edit only the ones you created."
                    .to_string(),
            ),
        ),
        (None, false) => (
            OutlookLevel::NonEditingAuthor,
            Some(
                "Graph reports a custom Outlook role that cannot edit items. Onbehalf treats \
                 it as Nonediting Author."
                    .to_string(),
            ),
        ),
    }
}

/// Whether a level's rights match what Exchange shows.
fn agrees(rights: &Rights, o: &Observed) -> bool {
    let edits = rights.create || rights.edit != ItemScope::None;
    let reads_details = matches!(rights.read, ReadLevel::TitlesAndLocations | ReadLevel::Full);
    let probe_ok = match &o.detail {
        DetailProbe::Refused => !reads_details,
        DetailProbe::Samples(s) => {
            reads_details
                && match rights.read {
                    ReadLevel::Full => true,
                    // A titles-only reader never sees a body or attendees.
                    ReadLevel::TitlesAndLocations => {
                        !s.iter().any(|e| e.has_body || e.has_attendees)
                    }
                    ReadLevel::None | ReadLevel::FreeBusy => false,
                }
        }
    };
    edits == o.can_edit && rights.view_private == o.can_view_private && probe_ok
}

/// Infer a level from `canEdit`, `canViewPrivateItems` and the detail probe.
pub fn infer(o: &Observed) -> PermissionView {
    let ask = "Ask the owner to run Onbehalf to show the exact level.";
    let (level, note) = match (o.can_view_private, o.can_edit, &o.detail) {
        (true, _, _) => (
            OutlookLevel::DelegateWithPrivate,
            "Only delegates who may see private items get private access.".to_string(),
        ),
        (false, true, _) => (
            OutlookLevel::Editor,
            format!("You can edit this calendar; it may also be Delegate or Author. {ask}"),
        ),
        (false, false, DetailProbe::Refused) => (
            OutlookLevel::FreeBusyTime,
            format!("Exchange refuses to list items, so you see free/busy only. {ask}"),
        ),
        (false, false, DetailProbe::Samples(s))
            if s.iter().any(|e| e.has_body || e.has_attendees) =>
        {
            (
                OutlookLevel::Reviewer,
                format!("You can read item details but not edit. {ask}"),
            )
        }
        (false, false, DetailProbe::Samples(s)) if s.iter().any(|e| e.has_subject) => (
            OutlookLevel::FreeBusyTimeSubjectLocation,
            format!("You see subjects and locations but no details. {ask}"),
        ),
        (false, false, DetailProbe::Samples(_)) => (
            OutlookLevel::FreeBusyTimeSubjectLocation,
            format!(
                "No items in the last or next two weeks showed their details, so at least \
                 titles and locations are assumed. {ask}"
            ),
        ),
    };
    view(level, PermissionSource::Inferred, None, Some(note))
}

fn view(
    level: OutlookLevel,
    source: PermissionSource,
    published_at: Option<DateTime<Utc>>,
    note: Option<String>,
) -> PermissionView {
    let names = PermissionNames::of_level(level);
    PermissionView {
        outlook: names.outlook,
        owa: names.owa,
        graph: names.graph,
        source,
        published_at,
        note,
        rights: level.rights(),
    }
}
