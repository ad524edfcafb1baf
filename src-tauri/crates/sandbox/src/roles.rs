//! Exchange folder permission roles, as Exchange stores a calendar grant, and what each one lets
//! the grantee do. Graph shows these through the coarser `calendarRoleType`.

use serde::{Deserialize, Serialize};

/// A calendar folder role as Exchange keeps it (`Add-MailboxFolderPermission -AccessRights`,
/// with the delegate `SharingPermissionFlags` folded into the two delegate forms of Editor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ExchangeRole {
    None,
    AvailabilityOnly,
    LimitedDetails,
    Reviewer,
    Editor,
    /// Editor with `SharingPermissionFlags Delegate`.
    EditorDelegate,
    /// Editor with `SharingPermissionFlags Delegate,CanViewPrivateItems`.
    EditorDelegatePrivate,
    Author,
    NonEditingAuthor,
    Contributor,
    PublishingAuthor,
    PublishingEditor,
    Owner,
}

/// How much of an item a role shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ReadAccess {
    None,
    FreeBusy,
    Limited,
    Full,
}

/// Which items a write right covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemScope {
    None,
    Own,
    All,
}

/// The folder rights behind a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FolderRights {
    pub read: ReadAccess,
    pub create: bool,
    pub edit: ItemScope,
    pub delete: ItemScope,
    pub private: bool,
}

impl FolderRights {
    /// The owner of a calendar: everything.
    pub const OWNER: FolderRights = FolderRights {
        read: ReadAccess::Full,
        create: true,
        edit: ItemScope::All,
        delete: ItemScope::All,
        private: true,
    };
}

impl ExchangeRole {
    /// Graph `calendarRoleType` wire name; the six classic roles all read as `custom`.
    pub fn graph_role(self) -> &'static str {
        match self {
            ExchangeRole::None => "none",
            ExchangeRole::AvailabilityOnly => "freeBusyRead",
            ExchangeRole::LimitedDetails => "limitedRead",
            ExchangeRole::Reviewer => "read",
            ExchangeRole::Editor => "write",
            ExchangeRole::EditorDelegate => "delegateWithoutPrivateEventAccess",
            ExchangeRole::EditorDelegatePrivate => "delegateWithPrivateEventAccess",
            ExchangeRole::Author
            | ExchangeRole::NonEditingAuthor
            | ExchangeRole::Contributor
            | ExchangeRole::PublishingAuthor
            | ExchangeRole::PublishingEditor
            | ExchangeRole::Owner => "custom",
        }
    }

    /// The role a Graph `calendarRoleType` sets; `custom` names no single role, so it cannot
    /// be set through Graph.
    pub fn from_graph_role(role: &str) -> Option<ExchangeRole> {
        match role {
            "none" => Some(ExchangeRole::None),
            "freeBusyRead" => Some(ExchangeRole::AvailabilityOnly),
            "limitedRead" => Some(ExchangeRole::LimitedDetails),
            "read" => Some(ExchangeRole::Reviewer),
            "write" => Some(ExchangeRole::Editor),
            "delegateWithoutPrivateEventAccess" => Some(ExchangeRole::EditorDelegate),
            "delegateWithPrivateEventAccess" => Some(ExchangeRole::EditorDelegatePrivate),
            _ => None,
        }
    }

    /// The permission level as Outlook desktop names it.
    pub fn outlook_level(self) -> &'static str {
        match self {
            ExchangeRole::None => "None",
            ExchangeRole::AvailabilityOnly => "Free/Busy time",
            ExchangeRole::LimitedDetails => "Free/Busy time, subject, location",
            ExchangeRole::Reviewer => "Reviewer",
            ExchangeRole::Editor => "Editor",
            ExchangeRole::EditorDelegate => "Editor + delegate",
            ExchangeRole::EditorDelegatePrivate => "Editor + delegate + can see private items",
            ExchangeRole::Author => "Author",
            ExchangeRole::NonEditingAuthor => "Nonediting Author",
            ExchangeRole::Contributor => "Contributor",
            ExchangeRole::PublishingAuthor => "Publishing Author",
            ExchangeRole::PublishingEditor => "Publishing Editor",
            ExchangeRole::Owner => "Owner",
        }
    }

    /// The Exchange `AccessRights` value (with delegate flags where they apply).
    pub fn exchange_name(self) -> &'static str {
        match self {
            ExchangeRole::None => "None",
            ExchangeRole::AvailabilityOnly => "AvailabilityOnly",
            ExchangeRole::LimitedDetails => "LimitedDetails",
            ExchangeRole::Reviewer => "Reviewer",
            ExchangeRole::Editor => "Editor",
            ExchangeRole::EditorDelegate => "Editor (Delegate)",
            ExchangeRole::EditorDelegatePrivate => "Editor (Delegate, CanViewPrivateItems)",
            ExchangeRole::Author => "Author",
            ExchangeRole::NonEditingAuthor => "NonEditingAuthor",
            ExchangeRole::Contributor => "Contributor",
            ExchangeRole::PublishingAuthor => "PublishingAuthor",
            ExchangeRole::PublishingEditor => "PublishingEditor",
            ExchangeRole::Owner => "Owner",
        }
    }

    pub(crate) fn rights(self) -> FolderRights {
        use ItemScope::{All, None as NoItems, Own};
        let r = |read, create, edit, delete| FolderRights {
            read,
            create,
            edit,
            delete,
            private: false,
        };
        match self {
            ExchangeRole::None => r(ReadAccess::None, false, NoItems, NoItems),
            ExchangeRole::AvailabilityOnly => r(ReadAccess::FreeBusy, false, NoItems, NoItems),
            ExchangeRole::LimitedDetails => r(ReadAccess::Limited, false, NoItems, NoItems),
            ExchangeRole::Reviewer => r(ReadAccess::Full, false, NoItems, NoItems),
            ExchangeRole::Editor | ExchangeRole::EditorDelegate => {
                r(ReadAccess::Full, true, All, All)
            }
            ExchangeRole::EditorDelegatePrivate => FolderRights {
                private: true,
                ..r(ReadAccess::Full, true, All, All)
            },
            ExchangeRole::Author | ExchangeRole::PublishingAuthor => {
                r(ReadAccess::Full, true, Own, Own)
            }
            ExchangeRole::NonEditingAuthor => r(ReadAccess::Full, true, NoItems, Own),
            // Contributor may add items but sees only free/busy.
            ExchangeRole::Contributor => r(ReadAccess::FreeBusy, true, NoItems, NoItems),
            ExchangeRole::PublishingEditor | ExchangeRole::Owner => {
                r(ReadAccess::Full, true, All, All)
            }
        }
    }

    /// The rights of a grant of this role that may also carry Exchange's delegate flag
    /// `CanViewPrivateItems`. Exchange keeps the flag beside the role, so an old-style delegate
    /// can hold Reviewer (or Author) and still read private items.
    pub(crate) fn rights_with(self, view_private: bool) -> FolderRights {
        let rights = self.rights();
        FolderRights {
            private: rights.private || view_private,
            ..rights
        }
    }

    /// Graph `canEdit` for a holder of this role. The calendar resource documents it as "true if
    /// the user can write to the calendar", true for the calendar's creator and for a sharee
    /// "granted write access". Assumption: write access means editing at least one's own items
    /// (Author, Publishing Author and every role above them); Contributor (create only) and
    /// Nonediting Author (create, delete own, never edit) cannot change any item and read
    /// `false`, whatever they may add.
    pub fn can_edit(self) -> bool {
        self.rights().edit != ItemScope::None
    }

    /// Whether the role is one of Outlook's delegate forms. Adding a delegate in Outlook also
    /// grants them Send on Behalf of the owner's mailbox.
    pub fn is_delegate(self) -> bool {
        matches!(
            self,
            ExchangeRole::EditorDelegate | ExchangeRole::EditorDelegatePrivate
        )
    }

    /// Graph `canViewPrivateItems` for a grant of this role with or without the delegate flag.
    pub fn can_view_private_items(self, view_private: bool) -> bool {
        self.rights_with(view_private).private
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_roles_read_as_custom_and_cannot_be_set_through_graph() {
        for role in [
            ExchangeRole::Author,
            ExchangeRole::NonEditingAuthor,
            ExchangeRole::Contributor,
            ExchangeRole::PublishingAuthor,
            ExchangeRole::PublishingEditor,
            ExchangeRole::Owner,
        ] {
            assert_eq!(role.graph_role(), "custom");
        }
        assert_eq!(ExchangeRole::from_graph_role("custom"), None);
        assert_eq!(
            ExchangeRole::from_graph_role("delegateWithPrivateEventAccess"),
            Some(ExchangeRole::EditorDelegatePrivate)
        );
    }

    #[test]
    fn only_the_private_delegate_sees_private_items() {
        let private: Vec<_> = [
            ExchangeRole::Reviewer,
            ExchangeRole::Editor,
            ExchangeRole::EditorDelegate,
            ExchangeRole::EditorDelegatePrivate,
            ExchangeRole::Author,
        ]
        .into_iter()
        .filter(|r| r.can_view_private_items(false))
        .collect();
        assert_eq!(private, vec![ExchangeRole::EditorDelegatePrivate]);
        assert!(ExchangeRole::Reviewer.can_view_private_items(true));
    }

    #[test]
    fn can_edit_means_editing_at_least_ones_own_items() {
        let editing: Vec<_> = [
            ExchangeRole::Reviewer,
            ExchangeRole::Contributor,
            ExchangeRole::NonEditingAuthor,
            ExchangeRole::Author,
            ExchangeRole::PublishingAuthor,
            ExchangeRole::Editor,
            ExchangeRole::EditorDelegate,
            ExchangeRole::PublishingEditor,
            ExchangeRole::Owner,
        ]
        .into_iter()
        .filter(|r| r.can_edit())
        .collect();
        assert_eq!(
            editing,
            vec![
                ExchangeRole::Author,
                ExchangeRole::PublishingAuthor,
                ExchangeRole::Editor,
                ExchangeRole::EditorDelegate,
                ExchangeRole::PublishingEditor,
                ExchangeRole::Owner,
            ]
        );
        assert!(ExchangeRole::Contributor.rights().create);
    }
}
