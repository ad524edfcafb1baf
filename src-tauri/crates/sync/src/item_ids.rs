//! Whether the CRM's events keep the id of the Exchange item they were made for (an
//! external-id field that Onbehalf's CRM package adds). The CRM's answer is kept as a cursor for
//! a day, so a quiet poll asks nothing; an admin who installs the package (or removes it) is
//! noticed within a day. A cycle takes the kept answer at its start and asks the CRM only when it
//! needs to know, after its first look at the CRM (which may have told the port already).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use onbehalf_engine::crm::Crm;
use onbehalf_store::{CursorRow, Store};

use crate::context::Context;
use crate::db::db;
use crate::error::SyncError;

const CURSOR: &str = "crm.item_ids";
const KEPT: &str = "kept";
const NOT_KEPT: &str = "not kept";
/// How long the CRM's answer is believed.
const ASK_AGAIN_HOURS: i64 = 24;

async fn kept(store: &Arc<Store>, ctx: &Context) -> Result<Option<CursorRow>, SyncError> {
    let acc = ctx.account_id.clone();
    db(store, "reading whether the CRM keeps item ids", move |s| {
        s.sync_cursors().get(&acc, CURSOR)
    })
    .await
}

/// The answer kept, if it was given today.
fn today(row: Option<&CursorRow>, now: DateTime<Utc>) -> Option<bool> {
    row.filter(|c| now - c.updated_at < Duration::hours(ASK_AGAIN_HOURS))
        .map(|c| c.value == KEPT)
}

/// `ctx` with the answer kept today, if there is one; nothing is asked.
pub(crate) async fn with_cached(
    store: &Arc<Store>,
    ctx: &Context,
    now: DateTime<Utc>,
) -> Result<Context, SyncError> {
    if ctx.keeps_item_ids.is_some() {
        return Ok(ctx.clone());
    }
    let keeps = today(kept(store, ctx).await?.as_ref(), now);
    Ok(Context {
        keeps_item_ids: keeps,
        ..ctx.clone()
    })
}

/// `ctx` knowing whether the CRM keeps item ids, asked of the CRM when not known today.
pub(crate) async fn with_known<C: Crm>(
    crm: &C,
    store: &Arc<Store>,
    ctx: &Context,
    now: DateTime<Utc>,
) -> Result<Context, SyncError> {
    if ctx.keeps_item_ids.is_some() {
        return Ok(ctx.clone());
    }
    let row = kept(store, ctx).await?;
    let keeps = match today(row.as_ref(), now) {
        Some(keeps) => keeps,
        None => match crm.keeps_item_ids().await {
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
            Err(e) if e.is_retryable() => row.map(|c| c.value == KEPT).ok_or(e)?,
            Err(e) => return Err(e.into()),
        },
    };
    Ok(Context {
        keeps_item_ids: Some(keeps),
        ..ctx.clone()
    })
}
