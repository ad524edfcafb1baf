//! The permission model: a permission is a set of rights; every named level (Outlook desktop,
//! Outlook on the web, Graph `calendarRoleType`) maps onto rights, and actions are derived from
//! the rights alone (see `actions.rs`), never from a level's name.

use serde::{Deserialize, Serialize};

/// How much of an item the user can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReadLevel {
    None,
    FreeBusy,
    TitlesAndLocations,
    Full,
}

/// Which items a right applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ItemScope {
    None,
    Own,
    All,
}

/// The rights one user holds on one calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rights {
    pub read: ReadLevel,
    pub create: bool,
    pub edit: ItemScope,
    pub delete: ItemScope,
    pub receives_meeting_requests: bool,
    pub view_private: bool,
    /// Exchange "Send on Behalf" on the owner's mailbox, independent of calendar rights.
    pub send_on_behalf: bool,
}

impl Rights {
    pub const NONE: Rights = Rights {
        read: ReadLevel::None,
        create: false,
        edit: ItemScope::None,
        delete: ItemScope::None,
        receives_meeting_requests: false,
        view_private: false,
        send_on_behalf: false,
    };

    /// Rights of the calendar's owner on their own calendar.
    pub const OWNER_SELF: Rights = Rights {
        read: ReadLevel::Full,
        create: true,
        edit: ItemScope::All,
        delete: ItemScope::All,
        receives_meeting_requests: true,
        view_private: true,
        send_on_behalf: true,
    };
}

/// The classic Outlook desktop permission levels, plus the delegate forms of Editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OutlookLevel {
    None,
    FreeBusyTime,
    FreeBusyTimeSubjectLocation,
    Reviewer,
    Editor,
    Delegate,
    DelegateWithPrivate,
    Contributor,
    NonEditingAuthor,
    Author,
    PublishingAuthor,
    PublishingEditor,
    Owner,
}

/// Graph `calendarRoleType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum GraphRole {
    None,
    FreeBusyRead,
    LimitedRead,
    Read,
    Write,
    DelegateWithoutPrivateEventAccess,
    DelegateWithPrivateEventAccess,
    Custom,
}

impl GraphRole {
    pub const ALL: [GraphRole; 8] = [
        GraphRole::None,
        GraphRole::FreeBusyRead,
        GraphRole::LimitedRead,
        GraphRole::Read,
        GraphRole::Write,
        GraphRole::DelegateWithoutPrivateEventAccess,
        GraphRole::DelegateWithPrivateEventAccess,
        GraphRole::Custom,
    ];

    /// The wire name, as Graph spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            GraphRole::None => "none",
            GraphRole::FreeBusyRead => "freeBusyRead",
            GraphRole::LimitedRead => "limitedRead",
            GraphRole::Read => "read",
            GraphRole::Write => "write",
            GraphRole::DelegateWithoutPrivateEventAccess => "delegateWithoutPrivateEventAccess",
            GraphRole::DelegateWithPrivateEventAccess => "delegateWithPrivateEventAccess",
            GraphRole::Custom => "custom",
        }
    }

    pub fn parse(s: &str) -> Option<GraphRole> {
        GraphRole::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The two delegate roles: Outlook grants Send on Behalf and meeting requests with them.
    pub fn is_delegate(self) -> bool {
        match self {
            GraphRole::DelegateWithoutPrivateEventAccess
            | GraphRole::DelegateWithPrivateEventAccess => true,
            GraphRole::None
            | GraphRole::FreeBusyRead
            | GraphRole::LimitedRead
            | GraphRole::Read
            | GraphRole::Write
            | GraphRole::Custom => false,
        }
    }

    /// The Outlook level a Graph role stands for. `custom` hides one of six classic roles,
    /// so it has no single level.
    pub fn outlook_level(self) -> Option<OutlookLevel> {
        match self {
            GraphRole::None => Some(OutlookLevel::None),
            GraphRole::FreeBusyRead => Some(OutlookLevel::FreeBusyTime),
            GraphRole::LimitedRead => Some(OutlookLevel::FreeBusyTimeSubjectLocation),
            GraphRole::Read => Some(OutlookLevel::Reviewer),
            GraphRole::Write => Some(OutlookLevel::Editor),
            GraphRole::DelegateWithoutPrivateEventAccess => Some(OutlookLevel::Delegate),
            GraphRole::DelegateWithPrivateEventAccess => Some(OutlookLevel::DelegateWithPrivate),
            GraphRole::Custom => None,
        }
    }
}

impl OutlookLevel {
    pub const ALL: [OutlookLevel; 13] = [
        OutlookLevel::None,
        OutlookLevel::FreeBusyTime,
        OutlookLevel::FreeBusyTimeSubjectLocation,
        OutlookLevel::Reviewer,
        OutlookLevel::Editor,
        OutlookLevel::Delegate,
        OutlookLevel::DelegateWithPrivate,
        OutlookLevel::Contributor,
        OutlookLevel::NonEditingAuthor,
        OutlookLevel::Author,
        OutlookLevel::PublishingAuthor,
        OutlookLevel::PublishingEditor,
        OutlookLevel::Owner,
    ];

    /// The name Outlook desktop shows.
    pub fn label(self) -> &'static str {
        match self {
            OutlookLevel::None => "None",
            OutlookLevel::FreeBusyTime => "Free/Busy time",
            OutlookLevel::FreeBusyTimeSubjectLocation => "Free/Busy time, subject, location",
            OutlookLevel::Reviewer => "Reviewer",
            OutlookLevel::Editor => "Editor",
            OutlookLevel::Delegate => "Editor + delegate",
            OutlookLevel::DelegateWithPrivate => "Editor + delegate + can see private items",
            OutlookLevel::Contributor => "Contributor",
            OutlookLevel::NonEditingAuthor => "Nonediting Author",
            OutlookLevel::Author => "Author",
            OutlookLevel::PublishingAuthor => "Publishing Author",
            OutlookLevel::PublishingEditor => "Publishing Editor",
            OutlookLevel::Owner => "Owner",
        }
    }

    /// The name Outlook on the web shows; classic roles have none.
    pub fn owa_label(self) -> Option<&'static str> {
        match self {
            OutlookLevel::None => Some("Not shared"),
            OutlookLevel::FreeBusyTime => Some("Can view when I'm busy"),
            OutlookLevel::FreeBusyTimeSubjectLocation => Some("Can view titles and locations"),
            OutlookLevel::Reviewer => Some("Can view all details"),
            OutlookLevel::Editor => Some("Can edit"),
            OutlookLevel::Delegate => Some("Delegate"),
            OutlookLevel::DelegateWithPrivate => Some("Delegate (view private)"),
            OutlookLevel::Contributor
            | OutlookLevel::NonEditingAuthor
            | OutlookLevel::Author
            | OutlookLevel::PublishingAuthor
            | OutlookLevel::PublishingEditor
            | OutlookLevel::Owner => None,
        }
    }

    pub fn graph_role(self) -> GraphRole {
        match self {
            OutlookLevel::None => GraphRole::None,
            OutlookLevel::FreeBusyTime => GraphRole::FreeBusyRead,
            OutlookLevel::FreeBusyTimeSubjectLocation => GraphRole::LimitedRead,
            OutlookLevel::Reviewer => GraphRole::Read,
            OutlookLevel::Editor => GraphRole::Write,
            OutlookLevel::Delegate => GraphRole::DelegateWithoutPrivateEventAccess,
            OutlookLevel::DelegateWithPrivate => GraphRole::DelegateWithPrivateEventAccess,
            OutlookLevel::Contributor
            | OutlookLevel::NonEditingAuthor
            | OutlookLevel::Author
            | OutlookLevel::PublishingAuthor
            | OutlookLevel::PublishingEditor
            | OutlookLevel::Owner => GraphRole::Custom,
        }
    }

    /// The rights each level grants (Exchange folder rights of the same-named role).
    pub fn rights(self) -> Rights {
        use ItemScope::{All, None as NoItems, Own};
        let r = |read, create, edit, delete| Rights {
            read,
            create,
            edit,
            delete,
            ..Rights::NONE
        };
        match self {
            OutlookLevel::None => Rights::NONE,
            OutlookLevel::FreeBusyTime => r(ReadLevel::FreeBusy, false, NoItems, NoItems),
            OutlookLevel::FreeBusyTimeSubjectLocation => {
                r(ReadLevel::TitlesAndLocations, false, NoItems, NoItems)
            }
            OutlookLevel::Reviewer => r(ReadLevel::Full, false, NoItems, NoItems),
            OutlookLevel::Editor => r(ReadLevel::Full, true, All, All),
            OutlookLevel::Delegate => Rights {
                receives_meeting_requests: true,
                send_on_behalf: true,
                ..r(ReadLevel::Full, true, All, All)
            },
            OutlookLevel::DelegateWithPrivate => Rights {
                receives_meeting_requests: true,
                send_on_behalf: true,
                view_private: true,
                ..r(ReadLevel::Full, true, All, All)
            },
            // Contributor: create items, see only free/busy.
            OutlookLevel::Contributor => r(ReadLevel::FreeBusy, true, NoItems, NoItems),
            OutlookLevel::NonEditingAuthor => r(ReadLevel::Full, true, NoItems, Own),
            OutlookLevel::Author => r(ReadLevel::Full, true, Own, Own),
            OutlookLevel::PublishingAuthor => r(ReadLevel::Full, true, Own, Own),
            OutlookLevel::PublishingEditor => r(ReadLevel::Full, true, All, All),
            OutlookLevel::Owner => r(ReadLevel::Full, true, All, All),
        }
    }
}

/// A level together with the two flags Exchange keeps beside a calendar role: "can see my
/// private items" (a delegate flag that old-style delegates hold with Reviewer or Author too)
/// and "Send on Behalf" (a mailbox right, not a calendar one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permission {
    pub level: OutlookLevel,
    pub view_private: bool,
    pub send_on_behalf: bool,
}

impl Permission {
    /// A level with the flags it implies and nothing more.
    pub fn of_level(level: OutlookLevel) -> Permission {
        let r = level.rights();
        Permission {
            level,
            view_private: r.view_private,
            send_on_behalf: r.send_on_behalf,
        }
    }

    pub fn with_private(mut self, view_private: bool) -> Permission {
        self.view_private = self.view_private || view_private;
        self
    }

    pub fn with_send_on_behalf(mut self, send_on_behalf: bool) -> Permission {
        self.send_on_behalf = self.send_on_behalf || send_on_behalf;
        self
    }

    pub fn rights(&self) -> Rights {
        Rights {
            view_private: self.view_private,
            send_on_behalf: self.send_on_behalf,
            ..self.level.rights()
        }
    }

    /// The three names, with the flags the level's own name does not already say.
    pub fn names(&self) -> PermissionNames {
        let mut names = PermissionNames::of_level(self.level);
        let implied = self.level.rights();
        if self.view_private && !implied.view_private {
            names.outlook.push_str(" + can see private items");
        }
        if self.send_on_behalf && !implied.send_on_behalf {
            names.outlook.push_str(" + send on behalf");
        }
        names
    }
}

/// The three names of one permission, as the user meets them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PermissionNames {
    /// Outlook desktop level.
    pub outlook: String,
    /// Outlook on the web label ("—" where the web has no such level).
    pub owa: String,
    /// Graph `calendarRoleType` wire name.
    pub graph: String,
}

impl PermissionNames {
    pub fn of_level(level: OutlookLevel) -> Self {
        PermissionNames {
            outlook: level.label().to_string(),
            owa: level.owa_label().unwrap_or("—").to_string(),
            graph: level.graph_role().as_str().to_string(),
        }
    }

    pub fn of_owner() -> Self {
        PermissionNames {
            outlook: "Owner (your own calendar)".to_string(),
            owa: "Owner".to_string(),
            graph: "owner".to_string(),
        }
    }
}
