//! Whether the user's CRM user may add events to an owner's CRM calendar, for the owners the
//! user chose to share for directly. Salesforce has no query for calendar sharing, so it is
//! learnt by trying: the first direct share to an owner tries, and the CRM's answer is kept
//! (a refusal for a day, then tried again, as sharing may have been granted meanwhile). Until
//! then the user is told the share waits for the owner's sync, which may still be what makes
//! it: nothing is claimed before the CRM said so.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use onbehalf_engine::crm::CrmError;
use onbehalf_store::{normalize_address, Store};

use crate::context::Context;
use crate::db::db;
use crate::error::SyncError;

/// How long a refusal is believed before trying again.
const REFUSAL_KEPT_HOURS: i64 = 24;

fn cursor(owner: &str) -> String {
    format!("crm.may_add.{}", normalize_address(owner))
}

/// `ctx` with what was learnt about adding events for each direct-share owner.
pub(crate) async fn with_learnt(
    store: &Arc<Store>,
    ctx: &Context,
    now: DateTime<Utc>,
) -> Result<Context, SyncError> {
    let mut ctx = ctx.clone();
    for cal in ctx.calendars.iter_mut() {
        if cal.is_own || !cal.direct_share || cal.may_add_crm.is_some() {
            continue;
        }
        let acc = ctx.account_id.clone();
        let name = cursor(&cal.owner);
        let kept = db(store, "reading what the CRM allows", move |s| {
            s.sync_cursors().get(&acc, &name)
        })
        .await?;
        cal.may_add_crm = match kept {
            Some(c) if c.value == "yes" => Some(true),
            Some(c) if c.value == "no" && now - c.updated_at < refusal_kept() => Some(false),
            _ => None,
        };
    }
    Ok(ctx)
}

fn refusal_kept() -> Duration {
    Duration::hours(REFUSAL_KEPT_HOURS)
}

/// A refusal that says the user may not add events to the owner's calendar.
pub(crate) fn refuses_adding(e: &CrmError) -> bool {
    matches!(
        e,
        CrmError::NoEditAccess { .. } | CrmError::NoAccessToRelated { .. }
    )
}

/// Keep the CRM's answer to a direct share to `owner`.
pub(crate) async fn learn(
    store: &Arc<Store>,
    ctx: &Context,
    owner: &str,
    may_add: bool,
    now: DateTime<Utc>,
) -> Result<(), SyncError> {
    let acc = ctx.account_id.clone();
    let name = cursor(owner);
    let value = if may_add { "yes" } else { "no" };
    db(store, "keeping what the CRM allows", move |s| {
        s.sync_cursors().set(&acc, &name, value, now)
    })
    .await
}
