//! The demo directory's groups and who is in them, nested groups included.

use serde::{Deserialize, Serialize};

use super::{address, DemoOrg};

/// A group of the directory. Groups that hold other groups are security groups: Microsoft 365
/// groups cannot be nested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoGroup {
    /// Directory object id (Graph `id`).
    pub id: String,
    pub display_name: String,
    pub description: String,
    /// The group's address; `None` for a security group that is not mail-enabled.
    pub mail: Option<String>,
    pub mail_enabled: bool,
    pub security_enabled: bool,
    /// The users who are direct members (addresses).
    pub members: Vec<String>,
    /// The groups that are direct members (ids).
    pub member_groups: Vec<String>,
}

impl crate::nesting::Nested for DemoGroup {
    fn id(&self) -> &str {
        &self.id
    }
    fn members(&self) -> &[String] {
        &self.members
    }
    fn member_groups(&self) -> &[String] {
        &self.member_groups
    }
}

impl DemoOrg {
    /// The groups `address` is a direct member of, or (`transitive`) a member of directly or
    /// through groups nested in them, in the order of [`DemoOrg::groups`].
    pub fn groups_of(&self, address: &str, transitive: bool) -> Vec<&DemoGroup> {
        crate::nesting::groups_holding(&self.groups, address, transitive)
    }
}

struct GroupSpec {
    id: &'static str,
    name: &'static str,
    description: &'static str,
    /// The local part of its address, for a mail-enabled group.
    mail: Option<&'static str>,
    members: &'static [&'static str],
    /// The ids of groups that are members.
    member_groups: &'static [&'static str],
}

const EXECUTIVE_ASSISTANTS: &str = "0e6f3a2d-8b1c-4f5e-9a7d-2c4b6e8f1a31";
const SALES: &str = "5b7d9f1a-3c5e-4a7b-8d9f-1b3d5f7a9c32";
const ALL_STAFF: &str = "a1c3e5f7-9b2d-4c6e-8f0a-3d5f7b9c1e33";

/// The directory's groups: two mail-enabled security groups, and a security group holding
/// both (so that some memberships are only transitive) and a few people directly.
const GROUPS: &[GroupSpec] = &[
    GroupSpec {
        id: EXECUTIVE_ASSISTANTS,
        name: "Executive Assistants",
        description: "Everyone who works in the executive's calendar or mail",
        mail: Some("executive-assistants"),
        members: &[
            "daniel.reyes",
            "emma.chen",
            "aaron.patel",
            "priya.raman",
            "marcus.webb",
            "hannah.schmidt",
            "ines.duarte",
            "lucas.moreau",
        ],
        member_groups: &[],
    },
    GroupSpec {
        id: SALES,
        name: "Sales",
        description: "Account management and sales",
        mail: Some("sales"),
        members: &["carla.mendes", "noah.lind"],
        member_groups: &[],
    },
    GroupSpec {
        id: ALL_STAFF,
        name: "All Staff",
        description: "Everyone at Contoso",
        mail: None,
        members: &["olivia.grant", "rita.novak", "felix.braun"],
        member_groups: &[EXECUTIVE_ASSISTANTS, SALES],
    },
];

pub(super) fn groups() -> Vec<DemoGroup> {
    GROUPS
        .iter()
        .map(|g| DemoGroup {
            id: g.id.to_string(),
            display_name: g.name.to_string(),
            description: g.description.to_string(),
            mail: g.mail.map(address),
            mail_enabled: g.mail.is_some(),
            security_enabled: true,
            members: g.members.iter().map(|m| address(m)).collect(),
            member_groups: g.member_groups.iter().map(|m| m.to_string()).collect(),
        })
        .collect()
}
