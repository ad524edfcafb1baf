//! Who may do what with a record, as `UserRecordAccess` reports it and every call enforces it.
//!
//! Events: the owner (Assigned To) may do everything; users above the owner in the role
//! hierarchy may read, edit, delete and transfer ("managers can always edit events owned by
//! people who report to them"); the owner's calendar sharing gives read (Show Details and up)
//! and edit and delete (Full Access); with the activity org-wide default Private, reading a
//! related contact, lead, account, opportunity or case gives read, and with Controlled by
//! Parent access follows all related records. A private event is open to its owner and its
//! creator only: higher roles and calendar sharing do not open it.
//!
//! The demo orgs' other objects are Public Read/Write: everyone reads and edits them, owners
//! and their managers delete and transfer. Users, roles, the organization, permission sets and
//! their assignments are read only.

use super::schema::SObject;
use super::world::{CrmOrg, Record};
use crate::org::ActivitySharing;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Access {
    pub read: bool,
    pub edit: bool,
    pub delete: bool,
    pub transfer: bool,
    pub all: bool,
}

impl Access {
    const NONE: Access = Access {
        read: false,
        edit: false,
        delete: false,
        transfer: false,
        all: false,
    };
    const READ: Access = Access {
        read: true,
        ..Access::NONE
    };
    const FULL: Access = Access {
        read: true,
        edit: true,
        delete: true,
        transfer: true,
        all: true,
    };

    /// `UserRecordAccess.MaxAccessLevel`.
    pub fn max_level(self) -> &'static str {
        if self.all {
            "All"
        } else if self.transfer {
            "Transfer"
        } else if self.delete {
            "Delete"
        } else if self.edit {
            "Edit"
        } else if self.read {
            "Read"
        } else {
            "None"
        }
    }
}

/// What `user` may do with `record`.
pub(crate) fn record_access(org: &CrmOrg, user: &str, record: &Record) -> Access {
    match record.object {
        SObject::Event => event_access(org, user, record),
        SObject::Account
        | SObject::Contact
        | SObject::Lead
        | SObject::Opportunity
        | SObject::Case => {
            let owner = record.text("OwnerId").unwrap_or_default();
            if owner == user || org.is_above(user, owner) {
                Access::FULL
            } else {
                // Assumption: the demo orgs keep these objects Public Read/Write.
                Access {
                    read: true,
                    edit: true,
                    ..Access::NONE
                }
            }
        }
        // Assumption: no demo user holds "Manage Users" or "Customize Application".
        SObject::User | SObject::UserRole | SObject::Organization => Access::READ,
        // Since Summer '20 only users with "View Setup and Configuration" (or "Assign
        // Permission Sets", "Manage Users") reach these objects. Assumption: every demo user's
        // profile gives "View Setup and Configuration", and none may assign permission sets.
        SObject::PermissionSet | SObject::PermissionSetAssignment => Access::READ,
    }
}

fn event_access(org: &CrmOrg, user: &str, event: &Record) -> Access {
    let owner = event.text("OwnerId").unwrap_or_default();
    if owner == user {
        return Access::FULL;
    }
    // Assumption: the creator keeps sight of an event they added to someone else's calendar,
    // as the Event reference implies in saying private events hide details from "users other
    // than the creator".
    let creator = event.text("CreatedById") == Some(user);
    let sharing = org.calendar_access(owner, user);
    if event.flag("IsPrivate") {
        let edit = creator && sharing.edits_events();
        return Access {
            read: creator,
            edit,
            delete: edit,
            ..Access::NONE
        };
    }
    let above = org.is_above(user, owner);
    let parents: Vec<Access> = ["WhoId", "WhatId"]
        .into_iter()
        .filter_map(|f| event.text(f))
        .filter_map(|id| org.live(id))
        .map(|parent| record_access(org, user, parent))
        .collect();
    let (parent_read, parent_edit) = match org.settings.activity_sharing {
        ActivitySharing::Private => (parents.iter().any(|a| a.read), false),
        ActivitySharing::ControlledByParent => (
            !parents.is_empty() && parents.iter().all(|a| a.read),
            !parents.is_empty() && parents.iter().all(|a| a.edit),
        ),
    };
    let edit = above || sharing.edits_events() || parent_edit;
    Access {
        read: edit || sharing.shows_details() || creator || parent_read,
        edit,
        delete: edit,
        transfer: above,
        all: above,
    }
}

/// Whether `user` may create events owned by `owner`, or give them one: themselves, a
/// manager above them, or calendar sharing with "Add Events".
pub(crate) fn may_add_events_for(org: &CrmOrg, user: &str, owner: &str) -> bool {
    // Assumption: a manager may add events to a report's calendar, as they may edit them.
    owner == user || org.is_above(user, owner) || org.calendar_access(owner, user).adds_events()
}
