//! The executive's own Onbehalf, simulated inside the sandbox so that delegates meet a real
//! published status record. Her key pair is made at seed time and kept in the state. Whenever
//! a user's status record is written on their default calendar (a grantee publishing their
//! public key) or her grants change, it publishes her record again, at once and under the
//! same lock as the write, as her Onbehalf would on its next run: her current grants, each
//! sealed to the grantee's published key, with sync on and "last run" now. When her real
//! Onbehalf publishes her record, the simulation retires.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use onbehalf_engine::permission::GraphRole;
use onbehalf_engine::ports::Grant;
use onbehalf_engine::status_record::{Publication, RecordKeys, StatusRecord, PROPERTY_ID};

use crate::extprops;
use crate::roles::ExchangeRole;
use crate::state::{Calendar, ExtendedValue, SimulatedOnbehalf, State};
use crate::TENANT_ID;

/// The app version her Onbehalf reports.
const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Give `user` a simulated Onbehalf with a new key pair and publish her record as of `now`.
pub(crate) fn install(state: &mut State, user: usize, now: DateTime<Utc>) {
    let keys = RecordKeys::generate();
    state.onbehalf = Some(SimulatedOnbehalf {
        user,
        secret_key: keys.secret_base64(),
        tenant_id: None,
    });
    publish(state, now);
}

/// Her Onbehalf signs in to the Microsoft 365 organisation `tenant_id` (a test tenant, or the
/// one before a migration) and publishes again; `false` when her real Onbehalf speaks for her.
pub(crate) fn sign_in_elsewhere(state: &mut State, tenant_id: &str, now: DateTime<Utc>) -> bool {
    let Some(sim) = state.onbehalf.as_mut() else {
        return false;
    };
    sim.tenant_id = Some(tenant_id.to_string());
    publish(state, now);
    true
}

/// A status record was written on `calendar` through Graph.
///
/// On her own default calendar, it is her real Onbehalf publishing: from then on it speaks for
/// her (sync on or off as she set it) and the simulation retires, as a second Onbehalf of hers
/// would not exist. On someone else's, a grantee published their key: her simulated Onbehalf
/// publishes again, sealing their grant to it.
pub(crate) fn record_written(state: &mut State, calendar: u64, now: DateTime<Utc>) {
    let Some(sim) = &state.onbehalf else {
        return;
    };
    let Some(cal) = state.calendars.get(&calendar).filter(|c| c.is_default) else {
        return;
    };
    match cal.owner == sim.user {
        true => {
            tracing::info!("the executive's own Onbehalf published; the simulated one retires");
            state.onbehalf = None;
        }
        false => publish(state, now),
    }
}

/// The grants of `calendar` changed through Graph.
pub(crate) fn grants_changed(state: &mut State, calendar: u64, now: DateTime<Utc>) {
    let Some(sim) = &state.onbehalf else {
        return;
    };
    let hers = state
        .calendars
        .get(&calendar)
        .is_some_and(|c| c.is_default && c.owner == sim.user);
    if hers {
        publish(state, now);
    }
}

fn publish(state: &mut State, now: DateTime<Utc>) {
    let Some(sim) = state.onbehalf.clone() else {
        return;
    };
    let keys = match RecordKeys::from_secret_base64(&sim.secret_key) {
        Ok(k) => k,
        Err(e) => {
            tracing::error!(error = %e, "the simulated Onbehalf's key is not valid; its record is not published");
            return;
        }
    };
    let Some(calendar) = state.default_calendar(sim.user) else {
        return;
    };
    let grants = grants(state, sim.user, calendar);
    let grantee_keys = grantee_keys(state, &grants);
    // Her Onbehalf is signed in to her CRM user, as every demo user's can be.
    let crm = state.users.get(sim.user).and_then(|u| {
        crate::org::demo_org()
            .users
            .into_iter()
            .find(|d| d.address.eq_ignore_ascii_case(&u.address))
            .map(|d| d.crm)
    });
    let record = StatusRecord::publish(
        &Publication {
            app_version: APP_VERSION,
            sync_on: true,
            last_run: Some(now),
            tenant_id: sim.tenant_id.as_deref().unwrap_or(TENANT_ID),
            crm_org_id: crm.as_ref().map(|c| c.org_id.as_str()),
            crm_user_id: crm.as_ref().map(|c| c.user_id.as_str()),
            grants: &grants,
            grantee_keys: &grantee_keys,
        },
        &keys,
        now,
    );
    let key = calendar.key;
    if let Some(cal) = state.calendars.get_mut(&key) {
        cal.extended.insert(
            extprops::normalize(PROPERTY_ID),
            ExtendedValue {
                id: PROPERTY_ID.to_string(),
                value: record.to_value(),
            },
        );
        cal.version += 1;
    }
}

fn graph_role(role: ExchangeRole) -> GraphRole {
    GraphRole::parse(role.graph_role()).unwrap_or(GraphRole::Custom)
}

/// Her grants as her Onbehalf reads them: "My Organization" and each grant with the role Graph
/// shows, Send on Behalf from her mailbox's list or a delegate role.
///
/// Assumption: her Onbehalf was told her mailbox's Send on Behalf list (Graph does not show
/// it), so someone holding Send on Behalf without a calendar grant also gets an entry, with
/// the role "My Organization" gives them.
fn grants(state: &State, owner: usize, calendar: &Calendar) -> Vec<Grant> {
    let send_on_behalf: Vec<String> = state
        .users
        .get(owner)
        .map(|u| u.send_on_behalf_to.clone())
        .unwrap_or_default();
    let mut out: Vec<Grant> = calendar
        .organization_role
        .map(|role| Grant {
            address: None,
            role: graph_role(role),
            is_inside_organization: true,
            send_on_behalf: false,
        })
        .into_iter()
        .collect();
    out.extend(calendar.grants.iter().map(|g| Grant {
        address: Some(g.address.clone()),
        role: graph_role(g.role),
        is_inside_organization: g.inside_organization,
        send_on_behalf: state.may_send_on_behalf(owner, &g.address),
    }));
    let organization = calendar
        .organization_role
        .filter(|r| *r != ExchangeRole::None);
    for address in &send_on_behalf {
        let granted = calendar.grants.iter().any(|g| &g.address == address);
        if let (false, Some(role)) = (granted, organization) {
            out.push(Grant {
                address: Some(address.clone()),
                role: graph_role(role),
                is_inside_organization: true,
                send_on_behalf: true,
            });
        }
    }
    out
}

/// The public key each grantee's own Onbehalf published on their default calendar.
fn grantee_keys(state: &State, grants: &[Grant]) -> BTreeMap<String, String> {
    let record_id = extprops::normalize(PROPERTY_ID);
    grants
        .iter()
        .filter_map(|g| g.address.as_deref())
        .filter_map(|address| {
            let user = state.user_by_address(address)?;
            let value = &state
                .default_calendar(user)?
                .extended
                .get(&record_id)?
                .value;
            let key = StatusRecord::parse(value).ok()?.public_key()?.to_string();
            Some((address.to_lowercase(), key))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn record_of(state: &State, user: usize) -> Option<StatusRecord> {
        let value = &state
            .default_calendar(user)?
            .extended
            .get(&extprops::normalize(PROPERTY_ID))?
            .value;
        StatusRecord::parse(value).ok()
    }

    fn publish_own_key(state: &mut State, user: usize, keys: &RecordKeys, now: DateTime<Utc>) {
        let record = StatusRecord::publish(
            &Publication {
                app_version: "1.0.0",
                sync_on: true,
                last_run: Some(now),
                tenant_id: TENANT_ID,
                crm_org_id: None,
                crm_user_id: None,
                grants: &[],
                grantee_keys: &BTreeMap::new(),
            },
            keys,
            now,
        );
        let Some(cal) = state.default_calendar(user).map(|c| c.key) else {
            panic!("user {user} has a default calendar");
        };
        if let Some(c) = state.calendars.get_mut(&cal) {
            c.extended.insert(
                extprops::normalize(PROPERTY_ID),
                ExtendedValue {
                    id: PROPERTY_ID.to_string(),
                    value: record.to_value(),
                },
            );
        }
        record_written(state, cal, now);
    }

    #[test]
    fn a_grantee_who_publishes_a_key_opens_their_grant_and_send_on_behalf() {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        let mut state = crate::seed::seed(now);
        let olivia = state.user_by_address("olivia.grant@contoso.com").unwrap();
        let ines = state.user_by_address("ines.duarte@contoso.com").unwrap();
        let lucas = state.user_by_address("lucas.moreau@contoso.com").unwrap();
        let before = record_of(&state, olivia).unwrap();
        assert!(before.public_key().is_some() && before.sync_on);

        let ines_keys = RecordKeys::generate();
        let lucas_keys = RecordKeys::generate();
        publish_own_key(&mut state, ines, &ines_keys, now);
        publish_own_key(&mut state, lucas, &lucas_keys, now);
        let after = record_of(&state, olivia).unwrap();
        assert_eq!(after.last_run, Some(now));
        let opened = after
            .open_grant("ines.duarte@contoso.com", &ines_keys)
            .unwrap();
        assert_eq!(opened.role, GraphRole::Read);
        assert!(opened.send_on_behalf);
        let opened = after
            .open_grant("lucas.moreau@contoso.com", &lucas_keys)
            .unwrap();
        assert_eq!(opened.role, GraphRole::FreeBusyRead);
        assert!(opened.send_on_behalf);
        assert!(after
            .open_grant("ines.duarte@contoso.com", &lucas_keys)
            .is_none());
    }
}
