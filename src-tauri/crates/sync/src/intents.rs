//! What the user asks for (share, unshare, resolving a conflict), kept in the store before it
//! is acted on, so a crash between asking and doing loses nothing: the next cycle does it
//! again, which changes nothing when it was already done.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use onbehalf_engine::crm::{Crm, CrmRecord};
use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::model::ItemKey;
use onbehalf_engine::sync::plan::Step;
use onbehalf_engine::sync::port::ItemSource;
use onbehalf_engine::sync::share::{request_share, request_unshare, Records, ShareRefusal};
use onbehalf_store::{OutboxRow, Store};
use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::db::db;
use crate::error::SyncError;
use crate::execute::{Executor, Outcome};
use crate::report::Report;

const SHARE: &str = "share";
const UNSHARE: &str = "unshare";
pub(crate) const RESOLVE: &str = "resolve";

/// The records a share asked for, as kept in the outbox.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct SharePayload {
    who: Option<CrmRecord>,
    what: Option<CrmRecord>,
}

/// A share done (recorded on the item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareDone {
    /// The share waits for the owner's sync.
    pub waits_for_owner: bool,
    /// Said to the user at once.
    pub notes: Vec<String>,
}

/// Why an intent could not be done, or `Ok` when it was.
type Done<T> = Result<T, ShareRefusal>;

/// Share `key` with these records.
pub async fn share<S: ItemSource>(
    items: &S,
    store: &Arc<Store>,
    ctx: &Context,
    key: &ItemKey,
    who: Option<CrmRecord>,
    what: Option<CrmRecord>,
    now: DateTime<Utc>,
) -> Result<Done<ShareDone>, SyncError> {
    let payload = SharePayload { who, what };
    let ctx = &crate::item_ids::with_cached(store, ctx, now).await?;
    let id = enqueue(store, ctx, SHARE, key, &payload, now).await?;
    let done = do_share(items, ctx, key, &payload, now).await;
    finish(store, &id, &done, now).await?;
    done
}

/// Unshare `key`: delete its CRM event and unlink it, or withdraw a pending share.
pub async fn unshare<S: ItemSource, C: Crm>(
    items: &S,
    crm: &C,
    store: &Arc<Store>,
    ctx: &Context,
    key: &ItemKey,
    now: DateTime<Utc>,
) -> Result<Done<()>, SyncError> {
    let ctx = &crate::item_ids::with_known(crm, store, ctx, now).await?;
    let id = enqueue(store, ctx, UNSHARE, key, &serde_json::Value::Null, now).await?;
    let done = do_unshare(items, crm, store, ctx, key, now).await;
    finish(store, &id, &done, now).await?;
    done
}

/// Do the intents a crash or a busy service left behind.
pub(crate) async fn run_due<S: ItemSource, C: Crm>(
    items: &S,
    crm: &C,
    store: &Arc<Store>,
    ctx: &Context,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<(), SyncError> {
    let account = ctx.account_id.clone();
    let due = db(store, "reading what was asked", move |s| {
        s.sync_outbox().due(&account, now)
    })
    .await?;
    let ctx = &match due.is_empty() {
        true => ctx.clone(),
        false => crate::item_ids::with_known(crm, store, ctx, now).await?,
    };
    for intent in due {
        let key = ItemKey {
            owner: intent.item_owner.clone(),
            id: intent.item_id.clone(),
        };
        let done = match intent.kind.as_str() {
            SHARE => {
                let payload: SharePayload =
                    serde_json::from_str(&intent.payload).unwrap_or_default();
                do_share(items, ctx, &key, &payload, now)
                    .await
                    .map(|r| r.map(|_| ()))
            }
            UNSHARE => do_unshare(items, crm, store, ctx, &key, now).await,
            RESOLVE => {
                match serde_json::from_str::<crate::resolve::ResolvePayload>(&intent.payload) {
                    Ok(p) => crate::resolve::do_resolve(items, crm, store, ctx, &key, p.keep, now)
                        .await
                        .map(|r| {
                            r.map(|_| ()).map_err(|e| ShareRefusal::NoRight {
                                reason: e.to_string(),
                            })
                        }),
                    Err(_) => Ok(Ok(())),
                }
            }
            other => {
                tracing::warn!(
                    kind = other,
                    "dropping an intent this version does not know"
                );
                Ok(Ok(()))
            }
        };
        if let Err(e) = &done {
            report.deferred += 1;
            tracing::warn!(error = %e, "an intent is left for later");
        }
        finish(store, &intent.id, &done, now).await?;
    }
    Ok(())
}

pub(crate) async fn enqueue<P: Serialize>(
    store: &Arc<Store>,
    ctx: &Context,
    kind: &str,
    key: &ItemKey,
    payload: &P,
    now: DateTime<Utc>,
) -> Result<String, SyncError> {
    let row = OutboxRow {
        id: uuid::Uuid::new_v4().to_string(),
        account_id: ctx.account_id.clone(),
        kind: kind.to_string(),
        item_owner: key.owner.clone(),
        item_id: key.id.clone(),
        payload: serde_json::to_string(payload).unwrap_or_else(|_| "null".to_string()),
        created_at: now,
        attempts: 0,
        next_attempt_at: now,
        last_error: None,
    };
    let id = row.id.clone();
    db(store, "keeping what was asked", move |s| {
        s.sync_outbox().enqueue(&row).map(|_| ())
    })
    .await?;
    Ok(id)
}

/// Done (or refused for good): out of the outbox. Failed for now: tried again later.
pub(crate) async fn finish<T, R>(
    store: &Arc<Store>,
    id: &str,
    done: &Result<Result<T, R>, SyncError>,
    now: DateTime<Utc>,
) -> Result<(), SyncError> {
    let id = id.to_string();
    match done {
        Ok(_) => {
            db(store, "settling what was asked", move |s| {
                s.sync_outbox().done(&id).map(|_| ())
            })
            .await
        }
        Err(e) => {
            let error = e.to_string();
            db(store, "noting a failed attempt", move |s| {
                s.sync_outbox()
                    .record_attempt(&id, &error, now + Duration::minutes(1))
                    .map(|_| ())
            })
            .await
        }
    }
}

async fn do_share<S: ItemSource>(
    items: &S,
    ctx: &Context,
    key: &ItemKey,
    payload: &SharePayload,
    now: DateTime<Utc>,
) -> Result<Done<ShareDone>, SyncError> {
    let Some(cal) = ctx.calendar(&key.owner) else {
        return Ok(Err(ShareRefusal::NoRight {
            reason: format!("Onbehalf does not sync {}'s calendar.", key.owner),
        }));
    };
    // The item may change between reading and writing (someone edits it): read it again then.
    for _ in 0..3 {
        let Some(item) = items.item(key).await? else {
            return Ok(Err(ShareRefusal::NotShared));
        };
        let actor = ctx.actor(cal, None, now);
        let records = Records {
            who: payload.who.as_ref(),
            what: payload.what.as_ref(),
        };
        let shared = match request_share(&item, records, &actor) {
            Ok(s) => s,
            Err(refusal) => return Ok(Err(refusal)),
        };
        // The category works on the item whether or not the list has it (it then shows
        // without a colour): a list that cannot be changed does not stop the share.
        if let Err(e) = items.ensure_category(&ctx.settings.share_category).await {
            match e {
                SourceError::SignInExpired => return Err(e.into()),
                other => tracing::warn!(error = %other, "the share category could not be added"),
            }
        }
        match items.write_marks(key, &item.version, &shared.marks).await {
            Ok(_) => {
                return Ok(Ok(ShareDone {
                    waits_for_owner: shared.waits_for_owner,
                    notes: shared.notes,
                }));
            }
            Err(SourceError::Conflict { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(SyncError::Exchange(SourceError::Conflict {
        code: "ChangedMeanwhile".to_string(),
        message: "the item kept changing while the share was written".to_string(),
    }))
}

async fn do_unshare<S: ItemSource, C: Crm>(
    items: &S,
    crm: &C,
    store: &Arc<Store>,
    ctx: &Context,
    key: &ItemKey,
    now: DateTime<Utc>,
) -> Result<Done<()>, SyncError> {
    let Some(cal) = ctx.calendar(&key.owner) else {
        return Ok(Err(ShareRefusal::NotShared));
    };
    let Some(item) = items.item(key).await? else {
        return Ok(Err(ShareRefusal::NotShared));
    };
    let actor = ctx.actor(cal, Some(cal.is_own), now);
    let planned = request_unshare(&item, &actor);
    // A share cut off between creating its event and linking the item left the event with
    // only the item's id on it: unsharing deletes it too, or the next look for the item's
    // event would share the item again.
    let made_unlinked = match (&item.link, &planned) {
        (None, Ok(_) | Err(ShareRefusal::NotShared)) => {
            crate::made::events_for_items(crm, store, ctx, std::slice::from_ref(&key.id))
                .await?
                .into_iter()
                .find_map(|e| e.id)
        }
        (Some(_), _) | (None, Err(_)) => None,
    };
    let steps = match (planned, made_unlinked) {
        (Ok(steps), None) => steps,
        (Ok(steps), Some(event_id)) => std::iter::once(Step::DeleteEvent {
            item: key.clone(),
            event_id,
        })
        .chain(steps)
        .collect(),
        (Err(ShareRefusal::NotShared), Some(event_id)) => vec![Step::DeleteEvent {
            item: key.clone(),
            event_id,
        }],
        (Err(refusal), _) => return Ok(Err(refusal)),
    };
    let exec = Executor::new(items, crm, store, ctx, now);
    let mut report = Report::default();
    match exec.run(Some(&item), steps, &mut report).await? {
        Outcome::Done => Ok(Ok(())),
        Outcome::Deferred => Err(SyncError::Exchange(SourceError::Transient {
            message: "the unshare could not be finished just now".to_string(),
        })),
        // The CRM would not delete the event (or Exchange would not take the unlink): the
        // item stays shared rather than leave its event behind, and the problem says why.
        Outcome::Refused => Ok(Err(ShareRefusal::NoRight {
            reason: format!(
                "The item stays shared: the CRM or Exchange refused to stop sharing it. Ask {} \
                 to give you edit access in the CRM, or to stop sharing it.",
                cal.owner_name
            ),
        })),
    }
}
