//! The Contoso demo organisation as data: who is in it, which calendars exist, who was granted
//! what, and from that what each user can reach; the directory's groups and who is in them;
//! and on the CRM side (see `crm`) the Salesforce orgs, each person's CRM user, the permission
//! sets assigned to them and the executive's calendar sharing. The seed is built from
//! this, and scenario tests compare what the app shows against it, so it is the single
//! description of the demo.

mod crm;
mod groups;

use serde::{Deserialize, Serialize};

pub use crm::{
    ActivitySharing, CalendarAccess, DemoCalendarShare, DemoCrmOrg, DemoCrmUser, DemoPermissionSet,
    DemoRole,
};
pub use groups::DemoGroup;

use crate::roles::ExchangeRole;
use crate::TENANT_ID;

/// The demo organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoOrg {
    pub tenant_id: String,
    pub tenant_name: String,
    pub domain: String,
    pub users: Vec<DemoUser>,
    pub calendars: Vec<DemoCalendar>,
    /// The directory's groups (Microsoft Entra ID), nested ones included.
    pub groups: Vec<DemoGroup>,
    /// The Salesforce orgs, Contoso's first.
    pub crm_orgs: Vec<DemoCrmOrg>,
    /// Salesforce calendar sharing beyond each org's default.
    pub calendar_sharing: Vec<DemoCalendarShare>,
}

/// A person in the demo organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoUser {
    /// Directory object id (`oid`, Graph `id`).
    pub id: String,
    pub address: String,
    pub display_name: String,
    pub given_name: String,
    pub surname: String,
    pub job_title: String,
    /// The part this user plays in the demo, as the sign-in page shows it.
    pub story: String,
    /// Exchange's "Send on Behalf" list of this user's mailbox (`GrantSendOnBehalfTo`): who may
    /// send mail on this user's behalf. Graph does not show it.
    pub send_on_behalf_to: Vec<String>,
    /// Every calendar this user can reach, own ones first.
    pub reachable: Vec<ReachableCalendar>,
    /// The user's CRM user (same e-mail address) and the org it is in.
    pub crm: DemoCrmUser,
}

/// A calendar folder and who it is shared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoCalendar {
    /// Owner's address.
    pub owner: String,
    /// The folder's own name.
    pub name: String,
    pub is_default: bool,
    /// The "My Organization" role; only primary calendars have one.
    pub organization_role: Option<ExchangeRole>,
    pub grants: Vec<DemoGrant>,
    /// Whether the owner's own Onbehalf has published its status record on this calendar.
    pub has_status_record: bool,
}

/// One grant on a calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoGrant {
    pub grantee: String,
    pub role: ExchangeRole,
    /// Exchange's delegate flag `CanViewPrivateItems` held beside `role`, as an old-style
    /// delegate with Reviewer has it. The delegate forms of Editor carry it in the role itself
    /// ([`ExchangeRole::EditorDelegatePrivate`]).
    pub can_view_private_items: bool,
}

/// How a user reaches a calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// Their own calendar.
    Own,
    /// A grant naming them; the calendar is in their `/me/calendars`.
    Grant,
    /// Only the owner's "My Organization" default; reachable by probing
    /// `/users/{owner}/calendar`, not listed in `/me/calendars`.
    Organization,
}

/// One calendar a user can reach, with what Graph tells them about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReachableCalendar {
    pub owner: String,
    pub owner_name: String,
    /// The folder's own name.
    pub calendar: String,
    pub is_owner_default: bool,
    pub via: Reach,
    /// The role held; `Owner` for the user's own calendars.
    pub role: ExchangeRole,
    /// Graph `calendarRoleType`; `None` for the user's own calendars.
    pub graph_role: Option<String>,
    /// Outlook desktop's name of the level.
    pub outlook_level: String,
    pub in_my_calendars: bool,
    /// The `name` this calendar has in the user's `/me/calendars`.
    pub name_in_my_calendars: Option<String>,
    pub can_edit: bool,
    pub can_view_private_items: bool,
    /// Whether this user may send mail on behalf of the calendar's owner: named in the owner's
    /// Send on Behalf list, or holding a delegate role (Outlook grants it with the role).
    pub send_on_behalf: bool,
    pub owner_has_status_record: bool,
}

struct Person {
    id: &'static str,
    local: &'static str,
    given: &'static str,
    surname: &'static str,
    title: &'static str,
    story: &'static str,
}

const DOMAIN: &str = "contoso.com";

const PEOPLE: &[Person] = &[
    Person {
        id: "5f0c7c1e-3c3a-4a53-9d1b-0b8a4f6c2e01",
        local: "olivia.grant",
        given: "Olivia",
        surname: "Grant",
        title: "Chief Executive",
        story: "The executive",
    },
    Person {
        id: "8a2d4b6f-1e3c-4d5a-8b7c-9e0f1a2b3c02",
        local: "daniel.reyes",
        given: "Daniel",
        surname: "Reyes",
        title: "Executive Assistant",
        story: "Delegate with private items",
    },
    Person {
        id: "2b4c6d8e-0f1a-4b3c-9d5e-7f8a9b0c1d03",
        local: "emma.chen",
        given: "Emma",
        surname: "Chen",
        title: "Chief of Staff",
        story: "Editor",
    },
    Person {
        id: "9c1d3e5f-7a9b-4c1d-8e3f-5a7b9c1d3e04",
        local: "aaron.patel",
        given: "Aaron",
        surname: "Patel",
        title: "Office Coordinator",
        story: "Author (classic role)",
    },
    Person {
        id: "4d6e8f0a-2b4c-4d6e-9f0a-2b4c6d8e0f05",
        local: "rita.novak",
        given: "Rita",
        surname: "Novak",
        title: "Communications Manager",
        story: "Reviewer",
    },
    Person {
        id: "6e8f0a2b-4c6d-4e8f-8a2b-4c6d8e0f2a06",
        local: "felix.braun",
        given: "Felix",
        surname: "Braun",
        title: "Facilities Manager",
        story: "Free/busy only",
    },
    Person {
        id: "1a3b5c7d-9e1f-4a3b-8c5d-7e9f1a3b5c07",
        local: "carla.mendes",
        given: "Carla",
        surname: "Mendes",
        title: "Account Director",
        story: "Colleague",
    },
    Person {
        id: "3c5d7e9f-1a3b-4c5d-9e7f-9a1b3c5d7e08",
        local: "noah.lind",
        given: "Noah",
        surname: "Lind",
        title: "Sales Associate",
        story: "Nothing shared",
    },
    Person {
        id: "7a9b1c3d-5e7f-4a9b-8c1d-3e5f7a9b1c09",
        local: "hannah.schmidt",
        given: "Hannah",
        surname: "Schmidt",
        title: "Personal Assistant",
        story: "Reviewer who can see private items (old-style delegate)",
    },
    Person {
        id: "0b2c4d6e-8f0a-4b2c-9d4e-6f8a0b2c4d10",
        local: "marcus.webb",
        given: "Marcus",
        surname: "Webb",
        title: "Receptionist",
        story: "Contributor (classic role): adds items, sees free/busy only",
    },
    Person {
        id: "c3d5e7f9-1b3d-4e5f-8a7b-9c1d3e5f7a11",
        local: "priya.raman",
        given: "Priya",
        surname: "Raman",
        title: "Travel Coordinator",
        story: "Nonediting Author (classic role): reads and adds items, deletes only her own",
    },
    Person {
        id: "e5f7a9b1-3d5f-4a7b-9c9d-1e3f5a7b9c12",
        local: "lucas.moreau",
        given: "Lucas",
        surname: "Moreau",
        title: "Speechwriter",
        story: "Send on behalf only, no calendar access",
    },
    Person {
        id: "f7a9b1c3-5e7a-4b9c-8d1e-3f5a7b9c1d13",
        local: "ines.duarte",
        given: "Ines",
        surname: "Duarte",
        title: "Board Liaison",
        story: "Reviewer with send on behalf",
    },
];

fn address(local: &str) -> String {
    format!("{local}@{DOMAIN}")
}

/// Who may send on behalf of whom (`GrantSendOnBehalfTo`): (mailbox, grantees). Daniel is
/// listed because Outlook adds a delegate to the list when it makes them a delegate.
const SEND_ON_BEHALF: &[(&str, &[&str])] = &[(
    "olivia.grant",
    &["daniel.reyes", "lucas.moreau", "ines.duarte"],
)];

/// The demo organisation, with each user's reachable calendars worked out from the grants.
pub fn demo_org() -> DemoOrg {
    let olivia = address("olivia.grant");
    let carla = address("carla.mendes");
    let grant = |local: &str, role| DemoGrant {
        grantee: address(local),
        role,
        can_view_private_items: false,
    };
    let private_grant = |local: &str, role| DemoGrant {
        can_view_private_items: true,
        ..grant(local, role)
    };
    let mut calendars: Vec<DemoCalendar> = PEOPLE
        .iter()
        .map(|p| DemoCalendar {
            owner: address(p.local),
            name: "Calendar".to_string(),
            is_default: true,
            organization_role: Some(ExchangeRole::AvailabilityOnly),
            grants: Vec::new(),
            has_status_record: false,
        })
        .collect();
    if let Some(primary) = calendars.iter_mut().find(|c| c.owner == olivia) {
        primary.has_status_record = true;
        primary.grants = vec![
            grant("daniel.reyes", ExchangeRole::EditorDelegatePrivate),
            grant("emma.chen", ExchangeRole::Editor),
            grant("aaron.patel", ExchangeRole::Author),
            grant("rita.novak", ExchangeRole::Reviewer),
            grant("felix.braun", ExchangeRole::AvailabilityOnly),
            private_grant("hannah.schmidt", ExchangeRole::Reviewer),
            grant("marcus.webb", ExchangeRole::Contributor),
            grant("priya.raman", ExchangeRole::NonEditingAuthor),
            grant("ines.duarte", ExchangeRole::Reviewer),
        ];
    }
    calendars.push(DemoCalendar {
        owner: carla,
        name: "Customer Visits".to_string(),
        is_default: false,
        organization_role: None,
        grants: vec![
            grant("daniel.reyes", ExchangeRole::Reviewer),
            grant("emma.chen", ExchangeRole::Editor),
        ],
        has_status_record: false,
    });

    let users = PEOPLE
        .iter()
        .map(|p| {
            let address = address(p.local);
            let reachable = reachable(&address, &calendars);
            DemoUser {
                crm: crm::crm_user(p.local, &address),
                send_on_behalf_to: send_on_behalf_to(&address),
                id: p.id.to_string(),
                display_name: format!("{} {}", p.given, p.surname),
                given_name: p.given.to_string(),
                surname: p.surname.to_string(),
                job_title: p.title.to_string(),
                story: p.story.to_string(),
                address,
                reachable,
            }
        })
        .collect();
    DemoOrg {
        tenant_id: TENANT_ID.to_string(),
        tenant_name: "Contoso".to_string(),
        domain: DOMAIN.to_string(),
        users,
        calendars,
        groups: groups::groups(),
        crm_orgs: crm::crm_orgs(),
        calendar_sharing: crm::calendar_sharing(address),
    }
}

/// The Send on Behalf list of a mailbox.
fn send_on_behalf_to(mailbox: &str) -> Vec<String> {
    SEND_ON_BEHALF
        .iter()
        .filter(|(owner, _)| address(owner) == mailbox)
        .flat_map(|(_, grantees)| grantees.iter().map(|g| address(g)))
        .collect()
}

fn display_name_of(address: &str) -> String {
    PEOPLE
        .iter()
        .find(|p| self::address(p.local) == address)
        .map(|p| format!("{} {}", p.given, p.surname))
        .unwrap_or_else(|| address.to_string())
}

fn reachable(user: &str, calendars: &[DemoCalendar]) -> Vec<ReachableCalendar> {
    let entry = |cal: &DemoCalendar, via: Reach, role: ExchangeRole, private_flag: bool| {
        let owner_name = display_name_of(&cal.owner);
        let name_in_my_calendars = match via {
            Reach::Own => Some(cal.name.clone()),
            // A shared primary calendar is named after its owner in the sharee's list.
            Reach::Grant if cal.is_default => Some(owner_name.clone()),
            Reach::Grant => Some(cal.name.clone()),
            Reach::Organization => None,
        };
        ReachableCalendar {
            owner: cal.owner.clone(),
            owner_name,
            calendar: cal.name.clone(),
            is_owner_default: cal.is_default,
            via,
            role,
            graph_role: match via {
                Reach::Own => None,
                Reach::Grant | Reach::Organization => Some(role.graph_role().to_string()),
            },
            outlook_level: role.outlook_level().to_string(),
            in_my_calendars: via != Reach::Organization,
            name_in_my_calendars,
            can_edit: via == Reach::Own || role.can_edit(),
            // Owning a calendar includes its private items; a granted Owner role does not.
            can_view_private_items: via == Reach::Own || role.can_view_private_items(private_flag),
            send_on_behalf: via != Reach::Own
                && (role.is_delegate() || send_on_behalf_to(&cal.owner).iter().any(|a| a == user)),
            owner_has_status_record: calendars
                .iter()
                .any(|c| c.owner == cal.owner && c.is_default && c.has_status_record),
        }
    };
    let own = calendars
        .iter()
        .filter(|c| c.owner == user)
        .map(|c| entry(c, Reach::Own, ExchangeRole::Owner, false));
    let granted = calendars.iter().filter_map(|c| {
        c.grants
            .iter()
            .find(|g| g.grantee == user)
            .map(|g| entry(c, Reach::Grant, g.role, g.can_view_private_items))
    });
    let organization = calendars.iter().filter_map(|c| {
        let explicit = c.grants.iter().any(|g| g.grantee == user);
        match (c.owner == user, explicit, c.organization_role) {
            (false, false, Some(role)) if role != ExchangeRole::None => {
                Some(entry(c, Reach::Organization, role, false))
            }
            _ => None,
        }
    });
    own.chain(granted).chain(organization).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_assistant_reaches_the_executive_with_their_role() {
        let org = demo_org();
        let role_of = |user: &str| {
            org.users
                .iter()
                .find(|u| u.address == user)
                .and_then(|u| {
                    u.reachable
                        .iter()
                        .find(|r| r.owner == "olivia.grant@contoso.com")
                })
                .map(|r| {
                    (
                        r.graph_role.clone(),
                        r.in_my_calendars,
                        r.can_view_private_items,
                    )
                })
        };
        assert_eq!(
            role_of("daniel.reyes@contoso.com"),
            Some((Some("delegateWithPrivateEventAccess".into()), true, true))
        );
        assert_eq!(
            role_of("aaron.patel@contoso.com"),
            Some((Some("custom".into()), true, false))
        );
        assert_eq!(
            role_of("noah.lind@contoso.com"),
            Some((Some("freeBusyRead".into()), false, false))
        );
    }

    fn olivia_as_seen_by(org: &DemoOrg, user: &str) -> ReachableCalendar {
        org.users
            .iter()
            .find(|u| u.address == user)
            .and_then(|u| {
                u.reachable
                    .iter()
                    .find(|r| r.owner == "olivia.grant@contoso.com" && r.is_owner_default)
            })
            .cloned()
            .unwrap_or_else(|| panic!("{user} reaches Olivia's calendar"))
    }

    #[test]
    fn the_classic_roles_and_send_on_behalf_show_as_graph_and_exchange_do() {
        let org = demo_org();
        let hannah = olivia_as_seen_by(&org, "hannah.schmidt@contoso.com");
        assert_eq!(hannah.graph_role.as_deref(), Some("read"));
        assert!(hannah.can_view_private_items && !hannah.can_edit && !hannah.send_on_behalf);

        for user in ["marcus.webb@contoso.com", "priya.raman@contoso.com"] {
            let r = olivia_as_seen_by(&org, user);
            assert_eq!(r.graph_role.as_deref(), Some("custom"), "{user}");
            assert!(!r.can_edit && !r.can_view_private_items, "{user}");
        }
        assert!(
            olivia_as_seen_by(&org, "aaron.patel@contoso.com").can_edit,
            "an Author edits their own items"
        );

        let lucas = olivia_as_seen_by(&org, "lucas.moreau@contoso.com");
        assert_eq!(lucas.via, Reach::Organization);
        assert_eq!(lucas.graph_role.as_deref(), Some("freeBusyRead"));
        assert!(lucas.send_on_behalf && !lucas.in_my_calendars);

        let ines = olivia_as_seen_by(&org, "ines.duarte@contoso.com");
        assert_eq!(ines.graph_role.as_deref(), Some("read"));
        assert!(ines.send_on_behalf && !ines.can_edit);
        assert!(olivia_as_seen_by(&org, "daniel.reyes@contoso.com").send_on_behalf);
        assert!(!olivia_as_seen_by(&org, "rita.novak@contoso.com").send_on_behalf);

        let olivia = org
            .users
            .iter()
            .find(|u| u.address == "olivia.grant@contoso.com")
            .map(|u| u.send_on_behalf_to.clone());
        assert_eq!(
            olivia,
            Some(vec![
                "daniel.reyes@contoso.com".to_string(),
                "lucas.moreau@contoso.com".to_string(),
                "ines.duarte@contoso.com".to_string(),
            ])
        );
    }

    #[test]
    fn memberships_are_direct_or_through_a_nested_group() {
        let org = demo_org();
        let names = |user: &str, transitive: bool| -> Vec<String> {
            org.groups_of(&address(user), transitive)
                .into_iter()
                .map(|g| g.display_name.clone())
                .collect()
        };
        assert_eq!(names("daniel.reyes", false), ["Executive Assistants"]);
        assert_eq!(
            names("daniel.reyes", true),
            ["Executive Assistants", "All Staff"]
        );
        assert_eq!(names("carla.mendes", true), ["Sales", "All Staff"]);
        assert_eq!(names("olivia.grant", true), ["All Staff"]);
        for g in &org.groups {
            for m in &g.members {
                assert!(
                    org.users.iter().any(|u| &u.address == m),
                    "{m} is a demo user"
                );
            }
        }
    }

    #[test]
    fn a_shared_primary_calendar_is_named_after_its_owner() {
        let org = demo_org();
        let emma = org
            .users
            .iter()
            .find(|u| u.given_name == "Emma")
            .expect("Emma is in the demo");
        let names: Vec<_> = emma
            .reachable
            .iter()
            .filter_map(|r| r.name_in_my_calendars.clone())
            .collect();
        assert_eq!(names, vec!["Calendar", "Olivia Grant", "Customer Visits"]);
    }
}
