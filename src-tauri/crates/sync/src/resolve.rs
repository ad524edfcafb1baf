//! Resolving a conflict: the user keeps one side's values. Kept in the outbox first like a
//! share, then done as a sync does it: the other side takes the kept values (the CRM event
//! updated, or an appointment in Exchange, never a meeting), and the link on the item is
//! written with `If-Match` at the new base, so the next sync finds nothing changed. A crash or
//! a busy service leaves the intent for the next cycle.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use onbehalf_engine::crm::{Crm, CrmError};
use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::merge::Winner;
use onbehalf_engine::sync::model::ItemKey;
use onbehalf_engine::sync::plan::{fields_of, Problem};
use onbehalf_engine::sync::port::ItemSource;
use onbehalf_engine::sync::resolve::{differences, keep_side, ResolveRefusal};
use onbehalf_engine::sync::view::problem_words;
use onbehalf_store::{item_subject, Store};
use serde::{Deserialize, Serialize};

use crate::conflicts::{clear, FieldValues};
use crate::context::Context;
use crate::db::db;
use crate::error::SyncError;
use crate::execute::{Executor, Outcome};
use crate::report::Report;
use crate::words::problem_view;

/// What a resolution asked for, as kept in the outbox.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) struct ResolvePayload {
    pub keep: Winner,
}

/// A conflict resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Resolved {
    /// The side whose values both sides now hold.
    pub kept: Winner,
    /// The fields that differed, with the values each side held before.
    pub fields: Vec<FieldValues>,
}

/// Resolve the conflict of `key` by keeping `keep`'s values.
pub async fn resolve<S: ItemSource, C: Crm>(
    items: &S,
    crm: &C,
    store: &Arc<Store>,
    ctx: &Context,
    key: &ItemKey,
    keep: Winner,
    now: DateTime<Utc>,
) -> Result<Result<Resolved, ResolveRefusal>, SyncError> {
    if !has_conflict(store, ctx, key).await? {
        return Ok(Err(ResolveRefusal::NoConflict));
    }
    let ctx = &crate::item_ids::with_known(crm, store, ctx, now).await?;
    let payload = ResolvePayload { keep };
    let id =
        crate::intents::enqueue(store, ctx, crate::intents::RESOLVE, key, &payload, now).await?;
    let done = do_resolve(items, crm, store, ctx, key, keep, now).await;
    crate::intents::finish(store, &id, &done, now).await?;
    done
}

async fn has_conflict(store: &Arc<Store>, ctx: &Context, key: &ItemKey) -> Result<bool, SyncError> {
    let account = ctx.account_id.clone();
    let key = key.clone();
    let row = db(store, "reading the conflict", move |s| {
        s.sync_conflicts().get(&account, &key.owner, &key.id)
    })
    .await?;
    Ok(row.is_some_and(|r| r.resolution.is_none()))
}

/// Keep `keep`'s values for `key`, reading both sides afresh. Done again by a later cycle when
/// it could not be finished.
pub(crate) async fn do_resolve<S: ItemSource, C: Crm>(
    items: &S,
    crm: &C,
    store: &Arc<Store>,
    ctx: &Context,
    key: &ItemKey,
    keep: Winner,
    now: DateTime<Utc>,
) -> Result<Result<Resolved, ResolveRefusal>, SyncError> {
    if !has_conflict(store, ctx, key).await? {
        return Ok(Err(ResolveRefusal::NoConflict));
    }
    let Some(cal) = ctx.calendar(&key.owner) else {
        return Ok(Err(ResolveRefusal::Blocked {
            reason: format!("Onbehalf does not sync {}'s calendar.", key.owner),
        }));
    };
    let item = match items.item(key).await? {
        Some(item) if item.link.is_some() => item,
        Some(_) | None => {
            clear(store, ctx, vec![key.clone()]).await?;
            return Ok(Err(ResolveRefusal::NotShared));
        }
    };
    let event_id = item
        .link
        .as_ref()
        .map(|l| l.event_id.clone())
        .unwrap_or_default();
    let event = match crm
        .read_events(std::slice::from_ref(&event_id))
        .await?
        .into_iter()
        .next()
    {
        Some(Ok(event)) => event,
        Some(Err(CrmError::Deleted)) => {
            clear(store, ctx, vec![key.clone()]).await?;
            return Ok(Err(ResolveRefusal::NotShared));
        }
        Some(Err(CrmError::NotFound)) => {
            return Ok(Err(ResolveRefusal::Blocked {
                reason: problem_words(&Problem::NoCrmReadAccess, &cal.owner_name),
            }))
        }
        Some(Err(e)) => return Err(e.into()),
        None => return Err(busy("the CRM did not answer for the event")),
    };
    let may_edit = match cal.is_own {
        true => Some(true),
        false => crm
            .access(&ctx.crm_user, std::slice::from_ref(&event_id))
            .await?
            .into_iter()
            .find(|(id, _)| *id == event_id)
            .map(|(_, a)| a.edit),
    };
    let actor = ctx.actor(cal, may_edit, now);
    let before = differences(&item.fields, &fields_of(&event));
    let steps = match keep_side(&item, &event, keep, &actor) {
        Ok(steps) => steps,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let exec = Executor::new(items, crm, store, ctx, now);
    let mut report = Report::default();
    match exec.run(Some(&item), steps, &mut report).await? {
        Outcome::Done => {
            clear(store, ctx, vec![key.clone()]).await?;
            Ok(Ok(Resolved {
                kept: keep,
                fields: before
                    .into_iter()
                    .map(|f| FieldValues {
                        field: f.field,
                        outlook: f.exchange,
                        crm: f.crm,
                    })
                    .collect(),
            }))
        }
        Outcome::Deferred => Err(busy(
            "the item changed while it was written, or a service was busy; it is tried again \
             at the next sync",
        )),
        Outcome::Refused => Ok(Err(ResolveRefusal::Blocked {
            reason: refused_words(store, ctx, key, &cal.owner_name).await?,
        })),
    }
}

fn busy(message: &str) -> SyncError {
    SyncError::Exchange(SourceError::Transient {
        message: message.to_string(),
    })
}

/// What the service that refused the write said, as kept by the executor.
async fn refused_words(
    store: &Arc<Store>,
    ctx: &Context,
    key: &ItemKey,
    owner_name: &str,
) -> Result<String, SyncError> {
    let account = ctx.account_id.clone();
    let subject = item_subject(&key.owner, &key.id);
    let rows = db(store, "reading the item's problems", move |s| {
        s.sync_problems().open(&account)
    })
    .await?;
    let words: Vec<String> = rows
        .iter()
        .filter(|r| r.subject == subject)
        .map(|r| problem_view(r, owner_name).message)
        .collect();
    Ok(match words.is_empty() {
        true => "The CRM or Microsoft 365 refused the change.".to_string(),
        false => words.join(" "),
    })
}
