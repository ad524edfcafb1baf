//! One handler per Graph resource, reached from [`GraphClient`]: `client.users()`,
//! `client.calendars()`, `client.calendar_permissions(target)`, `client.events(target)`,
//! `client.categories()`, `client.memberships(mailbox)` for a user's groups;
//! `client.get_schedule(…)` for free/busy; and mail for time slots: `client.create_draft(…)`,
//! `send_draft`, `send_mail` and `inbox_since`.

mod calendars;
mod categories;
mod events;
mod groups;
mod messages;
mod permissions;
mod schedule;
mod users;

pub use calendars::CalendarsApi;
pub use categories::CategoriesApi;
pub use events::{EventQuery, EventsApi};
pub use groups::{MembershipsApi, MAX_GROUP_PAGE};
pub use messages::{MessageBody, MessageRef, OutgoingMessage, ReceivedMessage};
pub use permissions::PermissionsApi;
pub use schedule::{
    read_schedule_response, ScheduleAnswer, ScheduleError, MAX_PERIOD_DAYS, MAX_SCHEDULES_PER_CALL,
};
pub use users::UsersApi;

use crate::client::{odata_string, GraphPath};
use crate::GraphClient;

/// Whose mailbox a call addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mailbox {
    /// `/me`
    Me,
    /// `/users/{id or userPrincipalName}`
    User(String),
}

impl Mailbox {
    pub(crate) fn path(&self) -> GraphPath {
        match self {
            Mailbox::Me => GraphPath::new().lit("me"),
            Mailbox::User(u) => GraphPath::new().lit("users").id(u),
        }
    }
}

/// One calendar: a mailbox's default one or one by id. Ids are only valid in the mailbox they
/// were read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarTarget {
    pub mailbox: Mailbox,
    /// `None` for the default calendar.
    pub calendar: Option<String>,
}

impl CalendarTarget {
    /// `/me/calendar`
    pub fn my_default() -> Self {
        CalendarTarget {
            mailbox: Mailbox::Me,
            calendar: None,
        }
    }

    /// `/users/{user}/calendar`
    pub fn default_of(user: &str) -> Self {
        CalendarTarget {
            mailbox: Mailbox::User(user.to_string()),
            calendar: None,
        }
    }

    /// `/me/calendars/{id}`
    pub fn mine(id: &str) -> Self {
        CalendarTarget {
            mailbox: Mailbox::Me,
            calendar: Some(id.to_string()),
        }
    }

    /// `/users/{user}/calendars/{id}`
    pub fn of(user: &str, id: &str) -> Self {
        CalendarTarget {
            mailbox: Mailbox::User(user.to_string()),
            calendar: Some(id.to_string()),
        }
    }

    pub(crate) fn path(&self) -> GraphPath {
        match &self.calendar {
            None => self.mailbox.path().lit("calendar"),
            Some(id) => self.mailbox.path().lit("calendars").id(id),
        }
    }
}

/// `$expand` for one single-value extended property, the documented way to read it.
pub(crate) fn expand_property(id: &str) -> String {
    format!(
        "singleValueExtendedProperties($filter=id eq {})",
        odata_string(id)
    )
}

impl GraphClient {
    pub fn users(&self) -> UsersApi<'_> {
        UsersApi::new(self)
    }

    pub fn calendars(&self) -> CalendarsApi<'_> {
        CalendarsApi::new(self)
    }

    pub fn calendar_permissions(&self, target: CalendarTarget) -> PermissionsApi<'_> {
        PermissionsApi::new(self, target)
    }

    pub fn events(&self, target: CalendarTarget) -> EventsApi<'_> {
        EventsApi::new(self, target)
    }

    pub fn categories(&self) -> CategoriesApi<'_> {
        CategoriesApi::new(self)
    }

    pub fn memberships(&self, mailbox: Mailbox) -> MembershipsApi<'_> {
        MembershipsApi::new(self, mailbox)
    }
}
