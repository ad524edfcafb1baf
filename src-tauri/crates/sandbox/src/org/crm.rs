//! The CRM side of the demo: Contoso's Salesforce org (and the subsidiary org one person still
//! lives in), each demo person's CRM user, the role hierarchy, and how the executive shares her
//! Salesforce calendar. The CRM seed is built from this alone.
//!
//! The role hierarchy puts Olivia Grant (Chief Executive) at the top, Emma Chen (Chief of
//! Staff) under her and the assistants and office staff under Emma; communications and sales
//! report to Olivia directly. So no assistant is above Olivia: whatever they may do on her
//! calendar comes from her calendar sharing alone. Olivia, being above everyone, may edit
//! everyone's events (but not open their private ones), and Emma may edit the assistants'.

use serde::{Deserialize, Serialize};

use crate::salesforce::ids;

/// A Salesforce calendar sharing level: what others see of a user's calendar and whether they
/// may add or change events on it. The org-wide default is the floor; a user can only widen it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CalendarAccess {
    HideDetails,
    HideDetailsAndAddEvents,
    ShowDetails,
    ShowDetailsAndAddEvents,
    FullAccess,
}

impl CalendarAccess {
    /// The name Salesforce Setup shows.
    pub fn label(self) -> &'static str {
        match self {
            CalendarAccess::HideDetails => "Hide Details",
            CalendarAccess::HideDetailsAndAddEvents => "Hide Details and Add Events",
            CalendarAccess::ShowDetails => "Show Details",
            CalendarAccess::ShowDetailsAndAddEvents => "Show Details and Add Events",
            CalendarAccess::FullAccess => "Full Access",
        }
    }

    /// Whether the events' details (subject, description, links) can be read.
    pub fn shows_details(self) -> bool {
        match self {
            CalendarAccess::HideDetails | CalendarAccess::HideDetailsAndAddEvents => false,
            CalendarAccess::ShowDetails
            | CalendarAccess::ShowDetailsAndAddEvents
            | CalendarAccess::FullAccess => true,
        }
    }

    /// Whether events owned by the calendar's user may be created.
    pub fn adds_events(self) -> bool {
        match self {
            CalendarAccess::HideDetails | CalendarAccess::ShowDetails => false,
            CalendarAccess::HideDetailsAndAddEvents
            | CalendarAccess::ShowDetailsAndAddEvents
            | CalendarAccess::FullAccess => true,
        }
    }

    /// Whether existing events may be edited and deleted.
    pub fn edits_events(self) -> bool {
        self == CalendarAccess::FullAccess
    }
}

/// The org-wide default for activities (Setup › Sharing Settings), which has only two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActivitySharing {
    /// Only the owner and users above them in the role hierarchy edit and delete an activity;
    /// users who can read a related record can read it.
    Private,
    /// Access follows every related record; an activity related to none stays private.
    ControlledByParent,
}

/// A Salesforce org of the demo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoCrmOrg {
    /// The organization id (`00D...`, 18 characters).
    pub id: String,
    pub name: String,
    /// Two characters of the org's pod, found in every record id it issues.
    pub pod: String,
    /// Setup › Activity Settings › "Enable Multiday Events".
    pub multiday_events: bool,
    /// Onbehalf's CRM package is installed, so Event has the `Onbehalf_Exchange_Id__c` external
    /// id.
    #[serde(default = "installed")]
    pub exchange_id_field: bool,
    pub activity_sharing: ActivitySharing,
    /// The org-wide default for calendars.
    pub calendar_default: CalendarAccess,
    /// The daily (rolling 24 hours) API request allocation.
    pub daily_api_requests: u64,
    /// The role hierarchy, parents before children.
    pub roles: Vec<DemoRole>,
    /// The time zone its users are set to (`TimeZoneSidKey`).
    pub time_zone: String,
    /// Its permission sets: the one its users' profile owns (assigned to each of them) and
    /// those an administrator made.
    #[serde(default)]
    pub permission_sets: Vec<DemoPermissionSet>,
}

/// A Salesforce permission set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoPermissionSet {
    /// `0PS...`
    pub id: String,
    /// The API name (`Name`).
    pub name: String,
    pub label: String,
    pub description: Option<String>,
    /// Owned by a profile (`IsOwnedByProfile`): it holds the profile's own permissions.
    pub is_owned_by_profile: bool,
}

fn installed() -> bool {
    true
}

/// A role of an org's role hierarchy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoRole {
    /// `00E...`
    pub id: String,
    pub name: String,
    pub parent: Option<String>,
}

/// A demo person's CRM user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoCrmUser {
    /// The org the user belongs to.
    pub org_id: String,
    /// `005...`, 18 characters.
    pub user_id: String,
    /// The Salesforce username; the same as the e-mail address in this demo.
    pub username: String,
    pub role_id: String,
    /// The part this user plays on the CRM side, as the Salesforce sign-in page shows it.
    pub story: String,
    /// The API names of the permission sets an administrator assigned to the user (the one
    /// their profile owns is not among them).
    #[serde(default)]
    pub permission_sets: Vec<String>,
}

/// A user's calendar shared with another user beyond the org-wide default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoCalendarShare {
    /// The calendar's user (address).
    pub owner: String,
    /// Who it is shared with (address).
    pub grantee: String,
    pub access: CalendarAccess,
}

/// Contoso's own org and the subsidiary's.
const CONTOSO_POD: &str = "5g";
const NORDIC_POD: &str = "8d";

struct OrgSpec {
    key: &'static str,
    name: &'static str,
    pod: &'static str,
    multiday_events: bool,
    daily_api_requests: u64,
    time_zone: &'static str,
    roles: &'static [(&'static str, &'static str, Option<&'static str>)],
}

const ORGS: &[OrgSpec] = &[
    OrgSpec {
        key: "contoso",
        name: "Contoso",
        pod: CONTOSO_POD,
        // The executive's multi-day offsite and summit are events too.
        multiday_events: true,
        // Enterprise Edition: 100,000 plus 1,000 for each of its twelve licences.
        daily_api_requests: 112_000,
        time_zone: "America/New_York",
        roles: &[
            ("ceo", "Chief Executive", None),
            ("staff", "Chief of Staff", Some("ceo")),
            ("assistants", "Executive Assistants", Some("staff")),
            ("office", "Office Operations", Some("staff")),
            ("comms", "Communications", Some("ceo")),
            ("sales", "Sales", Some("ceo")),
        ],
    },
    OrgSpec {
        key: "nordic",
        name: "Contoso Nordic AB",
        pod: NORDIC_POD,
        multiday_events: false,
        daily_api_requests: 101_000,
        time_zone: "Europe/Stockholm",
        roles: &[("nordic_sales", "Nordic Sales", None)],
    },
];

/// (local part, org key, role key, CRM story) for every demo person.
const USERS: &[(&str, &str, &str, &str)] = &[
    (
        "olivia.grant",
        "contoso",
        "ceo",
        "The executive; her calendar is shared differently with each assistant",
    ),
    (
        "daniel.reyes",
        "contoso",
        "assistants",
        "Full Access to Olivia's calendar",
    ),
    (
        "emma.chen",
        "contoso",
        "staff",
        "Show Details and Add Events on Olivia's calendar; above the assistants",
    ),
    (
        "aaron.patel",
        "contoso",
        "office",
        "Show Details on Olivia's calendar",
    ),
    (
        "rita.novak",
        "contoso",
        "comms",
        "Nothing beyond the org default (Hide Details)",
    ),
    (
        "felix.braun",
        "contoso",
        "office",
        "Org default (Hide Details)",
    ),
    (
        "carla.mendes",
        "contoso",
        "sales",
        "Org default (Hide Details)",
    ),
    (
        "noah.lind",
        "nordic",
        "nordic_sales",
        "Works for Contoso Nordic, whose Salesforce org was never merged into Contoso's",
    ),
    (
        "hannah.schmidt",
        "contoso",
        "assistants",
        "Org default (Hide Details)",
    ),
    (
        "marcus.webb",
        "contoso",
        "office",
        "Hide Details and Add Events on Olivia's calendar",
    ),
    (
        "priya.raman",
        "contoso",
        "office",
        "Org default (Hide Details)",
    ),
    (
        "lucas.moreau",
        "contoso",
        "comms",
        "Org default (Hide Details)",
    ),
    (
        "ines.duarte",
        "contoso",
        "comms",
        "Org default (Hide Details)",
    ),
];

/// The permission sets an administrator made in Contoso's org: (API name, label, description).
const PERMISSION_SETS: &[(&str, &str, &str)] = &[
    (
        "Onbehalf_Assistant",
        "Onbehalf Assistant",
        "Shares and syncs the executive's meetings from Outlook",
    ),
    (
        "Onbehalf_Calendar_Only",
        "Onbehalf Calendar Only",
        "Works in the executive's calendar without sharing to the CRM",
    ),
];

/// Who holds which of them: (local part, API name).
const ASSIGNMENTS: &[(&str, &str)] = &[
    ("daniel.reyes", "Onbehalf_Assistant"),
    ("emma.chen", "Onbehalf_Assistant"),
    ("aaron.patel", "Onbehalf_Calendar_Only"),
];

/// The permission sets of an org: its users' profile's own ("Standard User"), then, in
/// Contoso's org, the administrator's.
///
/// Assumption: a profile-owned permission set is named `X` followed by its profile's id and
/// labelled with that id; it is never assigned by hand.
fn permission_sets(spec: &OrgSpec) -> Vec<DemoPermissionSet> {
    let profile = ids::make("00e", spec.pod, 40);
    let own = DemoPermissionSet {
        id: ids::make("0PS", spec.pod, 300),
        name: format!("X{profile}"),
        label: profile.clone(),
        description: None,
        is_owned_by_profile: true,
    };
    let made = PERMISSION_SETS
        .iter()
        .enumerate()
        .filter(|_| spec.key == "contoso")
        .map(|(i, (name, label, description))| DemoPermissionSet {
            id: ids::make("0PS", spec.pod, 301 + u64::try_from(i).unwrap_or(0)),
            name: (*name).to_string(),
            label: (*label).to_string(),
            description: Some((*description).to_string()),
            is_owned_by_profile: false,
        });
    std::iter::once(own).chain(made).collect()
}

/// How Olivia shares her Salesforce calendar (everyone else has the org default).
const SHARES: &[(&str, &str, CalendarAccess)] = &[
    ("olivia.grant", "daniel.reyes", CalendarAccess::FullAccess),
    (
        "olivia.grant",
        "emma.chen",
        CalendarAccess::ShowDetailsAndAddEvents,
    ),
    ("olivia.grant", "aaron.patel", CalendarAccess::ShowDetails),
    (
        "olivia.grant",
        "marcus.webb",
        CalendarAccess::HideDetailsAndAddEvents,
    ),
];

fn org_id(spec: &OrgSpec) -> String {
    ids::make("00D", spec.pod, 7)
}

fn role_id(spec: &OrgSpec, key: &str) -> String {
    let n = spec
        .roles
        .iter()
        .position(|(k, _, _)| *k == key)
        .unwrap_or(0);
    ids::make("00E", spec.pod, 100 + u64::try_from(n).unwrap_or(0))
}

/// The Salesforce orgs of the demo, Contoso's first.
pub(crate) fn crm_orgs() -> Vec<DemoCrmOrg> {
    ORGS.iter()
        .map(|spec| DemoCrmOrg {
            id: org_id(spec),
            name: spec.name.to_string(),
            pod: spec.pod.to_string(),
            multiday_events: spec.multiday_events,
            exchange_id_field: true,
            activity_sharing: ActivitySharing::Private,
            calendar_default: CalendarAccess::HideDetails,
            daily_api_requests: spec.daily_api_requests,
            roles: spec
                .roles
                .iter()
                .map(|(key, name, parent)| DemoRole {
                    id: role_id(spec, key),
                    name: (*name).to_string(),
                    parent: parent.map(|p| role_id(spec, p)),
                })
                .collect(),
            time_zone: spec.time_zone.to_string(),
            permission_sets: permission_sets(spec),
        })
        .collect()
}

/// The CRM user of the demo person with this local part and address.
pub(crate) fn crm_user(local: &str, address: &str) -> DemoCrmUser {
    let position = USERS.iter().position(|(l, ..)| *l == local);
    let (org_key, role_key, story) = position
        .and_then(|i| USERS.get(i))
        .map(|(_, o, r, s)| (*o, *r, *s))
        .unwrap_or(("contoso", "office", "Org default (Hide Details)"));
    let spec = ORGS.iter().find(|o| o.key == org_key).unwrap_or(&ORGS[0]);
    let n = u64::try_from(position.unwrap_or(USERS.len())).unwrap_or(0);
    DemoCrmUser {
        org_id: org_id(spec),
        user_id: ids::make("005", spec.pod, 200 + n),
        username: address.to_string(),
        role_id: role_id(spec, role_key),
        story: story.to_string(),
        permission_sets: ASSIGNMENTS
            .iter()
            .filter(|(l, _)| *l == local)
            .map(|(_, name)| (*name).to_string())
            .collect(),
    }
}

/// Calendar sharing beyond the org defaults.
pub(crate) fn calendar_sharing(address: impl Fn(&str) -> String) -> Vec<DemoCalendarShare> {
    SHARES
        .iter()
        .map(|(owner, grantee, access)| DemoCalendarShare {
            owner: address(owner),
            grantee: address(grantee),
            access: *access,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_sharing_levels_differ_as_salesforce_documents() {
        use CalendarAccess::*;
        let table: Vec<_> = [
            HideDetails,
            HideDetailsAndAddEvents,
            ShowDetails,
            ShowDetailsAndAddEvents,
            FullAccess,
        ]
        .iter()
        .map(|a| (a.shows_details(), a.adds_events(), a.edits_events()))
        .collect();
        assert_eq!(
            table,
            vec![
                (false, false, false),
                (false, true, false),
                (true, false, false),
                (true, true, false),
                (true, true, true),
            ]
        );
    }

    #[test]
    fn every_user_has_a_distinct_id_in_an_existing_org() {
        let orgs = crm_orgs();
        let users: Vec<_> = USERS
            .iter()
            .map(|(local, ..)| crm_user(local, &format!("{local}@contoso.com")))
            .collect();
        for u in &users {
            assert!(orgs.iter().any(|o| o.id == u.org_id), "{}", u.username);
            assert!(orgs
                .iter()
                .any(|o| o.roles.iter().any(|r| r.id == u.role_id)));
        }
        let mut ids: Vec<_> = users.iter().map(|u| u.user_id.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), USERS.len());
    }
}
