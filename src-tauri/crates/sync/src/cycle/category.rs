//! The share category in the user's own master category list.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::port::ItemSource;
use onbehalf_store::Store;

use crate::context::Context;
use crate::db::db;
use crate::error::SyncError;

/// The share category's name last made sure of in the user's master category list.
const CATEGORY_CURSOR: &str = "exchange.category";

/// Make sure the user's own master category list has the share category, once per name: the
/// user can then give it to an item in Outlook. A list that cannot be changed does not stop
/// the sync (the category works on items without it, shown without a colour).
pub(super) async fn ensure_share_category<S: ItemSource>(
    items: &S,
    store: &Arc<Store>,
    ctx: &Context,
    now: DateTime<Utc>,
) -> Result<(), SyncError> {
    if !ctx.calendars.iter().any(|c| c.is_own) {
        return Ok(());
    }
    let acc = ctx.account_id.clone();
    let done = db(store, "reading the category state", move |s| {
        s.sync_cursors().get(&acc, CATEGORY_CURSOR)
    })
    .await?
    .is_some_and(|c| c.value == ctx.settings.share_category);
    if done {
        return Ok(());
    }
    match items.ensure_category(&ctx.settings.share_category).await {
        Ok(()) => {
            let acc = ctx.account_id.clone();
            let name = ctx.settings.share_category.clone();
            db(store, "keeping the category state", move |s| {
                s.sync_cursors().set(&acc, CATEGORY_CURSOR, &name, now)
            })
            .await
        }
        Err(SourceError::SignInExpired) => Err(SyncError::SignInExpired),
        Err(e) => {
            tracing::warn!(error = %e, "the share category could not be added to the list");
            Ok(())
        }
    }
}
