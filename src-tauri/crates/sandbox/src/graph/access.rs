//! Who may reach what: resolving a mailbox, a calendar and an item from the request path, and
//! the rights the caller holds there. A calendar reached through `/users/{owner}` is the
//! owner's folder with the owner's ids; one reached through `/me/calendars/{id}` of a sharee is
//! the sharee's own entry, with ids of the sharee's mailbox.

use super::error::GraphError;
use crate::ids::{ItemId, Kind};
use crate::roles::{ExchangeRole, FolderRights};
use crate::state::{Calendar, State};

/// A calendar as the caller reached it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CalView {
    /// The owner's calendar.
    pub calendar: u64,
    /// The mailbox whose ids the caller sees (the path's mailbox).
    pub mailbox: usize,
    /// The sharee's entry it was reached through, if any.
    pub link: Option<u64>,
    /// The caller's role; `None` when the caller owns the calendar.
    pub role: Option<ExchangeRole>,
    pub rights: FolderRights,
}

impl CalView {
    pub fn is_owner(&self) -> bool {
        self.role.is_none()
    }

    /// The calendar's id as the caller sees it.
    pub fn id(&self) -> String {
        match self.link {
            Some(link) => ItemId::new(self.mailbox, Kind::SharedLink, link).encode(),
            None => ItemId::new(self.mailbox, Kind::Calendar, self.calendar).encode(),
        }
    }
}

/// A role as one caller holds it, with Exchange's private-items flag kept beside it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Held {
    pub role: ExchangeRole,
    pub view_private: bool,
}

impl Held {
    pub fn rights(self) -> FolderRights {
        self.role.rights_with(self.view_private)
    }
}

/// The caller's role on a calendar: `Some(None)` for the owner, `Some(Some)` for a grantee
/// (explicit, or "My Organization" on a primary calendar), `None` for no access at all.
pub(crate) fn role_on(caller: usize, cal: &Calendar, world: &State) -> Option<Option<Held>> {
    if cal.owner == caller {
        return Some(None);
    }
    let address = world.users.get(caller).map(|u| u.address.to_lowercase())?;
    let held = cal
        .grants
        .iter()
        .find(|g| g.address == address)
        .map(|g| Held {
            role: g.role,
            view_private: g.view_private,
        })
        .or(cal.organization_role.map(|role| Held {
            role,
            view_private: false,
        }))?;
    (held.role != ExchangeRole::None).then_some(Some(held))
}

/// Whether the caller holds an explicit grant (not just "My Organization").
pub(crate) fn has_explicit_grant(caller: usize, cal: &Calendar, world: &State) -> bool {
    world.users.get(caller).is_some_and(|u| {
        cal.grants
            .iter()
            .any(|g| g.address.eq_ignore_ascii_case(&u.address))
    })
}

fn view(
    world: &State,
    caller: usize,
    mailbox: usize,
    cal: &Calendar,
    link: Option<u64>,
) -> Option<CalView> {
    let held = role_on(caller, cal, world)?;
    Some(CalView {
        calendar: cal.key,
        mailbox,
        link,
        role: held.map(|h| h.role),
        rights: held.map(Held::rights).unwrap_or(FolderRights::OWNER),
    })
}

/// `/me/calendar` or `/users/{id}/calendar`.
pub(crate) fn default_calendar(
    world: &State,
    caller: usize,
    mailbox: usize,
) -> Result<CalView, GraphError> {
    let cal = world
        .default_calendar(mailbox)
        .ok_or_else(GraphError::not_found)?;
    view(world, caller, mailbox, cal, None).ok_or_else(GraphError::not_found)
}

/// `/me/calendars/{id}` or `/users/{id}/calendars/{id}`.
pub(crate) fn calendar_by_id(
    world: &State,
    caller: usize,
    mailbox: usize,
    text: &str,
) -> Result<CalView, GraphError> {
    let id = ItemId::decode(text).ok_or_else(GraphError::malformed_id)?;
    if id.mailbox != mailbox {
        return Err(GraphError::not_found());
    }
    match id.kind {
        Kind::Calendar => {
            let cal = world
                .calendars
                .get(&id.key)
                .filter(|c| c.owner == mailbox)
                .ok_or_else(GraphError::not_found)?;
            view(world, caller, mailbox, cal, None).ok_or_else(GraphError::not_found)
        }
        Kind::SharedLink => {
            // A sharee's entry is private to the sharee's own mailbox.
            let link = world
                .links
                .get(&id.key)
                .filter(|l| l.sharee == mailbox && caller == mailbox)
                .ok_or_else(GraphError::not_found)?;
            let cal = world
                .calendars
                .get(&link.calendar)
                .ok_or_else(GraphError::not_found)?;
            view(world, caller, mailbox, cal, Some(link.key)).ok_or_else(GraphError::not_found)
        }
        Kind::Event | Kind::Occurrence | Kind::CalendarGroup | Kind::Message | Kind::MailFolder => {
            Err(GraphError::not_found())
        }
    }
}

/// The sharee entry in `mailbox` for a calendar, if the mailbox has one.
pub(crate) fn link_for(world: &State, mailbox: usize, calendar: u64) -> Option<u64> {
    world
        .links
        .values()
        .find(|l| l.sharee == mailbox && l.calendar == calendar)
        .map(|l| l.key)
}

/// An item as the caller reached it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventRef {
    pub event: u64,
    /// The occurrence's original day, for an occurrence id.
    pub day: Option<u32>,
    pub view: CalView,
}

/// `.../events/{id}` under a mailbox, optionally within one calendar.
pub(crate) fn event_by_id(
    world: &State,
    caller: usize,
    mailbox: usize,
    text: &str,
    within: Option<&CalView>,
) -> Result<EventRef, GraphError> {
    let id = ItemId::decode(text).ok_or_else(GraphError::malformed_id)?;
    if id.mailbox != mailbox {
        return Err(GraphError::not_found());
    }
    let day = match id.kind {
        Kind::Event => None,
        Kind::Occurrence => Some(id.extra),
        Kind::Calendar
        | Kind::CalendarGroup
        | Kind::SharedLink
        | Kind::Message
        | Kind::MailFolder => return Err(GraphError::not_found()),
    };
    let ev = world
        .events
        .get(&id.key)
        .ok_or_else(GraphError::not_found)?;
    let cal = world
        .calendars
        .get(&ev.calendar)
        .ok_or_else(GraphError::not_found)?;
    let view = if cal.owner == mailbox {
        view(world, caller, mailbox, cal, None)
    } else if caller == mailbox {
        link_for(world, mailbox, cal.key).and_then(|l| view(world, caller, mailbox, cal, Some(l)))
    } else {
        None
    }
    .ok_or_else(GraphError::not_found)?;
    if let Some(w) = within {
        if w.calendar != ev.calendar || w.link != view.link {
            return Err(GraphError::not_found());
        }
    }
    Ok(EventRef {
        event: ev.key,
        day,
        view,
    })
}
