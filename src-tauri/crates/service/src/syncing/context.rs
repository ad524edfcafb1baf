//! What a sync cycle works with, made from what the last refresh found: the user's own
//! calendar and each owner's default calendar the user can read, with the user's rights on it,
//! whether the owner's Onbehalf syncs, and the owner's CRM user.

use std::collections::{BTreeMap, BTreeSet};

use onbehalf_engine::permission::ReadLevel;
use onbehalf_engine::view::{CalendarEntry, CalendarKind};
use onbehalf_store::{Account, CrmAccount};
use onbehalf_sync::{Calendar, Context, Settings};

use crate::syncing::settings::SyncSettings;

/// The owners whose default calendars the sync covers (the user's own excluded): every owner
/// whose default calendar the user can read item details of.
pub(crate) fn watched_owners(calendars: &[CalendarEntry]) -> Vec<&CalendarEntry> {
    let mut seen = BTreeSet::new();
    calendars
        .iter()
        .filter(|c| is_owner_default(c) && c.permission.rights.read == ReadLevel::Full)
        .filter(|c| seen.insert(c.owner.to_lowercase()))
        .collect()
}

fn is_owner_default(c: &CalendarEntry) -> bool {
    match c.kind {
        CalendarKind::OwnerPrimary | CalendarKind::AddedByAddress => c.is_default,
        CalendarKind::Own | CalendarKind::SharedSecondary => false,
    }
}

/// The CRM user of each watched owner that their own published record names, when it is in
/// the user's CRM org (the others are looked up by address).
pub(crate) fn published_crm_users(
    calendars: &[CalendarEntry],
    crm: &CrmAccount,
) -> BTreeMap<String, String> {
    watched_owners(calendars)
        .into_iter()
        .filter_map(|c| {
            let o = c.owner_onbehalf.as_ref()?;
            (o.crm_org_id.as_deref() == Some(crm.org_id.as_str()))
                .then(|| o.crm_user_id.clone())
                .flatten()
                .map(|u| (c.owner.to_lowercase(), u))
        })
        .collect()
}

/// The cycle's context. `owner_users` holds each watched owner's CRM user as found (`None`:
/// looked for, none); `private_allowed` is the administrator's policy.
pub(crate) fn context_of(
    account: &Account,
    crm: &CrmAccount,
    calendars: &[CalendarEntry],
    settings: &SyncSettings,
    owner_users: &BTreeMap<String, Option<String>>,
    private_allowed: bool,
) -> Context {
    let me = account.address.to_lowercase();
    let own = Calendar {
        owner: me.clone(),
        owner_name: account.display_name.clone(),
        is_own: true,
        rights: onbehalf_engine::permission::Rights::OWNER_SELF,
        level: "Owner".to_string(),
        owner_sync_on: settings.on,
        owner_crm_user: Some(crm.user_id.clone()),
        may_add_crm: Some(true),
        direct_share: false,
    };
    let owners = watched_owners(calendars).into_iter().map(|c| {
        let owner = c.owner.to_lowercase();
        Calendar {
            owner_name: c.owner_name.clone(),
            is_own: false,
            rights: c.permission.rights,
            level: c.permission.outlook.clone(),
            owner_sync_on: c.owner_onbehalf.as_ref().is_some_and(|o| o.sync_on),
            owner_crm_user: owner_users.get(&owner).cloned().flatten(),
            // Salesforce has no query for calendar sharing: whether the user may add events
            // to the owner's CRM calendar is learnt only by trying.
            may_add_crm: None,
            direct_share: settings.direct_share.contains(&owner),
            owner,
        }
    });
    Context {
        account_id: account.id.clone(),
        me,
        crm: crm.crm.clone(),
        crm_org: crm.org_id.clone(),
        crm_user: crm.user_id.clone(),
        calendars: std::iter::once(own).chain(owners).collect(),
        settings: Settings {
            days_back: i64::from(settings.days_back),
            days_ahead: i64::from(settings.days_ahead),
            share_category: settings.share_category.clone(),
            private_sync: private_allowed && settings.private_sync,
            winner: settings.winner,
            reread_minutes: i64::from(settings.interval_minutes),
            crm_to_exchange: settings.crm_to_exchange,
        },
        keeps_item_ids: None,
    }
}
