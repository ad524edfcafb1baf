//! Performing a pair's steps through the ports, each result recorded in the store once the
//! write it records has succeeded. A step that fails because a side is busy, or because the
//! item changed under the write, defers the pair to the next cycle; a refusal becomes a
//! problem.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use onbehalf_engine::crm::{Crm, CrmError, CrmEvent, ItemResult};
use onbehalf_engine::sync::hash::FieldHashes;
use onbehalf_engine::sync::marks::{Link, Marks, LINK_FORMAT};
use onbehalf_engine::sync::model::{ExItem, Fields, ItemKey};
use onbehalf_engine::sync::plan::Step;
use onbehalf_engine::sync::port::ItemSource;
use onbehalf_store::{LinkRow, Store};

use crate::context::Context;
use crate::db::db;
use crate::error::SyncError;
use crate::report::Report;

/// How a pair's steps ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Done,
    /// Left for the next cycle: a side was busy, or the item changed under the write.
    Deferred,
    /// A step was refused for good and became a problem. The pair's later steps assumed it
    /// was made (an unshare's unlink after deleting the event, a new link base after an
    /// update), so they are not made either: made, they would orphan the CRM event or record
    /// as synced what the CRM never took.
    Refused,
}

/// What a creation in the CRM leaves to do.
pub(crate) enum Created {
    /// Write this link, with the fields both sides now hold, on the item.
    Link(Box<(Link, Fields)>),
    /// Nothing more: the pair ended so.
    Ended(Outcome),
}

pub(crate) struct Executor<'a, S, C> {
    pub items: &'a S,
    pub crm: &'a C,
    pub store: &'a Arc<Store>,
    pub ctx: &'a Context,
    pub now: DateTime<Utc>,
    /// (subject, cause) of every problem raised, so that the cycle does not settle a problem
    /// it has just found as gone.
    pub raised: Mutex<Vec<(String, String)>>,
}

impl<'a, S: ItemSource, C: Crm> Executor<'a, S, C> {
    pub(crate) fn new(
        items: &'a S,
        crm: &'a C,
        store: &'a Arc<Store>,
        ctx: &'a Context,
        now: DateTime<Utc>,
    ) -> Self {
        Executor {
            items,
            crm,
            store,
            ctx,
            now,
            raised: Mutex::default(),
        }
    }
}

impl<S: ItemSource, C: Crm> Executor<'_, S, C> {
    /// Perform `steps` of one pair in order; `item` is the Exchange item when present.
    pub async fn run(
        &self,
        item: Option<&ExItem>,
        steps: Vec<Step>,
        report: &mut Report,
    ) -> Result<Outcome, SyncError> {
        // The newest version of the item as steps change it, for the next write's If-Match.
        let mut version = item.map(|i| i.version.clone());
        for step in steps {
            match self.step(item, step, &mut version, report).await? {
                Outcome::Done => {}
                Outcome::Deferred => {
                    report.deferred += 1;
                    return Ok(Outcome::Deferred);
                }
                Outcome::Refused => return Ok(Outcome::Refused),
            }
        }
        Ok(Outcome::Done)
    }

    pub(crate) async fn step(
        &self,
        item: Option<&ExItem>,
        step: Step,
        version: &mut Option<String>,
        report: &mut Report,
    ) -> Result<Outcome, SyncError> {
        match step {
            Step::CreateEvent { item: key, event } => {
                let created = crate::made::create_events(
                    self.crm,
                    self.store,
                    self.ctx,
                    self.now,
                    &[(key.clone(), event.clone())],
                )
                .await?;
                let link = self.created(
                    &key,
                    &event,
                    item,
                    created.into_iter().next(),
                    version,
                    report,
                );
                match link.await? {
                    Created::Link(made) => {
                        let (link, fields) = *made;
                        self.link(&key, &link, &fields, version, report).await
                    }
                    Created::Ended(outcome) => Ok(outcome),
                }
            }
            Step::UpdateEvent { item: key, event } => {
                let results = self.crm.update_events(std::slice::from_ref(&event)).await?;
                self.updated(&key, results.into_iter().next(), version, report)
                    .await
            }
            Step::UpdateItem {
                item: key, fields, ..
            } => {
                let at = version.clone().unwrap_or_default();
                match self.items.write_fields(&key, &at, &fields).await {
                    Ok(v) => {
                        report.exchange_writes += 1;
                        report.updated_in_exchange += 1;
                        *version = Some(v);
                        Ok(Outcome::Done)
                    }
                    Err(e) => self.exchange_failed(&key, e, report).await,
                }
            }
            Step::LinkItem {
                item: key,
                link,
                fields,
                ..
            } => self.link(&key, &link, &fields, version, report).await,
            Step::Unlink {
                item: key,
                categories,
                ..
            } => {
                let marks = unlink_marks(categories);
                let at = version.clone().unwrap_or_default();
                match self.items.write_marks(&key, &at, &marks).await {
                    Ok(v) => {
                        *version = Some(v);
                        self.unlinked(&key, item, report).await
                    }
                    Err(e) => self.exchange_failed(&key, e, report).await,
                }
            }
            Step::DeleteEvent {
                item: key,
                event_id,
            } => {
                let results = self
                    .crm
                    .delete_events(std::slice::from_ref(&event_id))
                    .await?;
                self.deleted(&key, results.into_iter().next(), version, report)
                    .await
            }
            Step::Forget { item: key } => {
                self.forget(&key).await?;
                Ok(Outcome::Done)
            }
            Step::Overwrote {
                item: key,
                subject,
                time,
                fields,
            } => {
                let detail = crate::overwrites::OverwriteDetail {
                    subject,
                    time,
                    fields,
                };
                let recorded =
                    record_overwrite(self.store, &self.ctx.account_id, &key, &detail, self.now)
                        .await?;
                if recorded {
                    report.notices.push(detail.notice());
                }
                Ok(Outcome::Done)
            }
            Step::Conflict { item: key, fields } => {
                let account = self.ctx.account_id.clone();
                let text = serde_json::to_string(&fields).unwrap_or_default();
                let now = self.now;
                db(self.store, "keeping a conflict", move |s| {
                    s.sync_conflicts()
                        .raise(&account, &key.owner, &key.id, &text, now)
                })
                .await?;
                report.conflicts += 1;
                Ok(Outcome::Done)
            }
            Step::Problem { item: key, problem } => {
                self.raise(&key, &problem).await?;
                report.problems += 1;
                Ok(Outcome::Done)
            }
            Step::CreateItem {
                event_id,
                fields,
                is_private,
                categories,
                link,
            } => {
                let marks = Marks {
                    categories: Some(categories),
                    link: Some(Some(link.clone())),
                    pending: None,
                };
                match self.items.create_item(&fields, is_private, &marks).await {
                    Ok(made) => {
                        report.created_in_exchange += 1;
                        *version = Some(made.version.clone());
                        // The event learns its item's id, as events made for shares carry it,
                        // before the pair is remembered here: cut short in between, the next
                        // cycle finds the new item unknown, reads its event and finishes this.
                        // (Gone meanwhile, it is unlinked by the next cycle.)
                        // Where the CRM keeps no item id, the link on the item is all there is.
                        let event = match self.ctx.keeps_item_ids == Some(true) {
                            true => self.crm.read_events(&[event_id]).await?.pop(),
                            false => None,
                        };
                        if let Some(Ok(mut event)) = event {
                            event.external_id = Some(made.key.id.clone());
                            let written = self.crm.update_events(&[event]).await?.pop();
                            if let Some(Err(e)) = written {
                                return self.crm_refused(&made.key, e, version, report).await;
                            }
                            report.crm_writes += 1;
                        }
                        self.linked(&made.key, &link, &fields, made.version, report)
                            .await
                    }
                    // Kept against the event until the item exists: refused, it is a problem
                    // of that event.
                    Err(e) => {
                        let key = ItemKey {
                            owner: self.ctx.me.clone(),
                            id: event_id,
                        };
                        self.exchange_failed(&key, e, report).await
                    }
                }
            }
        }
    }

    /// The CRM answered the creation of `event` for the item `key`: the link to write next, or
    /// how the pair ended.
    pub(crate) async fn created(
        &self,
        key: &ItemKey,
        event: &CrmEvent,
        item: Option<&ExItem>,
        result: Option<ItemResult<String>>,
        version: &Option<String>,
        report: &mut Report,
    ) -> Result<Created, SyncError> {
        report.crm_writes += 1;
        // An event made for an owner's item is a direct share: what the CRM answered is what
        // the user may do on that owner's CRM calendar.
        let direct = self.ctx.calendar(&key.owner).filter(|c| !c.is_own);
        let id = match (result, direct) {
            (Some(Ok(id)), Some(cal)) => {
                if cal.may_add_crm != Some(true) {
                    crate::direct::learn(self.store, self.ctx, &key.owner, true, self.now).await?;
                }
                id
            }
            (Some(Ok(id)), None) => id,
            // Refused: the share stays asked for on the item, for the owner's sync to make.
            (Some(Err(e)), Some(cal)) if crate::direct::refuses_adding(&e) => {
                crate::direct::learn(self.store, self.ctx, &key.owner, false, self.now).await?;
                report.notices.push(format!(
                    "Your CRM user may not add events to {}'s CRM calendar, so \"{}\" waits \
                     for their sync to share it.",
                    cal.owner_name,
                    item.map(|i| i.fields.subject.as_str())
                        .unwrap_or("the item")
                ));
                return Ok(Created::Ended(Outcome::Done));
            }
            (Some(Err(e)), _) => {
                return Ok(Created::Ended(
                    self.crm_refused(key, e, version, report).await?,
                ))
            }
            (None, _) => return Ok(Created::Ended(Outcome::Deferred)),
        };
        let Some(item) = item else {
            return Ok(Created::Ended(Outcome::Deferred));
        };
        report.shared += 1;
        let link = self.new_link(id, key, event, &item.fields);
        Ok(Created::Link(Box::new((link, item.fields.clone()))))
    }

    /// The CRM answered an update of the item `key`'s event.
    pub(crate) async fn updated(
        &self,
        key: &ItemKey,
        result: Option<ItemResult<()>>,
        version: &Option<String>,
        report: &mut Report,
    ) -> Result<Outcome, SyncError> {
        report.crm_writes += 1;
        match result {
            Some(Ok(())) => {
                report.updated_in_crm += 1;
                Ok(Outcome::Done)
            }
            Some(Err(e)) => self.crm_refused(key, e, version, report).await,
            None => Ok(Outcome::Deferred),
        }
    }

    /// The CRM answered the deletion of the item `key`'s event.
    pub(crate) async fn deleted(
        &self,
        key: &ItemKey,
        result: Option<ItemResult<()>>,
        version: &Option<String>,
        report: &mut Report,
    ) -> Result<Outcome, SyncError> {
        report.crm_writes += 1;
        // "Not found" is proof the event is gone only to its owner, who sees every event of
        // their calendar; to anyone else the CRM answers the same for an event they may not
        // see, which is still there.
        let own = self.ctx.calendar(&key.owner).is_some_and(|c| c.is_own);
        let gone = match &result {
            Some(Ok(())) | Some(Err(CrmError::Deleted)) => true,
            Some(Err(CrmError::NotFound)) => own,
            Some(Err(_)) | None => false,
        };
        match result {
            _ if gone => {
                report.deleted_in_crm += 1;
                self.forget(key).await?;
                Ok(Outcome::Done)
            }
            Some(Err(e)) => self.crm_refused(key, e, version, report).await,
            Some(Ok(())) | None => Ok(Outcome::Deferred),
        }
    }

    /// The link of an item to the event just created for it with the item's `fields`.
    pub(crate) fn new_link(
        &self,
        event_id: String,
        key: &ItemKey,
        event: &CrmEvent,
        fields: &Fields,
    ) -> Link {
        Link {
            v: LINK_FORMAT,
            crm: self.ctx.crm.clone(),
            org_id: self.ctx.crm_org.clone(),
            event_id,
            item_id: Some(key.id.clone()),
            owner_id: event.owner_id.clone(),
            who_id: event.who_id.clone(),
            what_id: event.what_id.clone(),
            synced: FieldHashes::of(fields),
            crm_version: String::new(),
            synced_at: self.now,
        }
    }

    /// Write the link on the item (clearing a pending share), then remember it locally.
    async fn link(
        &self,
        key: &ItemKey,
        link: &Link,
        fields: &Fields,
        version: &mut Option<String>,
        report: &mut Report,
    ) -> Result<Outcome, SyncError> {
        let marks = link_marks(link.clone());
        let at = version.clone().unwrap_or_default();
        let new_version = match self.items.write_marks(key, &at, &marks).await {
            Ok(v) => v,
            // The event exists and carries the item's id: the next cycle relinks it.
            Err(e) => return self.exchange_failed(key, e, report).await,
        };
        *version = Some(new_version.clone());
        self.linked(key, link, fields, new_version, report).await
    }

    /// The marks of `Unlink` were written at `new_version`: forget the pair and say so.
    pub(crate) async fn unlinked(
        &self,
        key: &ItemKey,
        item: Option<&ExItem>,
        report: &mut Report,
    ) -> Result<Outcome, SyncError> {
        report.exchange_writes += 1;
        report.unlinked += 1;
        if let Some(i) = item {
            report.notices.push(format!(
                "\"{}\" is no longer shared: its CRM event is gone. The meeting itself stays \
                 in Outlook.",
                i.fields.subject
            ));
        }
        self.forget(key).await?;
        Ok(Outcome::Done)
    }

    /// The link was written on the item at `new_version`: remember it locally.
    pub(crate) async fn linked(
        &self,
        key: &ItemKey,
        link: &Link,
        fields: &Fields,
        new_version: String,
        report: &mut Report,
    ) -> Result<Outcome, SyncError> {
        report.exchange_writes += 1;
        let row = self.link_row(key, link, fields, new_version);
        db(self.store, "remembering a link", move |s| {
            s.sync_links().upsert(&row)
        })
        .await?;
        Ok(Outcome::Done)
    }

    /// The local row of a link just written on the item at `new_version`.
    pub(crate) fn link_row(
        &self,
        key: &ItemKey,
        link: &Link,
        fields: &Fields,
        new_version: String,
    ) -> LinkRow {
        LinkRow {
            account_id: self.ctx.account_id.clone(),
            item_owner: key.owner.clone(),
            item_id: key.id.clone(),
            crm: link.crm.clone(),
            org_id: link.org_id.clone(),
            event_id: link.event_id.clone(),
            crm_owner_id: link.owner_id.clone(),
            who_id: link.who_id.clone(),
            what_id: link.what_id.clone(),
            synced_hashes: serde_json::to_string(&link.synced).unwrap_or_default(),
            synced_fields: serde_json::to_string(fields).ok(),
            ex_version: new_version,
            crm_version: link.crm_version.clone(),
            synced_at: self.now,
        }
    }

    pub(crate) async fn forget(&self, key: &ItemKey) -> Result<(), SyncError> {
        let account = self.ctx.account_id.clone();
        let key = key.clone();
        db(self.store, "forgetting a link", move |s| {
            s.sync_links()
                .remove(&account, &key.owner, &key.id)
                .map(|_| ())
        })
        .await
    }
}

/// Keep what a merge of `key` overwrote, so the user can see it; whether it was new (a merge
/// recorded again after an interrupted cycle is not told twice).
async fn record_overwrite(
    store: &Arc<Store>,
    account_id: &str,
    key: &ItemKey,
    detail: &crate::overwrites::OverwriteDetail,
    now: DateTime<Utc>,
) -> Result<bool, SyncError> {
    let account = account_id.to_string();
    let key = key.clone();
    let text = detail.to_json();
    db(store, "keeping what a merge overwrote", move |s| {
        s.sync_overwrites()
            .record(&account, &key.owner, &key.id, &text, now)
    })
    .await
}

/// The marks of a link written on an item: the link, and no pending share any more.
pub(crate) fn link_marks(link: Link) -> Marks {
    Marks {
        categories: None,
        link: Some(Some(link)),
        pending: Some(None),
    }
}

/// The marks of an unlinked item: no link, no pending share, these categories.
pub(crate) fn unlink_marks(categories: Vec<String>) -> Marks {
    Marks {
        categories: Some(categories),
        link: Some(None),
        pending: Some(None),
    }
}
