//! Whether the CRM's events keep the id of the Exchange item they were made for (an
//! external-id field that Onbehalf's CRM package adds). Asked of the CRM once a day and kept as
//! a cursor, so an idle poll costs no request for it; an admin who installs the package (or
//! removes it) is noticed within a day.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use onbehalf_engine::crm::Crm;
use onbehalf_store::Store;

use crate::context::Context;
use crate::db::db;
use crate::error::SyncError;

const CURSOR: &str = "crm.item_ids";
const KEPT: &str = "kept";
const NOT_KEPT: &str = "not kept";
/// How long the CRM's answer is believed.
const ASK_AGAIN_HOURS: i64 = 24;

/// `ctx` knowing whether the CRM keeps item ids.
pub(crate) async fn with_known<C: Crm>(
    crm: &C,
    store: &Arc<Store>,
    ctx: &Context,
    now: DateTime<Utc>,
) -> Result<Context, SyncError> {
    if ctx.keeps_item_ids.is_some() {
        return Ok(ctx.clone());
    }
    let acc = ctx.account_id.clone();
    let kept = db(store, "reading whether the CRM keeps item ids", move |s| {
        s.sync_cursors().get(&acc, CURSOR)
    })
    .await?;
    let known = kept.as_ref().map(|c| c.value == KEPT);
    let fresh = kept
        .as_ref()
        .is_some_and(|c| now - c.updated_at < Duration::hours(ASK_AGAIN_HOURS));
    let keeps = match (fresh, known) {
        (true, Some(keeps)) => keeps,
        (false, _) | (_, None) => match crm.keeps_item_ids().await {
            Ok(keeps) => {
                let acc = ctx.account_id.clone();
                let value = if keeps { KEPT } else { NOT_KEPT };
                db(store, "keeping whether the CRM keeps item ids", move |s| {
                    s.sync_cursors().set(&acc, CURSOR, value, now)
                })
                .await?;
                keeps
            }
            // Asked again next cycle; meanwhile yesterday's answer holds.
            Err(e) if e.is_retryable() => known.ok_or(e)?,
            Err(e) => return Err(e.into()),
        },
    };
    Ok(Context {
        keeps_item_ids: Some(keeps),
        ..ctx.clone()
    })
}
