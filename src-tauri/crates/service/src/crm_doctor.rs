//! The doctor's CRM checks: the facts are gathered here over the CRM port, the verdicts are the
//! engine's (`crm_checks`).

use std::collections::BTreeMap;

use onbehalf_engine::crm::{Crm, CrmError, CrmIdentity};
use onbehalf_engine::crm_checks::{crm_checks, CrmOrgFacts, OwnerCrmFacts, OwnerEventsAccess};
use onbehalf_engine::doctor::{Check, CheckStatus};
use onbehalf_engine::view::{CalendarEntry, CalendarKind};

use crate::error::{ErrorCode, ServiceError};
use crate::Onbehalf;

/// How many of an owner's events are looked at to tell what the user may do with them.
const SAMPLE_EVENTS: usize = 20;

impl Onbehalf {
    /// The CRM checks for the owners of these calendars; none when no CRM is configured.
    pub(crate) async fn crm_checks(
        &self,
        calendars: &[CalendarEntry],
    ) -> Result<Vec<Check>, ServiceError> {
        if !self.crm_configured() {
            return Ok(Vec::new());
        }
        let (account, crm) = match self.crm_session().await {
            Ok(session) => session,
            Err(e) if e.code == ErrorCode::CrmSignInRequired => return Ok(crm_checks(None, &[])),
            Err(e) => return Ok(vec![unchecked(&e.message)]),
        };
        let me = CrmIdentity {
            org_id: account.org_id,
            user_id: account.user_id,
            name: account.name,
            email: account.email,
            instance_url: account.instance_url,
        };
        let mut owners: BTreeMap<&str, &CalendarEntry> = BTreeMap::new();
        for cal in calendars {
            match cal.kind {
                CalendarKind::Own => {}
                CalendarKind::OwnerPrimary
                | CalendarKind::SharedSecondary
                | CalendarKind::AddedByAddress => {
                    if cal.problem.is_none() {
                        owners.entry(cal.owner.as_str()).or_insert(cal);
                    }
                }
            }
        }
        let mut facts = Vec::new();
        for (address, cal) in owners {
            facts.push(owner_facts(&crm, &me, address, cal).await?);
        }
        let item_ids = match crm.keeps_item_ids().await {
            Ok(kept) => Ok(kept),
            Err(e) => Err(stop_or_word(e)?),
        };
        Ok(crm_checks(Some(&CrmOrgFacts { me, item_ids }), &facts))
    }
}

async fn owner_facts(
    crm: &impl Crm,
    me: &CrmIdentity,
    address: &str,
    cal: &CalendarEntry,
) -> Result<OwnerCrmFacts, ServiceError> {
    let owner_user = match crm.find_user(address).await {
        Ok(user) => Ok(user),
        Err(e) => Err(stop_or_word(e)?),
    };
    let access = match &owner_user {
        Ok(Some(user)) => match crm.events_of(&user.id, SAMPLE_EVENTS).await {
            Ok(ids) if ids.is_empty() => OwnerEventsAccess::NothingVisible,
            Ok(ids) => match crm.access(&me.user_id, &ids).await {
                Ok(seen) => OwnerEventsAccess::Seen(seen.into_iter().map(|(_, a)| a).collect()),
                Err(e) => OwnerEventsAccess::Unchecked(stop_or_word(e)?),
            },
            Err(e) => OwnerEventsAccess::Unchecked(stop_or_word(e)?),
        },
        Ok(None) => OwnerEventsAccess::NothingVisible,
        Err(why) => OwnerEventsAccess::Unchecked(why.clone()),
    };
    Ok(OwnerCrmFacts {
        owner_name: cal.owner_name.clone(),
        owner_address: address.to_string(),
        published_org: cal
            .owner_onbehalf
            .as_ref()
            .and_then(|o| o.crm_org_id.clone()),
        owner_user,
        access,
    })
}

/// An expired CRM sign-in stops the checks (the user must sign in again); any other failure
/// is a check that could not be made, in words.
fn stop_or_word(e: CrmError) -> Result<String, ServiceError> {
    match e {
        CrmError::SignInExpired => Err(crate::crm::crm_service_error(e)),
        other => Ok(other.to_string()),
    }
}

fn unchecked(why: &str) -> Check {
    Check {
        id: "crm_signed_in".into(),
        subject: "You".into(),
        title: "Signed in to the CRM".into(),
        status: CheckStatus::Unknown,
        detail: format!("Could not check just now: {why}"),
        fix: None,
        who_can_fix: None,
    }
}
