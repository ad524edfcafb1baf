//! The delegated permissions each Graph call needs, from the "Permissions" table of its API
//! reference page (work or school accounts). A token without them is refused before the
//! resource is looked at: Exchange's calendar endpoints answer 403 `ErrorAccessDenied`,
//! directory endpoints 403 `Authorization_RequestDenied`.
//!
//! Another user's mailbox is reached only with the `.Shared` permissions ("read events in all
//! calendars that the user can access, including delegate and shared calendars"); they also
//! cover the caller's own calendars, and the mail ones the caller's own mail.

use axum::http::{Method, StatusCode};

use super::error::GraphError;
use crate::scopes::ScopeSet;

const READ_SHARED: &[&str] = &["Calendars.Read.Shared", "Calendars.ReadWrite.Shared"];
const WRITE_SHARED: &[&str] = &["Calendars.ReadWrite.Shared"];
const READ_MAIL_SHARED: &[&str] = &["Mail.Read.Shared", "Mail.ReadWrite.Shared"];
const GET_SCHEDULE: &[&str] = &[
    "Calendars.ReadBasic",
    "Calendars.Read",
    "Calendars.ReadWrite",
];

/// What a call does, as far as its permission table is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// `GET /me` (user-get: `User.Read`).
    OwnProfile,
    /// `GET /users`, `GET /users/{other}` (user-get, user-list: `User.ReadBasic.All`).
    Directory,
    /// Calendars and calendar groups, read (user-list-calendars: `Calendars.ReadBasic`).
    ReadCalendars,
    /// `POST .../calendars` (user-post-calendars: `Calendars.ReadWrite`).
    CreateCalendar,
    /// `PATCH` a calendar (calendar-update: `Calendars.ReadWrite` only).
    UpdateCalendar,
    /// Events, calendar views and instances, read (event-get, calendar-list-calendarview:
    /// `Calendars.Read`).
    ReadEvents,
    /// Create, update or delete events (`Calendars.ReadWrite`).
    WriteEvents,
    /// `POST .../calendar/getSchedule` (calendar-getschedule: `Calendars.ReadBasic`,
    /// `Calendars.Read`, `Calendars.ReadWrite`; the `.Shared` ones are not listed).
    GetSchedule,
    /// `calendarPermissions` list and get (`Calendars.ReadBasic`, `Calendars.Read`,
    /// `Calendars.ReadWrite`; the `.Shared` ones are not listed).
    ReadPermissions,
    /// `calendarPermissions` create, update, delete (`Calendars.ReadWrite`).
    WritePermissions,
    /// The master category list, read (outlookuser-list-mastercategories:
    /// `MailboxSettings.Read`).
    ReadCategories,
    /// The master category list, written (outlookuser-post-mastercategories:
    /// `MailboxSettings.ReadWrite`).
    WriteCategories,
    /// Messages and mail folders, read (user-list-messages, message-get: `Mail.ReadBasic`,
    /// `Mail.Read`, `Mail.ReadWrite`).
    ReadMail,
    /// Create, update or delete messages (user-post-messages, message-update: `Mail.ReadWrite`).
    WriteMail,
    /// `messages/{id}/send`, `sendMail` (message-send, user-sendmail: `Mail.Send`).
    SendMail,
    /// `memberOf` (user-list-memberof: `User.Read` for the signed-in user's, `User.Read.All`
    /// for another user's).
    Memberships,
    /// `transitiveMemberOf` (user-list-transitivememberof: the same, and `Group.Read.All`
    /// among the higher ones).
    TransitiveMemberships,
}

/// The need of a call below `/me` or `/users/{id}`, from its lowercased path segments.
pub(crate) fn need(names: &[&str], method: &Method) -> Need {
    let read = method == Method::GET;
    if names.first() == Some(&"sendmail")
        || (names.first() == Some(&"messages") && names.last() == Some(&"send"))
        || (names.first() == Some(&"mailfolders") && names.get(4) == Some(&"send"))
    {
        return Need::SendMail;
    }
    if matches!(names.first(), Some(&("messages" | "mailfolders"))) {
        return if read {
            Need::ReadMail
        } else {
            Need::WriteMail
        };
    }
    if names == ["calendar", "getschedule"] {
        return Need::GetSchedule;
    }
    match names.first() {
        Some(&"memberof") => return Need::Memberships,
        Some(&"transitivememberof") => return Need::TransitiveMemberships,
        _ => {}
    }
    if names.first() == Some(&"outlook") {
        return if read {
            Need::ReadCategories
        } else {
            Need::WriteCategories
        };
    }
    if names.contains(&"calendarpermissions") {
        return if read {
            Need::ReadPermissions
        } else {
            Need::WritePermissions
        };
    }
    if names
        .iter()
        .any(|n| matches!(*n, "events" | "calendarview"))
    {
        return if read {
            Need::ReadEvents
        } else {
            Need::WriteEvents
        };
    }
    match (names, read) {
        ([], _) => Need::OwnProfile,
        (_, true) => Need::ReadCalendars,
        (["calendars"], false) => Need::CreateCalendar,
        (_, false) => Need::UpdateCalendar,
    }
}

/// Refuse the call unless the token holds what `need` requires on `own` (the caller's own
/// mailbox) or another user's mailbox.
pub(crate) fn check(granted: &ScopeSet, need: Need, own: bool) -> Result<(), GraphError> {
    // Every group must be satisfied by one of its permissions.
    let groups: Vec<&[&str]> = match (need, own) {
        (Need::OwnProfile, true) => vec![&[
            "User.Read",
            "User.ReadWrite",
            "User.ReadBasic.All",
            "User.Read.All",
            "User.ReadWrite.All",
            "Directory.Read.All",
            "Directory.ReadWrite.All",
        ]],
        (Need::OwnProfile, false) | (Need::Directory, _) => vec![&[
            "User.ReadBasic.All",
            "User.Read.All",
            "User.ReadWrite.All",
            "Directory.Read.All",
            "Directory.ReadWrite.All",
        ]],
        (Need::ReadCalendars, true) => vec![&[
            "Calendars.ReadBasic",
            "Calendars.Read",
            "Calendars.ReadWrite",
            "Calendars.Read.Shared",
            "Calendars.ReadWrite.Shared",
        ]],
        (Need::ReadEvents, true) => vec![&[
            // Assumption: `Calendars.ReadBasic` (events without their body) is not modelled,
            // so it is not enough for events here.
            "Calendars.Read",
            "Calendars.ReadWrite",
            "Calendars.Read.Shared",
            "Calendars.ReadWrite.Shared",
        ]],
        (Need::ReadCalendars | Need::ReadEvents, false) => vec![READ_SHARED],
        (Need::WriteEvents, true) => vec![&["Calendars.ReadWrite", "Calendars.ReadWrite.Shared"]],
        (Need::CreateCalendar | Need::UpdateCalendar | Need::WritePermissions, true) => {
            vec![&["Calendars.ReadWrite"]]
        }
        (Need::WriteEvents | Need::CreateCalendar | Need::UpdateCalendar, false) => {
            vec![WRITE_SHARED]
        }
        (Need::GetSchedule, true) => vec![GET_SCHEDULE],
        // Assumption: through another user's mailbox the table's permission is needed and a
        // `.Shared` one to reach that mailbox, as for calendar permissions.
        (Need::GetSchedule, false) => vec![GET_SCHEDULE, READ_SHARED],
        (Need::ReadPermissions, true) => vec![&[
            "Calendars.ReadBasic",
            "Calendars.Read",
            "Calendars.ReadWrite",
        ]],
        // Assumption: on another user's calendar the table's own permission is needed and a
        // `.Shared` one to reach the mailbox at all; the pages list no `.Shared` permission.
        (Need::ReadPermissions, false) => vec![
            &[
                "Calendars.ReadBasic",
                "Calendars.Read",
                "Calendars.ReadWrite",
            ],
            READ_SHARED,
        ],
        (Need::WritePermissions, false) => vec![&["Calendars.ReadWrite"], WRITE_SHARED],
        // No `.Shared` form exists; another user's list is refused further on whatever the
        // token holds.
        (Need::ReadCategories, _) => {
            vec![&["MailboxSettings.Read", "MailboxSettings.ReadWrite"]]
        }
        (Need::WriteCategories, _) => vec![&["MailboxSettings.ReadWrite"]],
        // Assumption: `Mail.ReadBasic` (messages without their body) is not modelled, so it
        // is not enough for messages here.
        (Need::ReadMail, true) => vec![&[
            "Mail.Read",
            "Mail.ReadWrite",
            "Mail.Read.Shared",
            "Mail.ReadWrite.Shared",
        ]],
        (Need::ReadMail, false) => vec![READ_MAIL_SHARED],
        (Need::WriteMail, true) => vec![&["Mail.ReadWrite", "Mail.ReadWrite.Shared"]],
        (Need::WriteMail, false) => vec![&["Mail.ReadWrite.Shared"]],
        // `Mail.Send.Shared` is what sends "from another user"; it covers the caller's own
        // mail too. Whether `from` names another mailbox is checked when the message is sent.
        (Need::SendMail, true) => vec![&["Mail.Send", "Mail.Send.Shared"]],
        (Need::SendMail, false) => vec![&["Mail.Send.Shared"]],
        // Assumption: `User.Read.All`, which reads another user's memberships, reads the
        // caller's own too, though the signed-in user's table of memberOf does not list it.
        (Need::Memberships, true) => vec![&[
            "User.Read",
            "User.Read.All",
            "GroupMember.Read.All",
            "Directory.Read.All",
            "Directory.ReadWrite.All",
        ]],
        (Need::Memberships, false) => vec![&[
            "User.Read.All",
            "GroupMember.Read.All",
            "Directory.Read.All",
            "Directory.ReadWrite.All",
        ]],
        (Need::TransitiveMemberships, true) => vec![&[
            "User.Read",
            "User.Read.All",
            "GroupMember.Read.All",
            "Group.Read.All",
            "Directory.Read.All",
            "Directory.ReadWrite.All",
        ]],
        (Need::TransitiveMemberships, false) => vec![&[
            "User.Read.All",
            "GroupMember.Read.All",
            "Group.Read.All",
            "Directory.Read.All",
            "Directory.ReadWrite.All",
        ]],
    };
    if groups.iter().all(|g| granted.has_any(g)) {
        return Ok(());
    }
    Err(match need {
        Need::OwnProfile | Need::Directory | Need::Memberships | Need::TransitiveMemberships => {
            GraphError::new(
                StatusCode::FORBIDDEN,
                "Authorization_RequestDenied",
                "Insufficient privileges to complete the operation.",
            )
        }
        _ => GraphError::access_denied(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scopes(s: &str) -> ScopeSet {
        ScopeSet::parse(s, "http://127.0.0.1:1")
    }

    #[test]
    fn another_mailbox_needs_a_shared_permission() {
        let own_only = scopes("Calendars.ReadWrite User.Read");
        assert!(check(&own_only, Need::ReadEvents, true).is_ok());
        assert!(check(&own_only, Need::ReadEvents, false).is_err());
        let shared_read = scopes("Calendars.Read.Shared");
        assert!(check(&shared_read, Need::ReadEvents, false).is_ok());
        assert!(check(&shared_read, Need::WriteEvents, false).is_err());
        assert!(check(&shared_read, Need::ReadEvents, true).is_ok());
    }

    #[test]
    fn permissions_and_calendar_updates_need_the_plain_permissions() {
        let shared = scopes("Calendars.ReadWrite.Shared");
        assert!(check(&shared, Need::ReadPermissions, true).is_err());
        assert!(check(&shared, Need::UpdateCalendar, true).is_err());
        let both = scopes("Calendars.ReadWrite Calendars.ReadWrite.Shared");
        assert!(check(&both, Need::WritePermissions, true).is_ok());
        assert!(check(&both, Need::ReadPermissions, false).is_ok());
        assert!(check(&scopes("Calendars.ReadBasic"), Need::ReadPermissions, true).is_ok());
    }

    #[test]
    fn paths_map_to_their_tables() {
        assert_eq!(need(&[], &Method::GET), Need::OwnProfile);
        assert_eq!(
            need(&["calendar", "calendarpermissions", "x"], &Method::PATCH),
            Need::WritePermissions
        );
        assert_eq!(
            need(&["calendars", "x", "events"], &Method::POST),
            Need::WriteEvents
        );
        assert_eq!(need(&["calendars"], &Method::POST), Need::CreateCalendar);
        assert_eq!(
            need(&["calendar", "getschedule"], &Method::POST),
            Need::GetSchedule
        );
        assert_eq!(need(&["calendar"], &Method::PATCH), Need::UpdateCalendar);
        assert_eq!(
            need(&["calendargroups", "x", "calendars"], &Method::GET),
            Need::ReadCalendars
        );
        assert_eq!(
            need(&["messages", "x", "send"], &Method::POST),
            Need::SendMail
        );
        assert_eq!(need(&["sendmail"], &Method::POST), Need::SendMail);
        assert_eq!(
            need(
                &["mailfolders", "drafts", "messages", "x", "send"],
                &Method::POST
            ),
            Need::SendMail
        );
        assert_eq!(
            need(&["mailfolders", "inbox", "messages"], &Method::GET),
            Need::ReadMail
        );
        assert_eq!(need(&["messages", "x"], &Method::PATCH), Need::WriteMail);
    }

    #[test]
    fn memberships_need_user_read_for_ones_own_and_user_read_all_for_anothers() {
        assert_eq!(need(&["memberof"], &Method::GET), Need::Memberships);
        assert_eq!(
            need(
                &["transitivememberof", "microsoft.graph.group"],
                &Method::GET
            ),
            Need::TransitiveMemberships
        );
        let user_read = scopes("User.Read");
        for need in [Need::Memberships, Need::TransitiveMemberships] {
            assert!(check(&user_read, need, true).is_ok(), "{need:?}");
            assert!(check(&user_read, need, false).is_err(), "{need:?}");
            assert!(check(&scopes("User.Read.All"), need, false).is_ok());
            let refused = check(&scopes("Calendars.ReadWrite"), need, true).unwrap_err();
            assert_eq!(refused.code, "Authorization_RequestDenied");
        }
        let groups = scopes("Group.Read.All");
        assert!(check(&groups, Need::TransitiveMemberships, false).is_ok());
        assert!(check(&groups, Need::Memberships, false).is_err());
    }

    #[test]
    fn mail_needs_the_mail_permissions() {
        let calendars = scopes("Calendars.ReadWrite Calendars.ReadWrite.Shared");
        for need in [Need::ReadMail, Need::WriteMail, Need::SendMail] {
            assert!(check(&calendars, need, true).is_err(), "{need:?}");
        }
        let read = scopes("Mail.Read");
        assert!(check(&read, Need::ReadMail, true).is_ok());
        assert!(check(&read, Need::ReadMail, false).is_err());
        assert!(check(&read, Need::WriteMail, true).is_err());
        let shared_send = scopes("Mail.Send.Shared");
        assert!(check(&shared_send, Need::SendMail, true).is_ok());
        assert!(check(&shared_send, Need::SendMail, false).is_ok());
        assert!(check(&scopes("Mail.Send"), Need::SendMail, false).is_err());
    }
}
