//! The doctor's CRM checks (DESIGN §2.1): the user is signed in to the CRM, whose events keep
//! the Exchange item's id (Onbehalf's CRM package), is in the same CRM org as each owner, the
//! owner's CRM user exists, and what the user may do with the owner's CRM events. Pure: the facts are gathered over the `Crm` port by the caller.

use crate::crm::{CrmIdentity, CrmUser, EventAccess};
use crate::doctor::{Check, CheckStatus};

/// What was found out about the user's CRM org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrmOrgFacts {
    pub me: CrmIdentity,
    /// Whether the org's events keep the Exchange item's id; `Err` when the look failed (why).
    pub item_ids: Result<bool, String>,
}

/// What was found out about one owner on the CRM side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerCrmFacts {
    pub owner_name: String,
    pub owner_address: String,
    /// The CRM org the owner's Onbehalf published, when it did.
    pub published_org: Option<String>,
    /// The owner's CRM user, looked up by address; `Err` when the lookup failed (why).
    pub owner_user: Result<Option<CrmUser>, String>,
    /// What the user may do with the owner's events they can see.
    pub access: OwnerEventsAccess,
}

/// What the user may do with an owner's CRM events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerEventsAccess {
    /// Seen on the owner's events that the user can see.
    Seen(Vec<EventAccess>),
    /// None of the owner's events is visible to the user (or the owner has none): whether the
    /// user may add or edit them shows only at the first share.
    NothingVisible,
    /// Could not be checked just now (why).
    Unchecked(String),
}

/// The CRM checks for the signed-in user and each owner.
pub fn crm_checks(org: Option<&CrmOrgFacts>, owners: &[OwnerCrmFacts]) -> Vec<Check> {
    let Some(CrmOrgFacts { me, item_ids }) = org else {
        return vec![Check {
            id: "crm_signed_in".into(),
            subject: "You".into(),
            title: "Signed in to the CRM".into(),
            status: CheckStatus::Fail,
            detail: "You are not signed in to the CRM, so nothing can be shared or linked.".into(),
            fix: Some(
                "Sign in to the CRM in Onbehalf's settings (or `onbehalf crm login`).".into(),
            ),
            who_can_fix: Some("You".into()),
        }];
    };
    let mut checks = vec![check(
        "crm_signed_in",
        "You".into(),
        "Signed in to the CRM".into(),
        CheckStatus::Pass,
        format!("Signed in to the CRM as {} <{}>.", me.name, me.email),
    )];
    checks.push(item_ids_kept(item_ids));
    for o in owners {
        checks.push(same_org(me, o));
        checks.push(owner_user(o));
        checks.push(events_access(o));
    }
    checks
}

fn check(id: &str, subject: String, title: String, status: CheckStatus, detail: String) -> Check {
    Check {
        id: id.into(),
        subject,
        title,
        status,
        detail,
        fix: None,
        who_can_fix: None,
    }
}

fn item_ids_kept(item_ids: &Result<bool, String>) -> Check {
    let base = check(
        "crm_item_ids",
        "Your CRM organisation".into(),
        "CRM events keep their Outlook item".into(),
        CheckStatus::Pass,
        "Events Onbehalf saves to the CRM carry their Outlook item's id (Onbehalf's CRM \
         package is installed), so another computer or a reinstall pairs them again without \
         duplicates."
            .into(),
    );
    match item_ids {
        Ok(true) => base,
        Ok(false) => Check {
            status: CheckStatus::Warn,
            detail: "This CRM organisation does not have Onbehalf's CRM package, so the link \
                     between an event and its Outlook item is kept on the Outlook item only. \
                     Sharing works, but every share waits for its owner's sync (no assistant's \
                     Onbehalf saves one directly, as two could save the same item twice), and \
                     an event whose item was deleted while Onbehalf was not running can stay in \
                     the CRM."
                .into(),
            fix: Some(
                "Your CRM administrator installs Onbehalf's CRM package (it adds one field to \
                 events; see Onbehalf's README)."
                    .into(),
            ),
            who_can_fix: Some("Your CRM administrator".into()),
            ..base
        },
        Err(why) => Check {
            status: CheckStatus::Unknown,
            detail: format!("Could not check just now: {why}."),
            ..base
        },
    }
}

fn subject(o: &OwnerCrmFacts) -> String {
    format!("{} <{}>", o.owner_name, o.owner_address)
}

fn same_org(me: &CrmIdentity, o: &OwnerCrmFacts) -> Check {
    let owner = &o.owner_name;
    let base = check(
        "same_crm_org",
        subject(o),
        "Same CRM organisation".into(),
        CheckStatus::Pass,
        format!("You and {owner} use the same CRM organisation."),
    );
    match &o.published_org {
        Some(org) if org == &me.org_id => base,
        Some(_) => Check {
            status: CheckStatus::Fail,
            detail: format!(
                "{owner}'s Onbehalf is signed in to another CRM organisation than yours, so \
                 events cannot be saved to {owner}'s CRM calendar on their behalf."
            ),
            fix: Some(format!(
                "Both of you sign in to the same CRM organisation; {owner} may have signed in \
                 to a test or another company's CRM."
            )),
            who_can_fix: Some(format!("{owner}, or your CRM administrator")),
            ..base
        },
        None => Check {
            status: CheckStatus::Unknown,
            detail: format!(
                "{owner}'s Onbehalf has not published a CRM organisation (it is not signed in \
                 to the CRM, or {owner} does not run Onbehalf)."
            ),
            ..base
        },
    }
}

fn owner_user(o: &OwnerCrmFacts) -> Check {
    let owner = &o.owner_name;
    let base = check(
        "owner_crm_user",
        subject(o),
        format!("{owner} has a CRM user"),
        CheckStatus::Pass,
        String::new(),
    );
    match &o.owner_user {
        Ok(Some(user)) => Check {
            detail: format!("{owner}'s CRM user is {} <{}>.", user.name, user.email),
            ..base
        },
        Ok(None) => Check {
            status: CheckStatus::Fail,
            detail: format!(
                "No active CRM user has the address {}, so events cannot be owned by {owner} in \
                 the CRM.",
                o.owner_address
            ),
            fix: Some(format!(
                "Your CRM administrator gives {owner} an active CRM user with this e-mail \
                 address, or corrects the address on it."
            )),
            who_can_fix: Some("Your CRM administrator".into()),
            ..base
        },
        Err(why) => Check {
            status: CheckStatus::Unknown,
            detail: format!("Could not check just now: {why}."),
            ..base
        },
    }
}

fn events_access(o: &OwnerCrmFacts) -> Check {
    let owner = &o.owner_name;
    let base = check(
        "crm_access_to_owner_events",
        subject(o),
        format!("Your CRM access to {owner}'s events"),
        CheckStatus::Pass,
        String::new(),
    );
    let ask_full = Some(format!(
        "Ask {owner} to share their CRM calendar with you with Full Access (in the CRM: \
         Calendar > Share my calendar)."
    ));
    match &o.access {
        OwnerEventsAccess::Seen(seen) if !seen.is_empty() && seen.iter().all(|a| a.edit) => Check {
            detail: format!(
                "You may read and edit {owner}'s CRM events, so your changes to shared items \
                     go straight to the CRM. Whether you may add new ones shows at the first \
                     share."
            ),
            ..base
        },
        OwnerEventsAccess::Seen(seen) if seen.iter().any(|a| a.read) => Check {
            status: CheckStatus::Warn,
            detail: format!(
                "You may read {owner}'s CRM events but not edit them, so changes you make to \
                 shared items cannot go straight to the CRM."
            ),
            fix: ask_full,
            who_can_fix: Some(owner.clone()),
            ..base
        },
        OwnerEventsAccess::Seen(_) | OwnerEventsAccess::NothingVisible => Check {
            status: CheckStatus::Unknown,
            detail: format!(
                "None of {owner}'s CRM events is visible to you, so what you may do with them \
                 shows only at the first share."
            ),
            fix: ask_full,
            who_can_fix: Some(owner.clone()),
            ..base
        },
        OwnerEventsAccess::Unchecked(why) => Check {
            status: CheckStatus::Unknown,
            detail: format!("Could not check just now: {why}."),
            ..base
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn me() -> CrmIdentity {
        CrmIdentity {
            org_id: "00D-contoso".into(),
            user_id: "005-daniel".into(),
            name: "Daniel Reyes".into(),
            email: "daniel.reyes@contoso.com".into(),
            instance_url: "https://contoso.my.salesforce.com".into(),
        }
    }

    fn org() -> CrmOrgFacts {
        CrmOrgFacts {
            me: me(),
            item_ids: Ok(true),
        }
    }

    fn olivia(org: Option<&str>, access: OwnerEventsAccess) -> OwnerCrmFacts {
        OwnerCrmFacts {
            owner_name: "Olivia Grant".into(),
            owner_address: "olivia.grant@contoso.com".into(),
            published_org: org.map(str::to_string),
            owner_user: Ok(Some(CrmUser {
                id: "005-olivia".into(),
                name: "Olivia Grant".into(),
                email: "olivia.grant@contoso.com".into(),
                active: true,
            })),
            access,
        }
    }

    fn status(checks: &[Check], id: &str) -> CheckStatus {
        checks
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.status)
            .unwrap_or_else(|| panic!("no {id} check"))
    }

    const EDIT: EventAccess = EventAccess {
        read: true,
        edit: true,
        delete: true,
    };
    const READ: EventAccess = EventAccess {
        read: true,
        edit: false,
        delete: false,
    };

    #[test]
    fn not_signed_in_fails_with_where_to_sign_in() {
        let checks = crm_checks(None, &[]);
        assert_eq!(status(&checks, "crm_signed_in"), CheckStatus::Fail);
        assert!(checks[0].fix.as_deref().unwrap().contains("crm login"));
    }

    #[test]
    fn full_access_in_the_same_org_passes() {
        let o = olivia(
            Some("00D-contoso"),
            OwnerEventsAccess::Seen(vec![EDIT, EDIT]),
        );
        let checks = crm_checks(Some(&org()), &[o]);
        assert!(
            checks.iter().all(|c| c.status == CheckStatus::Pass),
            "{checks:?}"
        );
    }

    #[test]
    fn another_org_fails_and_read_only_access_warns() {
        let o = olivia(Some("00D-other"), OwnerEventsAccess::Seen(vec![READ]));
        let checks = crm_checks(Some(&org()), &[o]);
        assert_eq!(status(&checks, "same_crm_org"), CheckStatus::Fail);
        assert_eq!(
            status(&checks, "crm_access_to_owner_events"),
            CheckStatus::Warn
        );
    }

    #[test]
    fn what_cannot_be_seen_is_unknown_until_the_first_share() {
        let mut o = olivia(None, OwnerEventsAccess::NothingVisible);
        o.owner_user = Err("the CRM is busy".into());
        let checks = crm_checks(Some(&org()), &[o]);
        assert_eq!(status(&checks, "same_crm_org"), CheckStatus::Unknown);
        assert_eq!(status(&checks, "owner_crm_user"), CheckStatus::Unknown);
        assert_eq!(
            status(&checks, "crm_access_to_owner_events"),
            CheckStatus::Unknown
        );
    }

    #[test]
    fn an_org_without_onbehalfs_package_warns_and_names_the_administrator() {
        let without = CrmOrgFacts {
            item_ids: Ok(false),
            ..org()
        };
        let checks = crm_checks(Some(&without), &[]);
        let c = checks.iter().find(|c| c.id == "crm_item_ids").unwrap();
        assert_eq!(c.status, CheckStatus::Warn);
        assert!(c.detail.contains("kept on the Outlook item only"), "{c:?}");
        assert_eq!(c.who_can_fix.as_deref(), Some("Your CRM administrator"));
        let failed = CrmOrgFacts {
            item_ids: Err("the CRM did not answer".into()),
            ..org()
        };
        let checks = crm_checks(Some(&failed), &[]);
        assert_eq!(status(&checks, "crm_item_ids"), CheckStatus::Unknown);
    }

    #[test]
    fn a_missing_crm_user_names_the_administrator() {
        let mut o = olivia(Some("00D-contoso"), OwnerEventsAccess::NothingVisible);
        o.owner_user = Ok(None);
        let checks = crm_checks(Some(&org()), &[o]);
        let c = checks.iter().find(|c| c.id == "owner_crm_user").unwrap();
        assert_eq!(c.status, CheckStatus::Fail);
        assert_eq!(c.who_can_fix.as_deref(), Some("Your CRM administrator"));
    }
}
