//! Performing the steps of many pairs with as few round trips as the services allow. Each
//! pair's steps stay in their order; the pairs advance together, one step each per wave, and
//! the steps of a wave are sent together by kind: CRM creations, updates and deletions in
//! calls of up to 200 records, Exchange marks up to 20 to a `$batch`. Every result is recorded
//! for its own pair exactly as the one-pair path records it, so a crash between two waves
//! leaves what a crash between two steps of a pair would.

use std::collections::VecDeque;

use onbehalf_engine::crm::{Crm, CrmEvent, ItemResult};
use onbehalf_engine::sync::marks::{Link, Marks};
use onbehalf_engine::sync::model::{ExItem, Fields, ItemKey};
use onbehalf_engine::sync::plan::Step;
use onbehalf_engine::sync::port::{ItemSource, MarkWrite};

use crate::db::db;
use crate::error::SyncError;
use crate::execute::{link_marks, unlink_marks, Created, Executor, Outcome};
use crate::report::Report;

/// One pair's steps, to be performed in order.
pub(crate) struct Pair<'i> {
    /// The Exchange item, when present.
    pub item: Option<&'i ExItem>,
    pub steps: Vec<Step>,
}

/// A pair on its way: what is left, the item's newest version, and how it ended.
struct Running<'i> {
    item: Option<&'i ExItem>,
    steps: VecDeque<Step>,
    version: Option<String>,
    ended: Option<Outcome>,
}

/// Which CRM change a pair's answer is to.
#[derive(Clone, Copy)]
enum Change {
    Update,
    Delete,
}

/// A change of marks waiting for its wave's `$batch`.
enum MarkChange {
    Link(Box<(Link, Fields)>),
    Unlink { categories: Vec<String> },
}

/// The front step of each pair still going, by kind.
#[derive(Default)]
struct Wave {
    creates: Vec<(usize, ItemKey, CrmEvent)>,
    updates: Vec<(usize, ItemKey, CrmEvent)>,
    deletes: Vec<(usize, ItemKey, String)>,
    marks: Vec<(usize, ItemKey, MarkChange)>,
    single: Vec<(usize, Step)>,
}

impl Wave {
    fn add(&mut self, i: usize, step: Step) {
        match step {
            Step::CreateEvent { item, event } => self.creates.push((i, item, event)),
            Step::UpdateEvent { item, event } => self.updates.push((i, item, event)),
            Step::DeleteEvent { item, event_id } => self.deletes.push((i, item, event_id)),
            Step::LinkItem {
                item, link, fields, ..
            } => self
                .marks
                .push((i, item, MarkChange::Link(Box::new((link, fields))))),
            Step::Unlink {
                item, categories, ..
            } => self
                .marks
                .push((i, item, MarkChange::Unlink { categories })),
            other => self.single.push((i, other)),
        }
    }

    fn is_empty(&self) -> bool {
        self.creates.is_empty()
            && self.updates.is_empty()
            && self.deletes.is_empty()
            && self.marks.is_empty()
            && self.single.is_empty()
    }
}

impl<S: ItemSource, C: Crm> Executor<'_, S, C> {
    /// Perform every pair's steps; one outcome per pair, in the order given.
    pub(crate) async fn run_all(
        &self,
        pairs: Vec<Pair<'_>>,
        report: &mut Report,
    ) -> Result<Vec<Outcome>, SyncError> {
        let mut running: Vec<Running<'_>> = pairs
            .into_iter()
            .map(|p| Running {
                item: p.item,
                version: p.item.map(|i| i.version.clone()),
                steps: p.steps.into(),
                ended: None,
            })
            .collect();
        loop {
            let mut wave = Wave::default();
            for (i, r) in running.iter_mut().enumerate() {
                if r.ended.is_some() {
                    continue;
                }
                match r.steps.pop_front() {
                    Some(step) => wave.add(i, step),
                    None => r.ended = Some(Outcome::Done),
                }
            }
            if wave.is_empty() {
                break;
            }
            self.creates(&mut running, wave.creates, report).await?;
            self.updates_and_deletes(&mut running, wave.updates, wave.deletes, report)
                .await?;
            self.marks(&mut running, wave.marks, report).await?;
            for (i, step) in wave.single {
                let r = &mut running[i];
                let outcome = self.step(r.item, step, &mut r.version, report).await?;
                end(r, outcome, report);
            }
        }
        Ok(running
            .into_iter()
            .map(|r| r.ended.unwrap_or(Outcome::Done))
            .collect())
    }

    async fn creates(
        &self,
        running: &mut [Running<'_>],
        group: Vec<(usize, ItemKey, CrmEvent)>,
        report: &mut Report,
    ) -> Result<(), SyncError> {
        if group.is_empty() {
            return Ok(());
        }
        let events: Vec<(ItemKey, CrmEvent)> = group
            .iter()
            .map(|(_, key, e)| (key.clone(), e.clone()))
            .collect();
        let mut results =
            crate::made::create_events(self.crm, self.store, self.ctx, self.now, &events)
                .await?
                .into_iter();
        for (i, key, event) in group {
            let r = &mut running[i];
            let created = self
                .created(&key, &event, r.item, results.next(), &r.version, report)
                .await?;
            match created {
                // The link is written in the next wave, with the other pairs' marks.
                Created::Link(made) => {
                    let (link, fields) = *made;
                    r.steps.push_front(Step::LinkItem {
                        item: key,
                        version: r.version.clone().unwrap_or_default(),
                        link,
                        fields,
                    })
                }
                Created::Ended(outcome) => end(r, outcome, report),
            }
        }
        Ok(())
    }

    /// Send a wave's CRM updates, then its deletions, each kind in as few calls as the CRM
    /// takes, and record each answer for its pair.
    async fn updates_and_deletes(
        &self,
        running: &mut [Running<'_>],
        updates: Vec<(usize, ItemKey, CrmEvent)>,
        deletes: Vec<(usize, ItemKey, String)>,
        report: &mut Report,
    ) -> Result<(), SyncError> {
        if !updates.is_empty() {
            let events: Vec<CrmEvent> = updates.iter().map(|(_, _, e)| e.clone()).collect();
            let results = self.crm.update_events(&events).await?;
            let keys = updates.into_iter().map(|(i, k, _)| (i, k));
            self.answered(running, keys, results, Change::Update, report)
                .await?;
        }
        if !deletes.is_empty() {
            let ids: Vec<String> = deletes.iter().map(|(_, _, id)| id.clone()).collect();
            let results = self.crm.delete_events(&ids).await?;
            let keys = deletes.into_iter().map(|(i, k, _)| (i, k));
            self.answered(running, keys, results, Change::Delete, report)
                .await?;
        }
        Ok(())
    }

    async fn answered(
        &self,
        running: &mut [Running<'_>],
        keys: impl Iterator<Item = (usize, ItemKey)>,
        results: Vec<ItemResult<()>>,
        change: Change,
        report: &mut Report,
    ) -> Result<(), SyncError> {
        let mut results = results.into_iter();
        for (i, key) in keys {
            let r = &mut running[i];
            let answer = results.next();
            let outcome = match change {
                Change::Update => self.updated(&key, answer, &r.version, report).await?,
                Change::Delete => self.deleted(&key, answer, &r.version, report).await?,
            };
            end(r, outcome, report);
        }
        Ok(())
    }

    async fn marks(
        &self,
        running: &mut [Running<'_>],
        group: Vec<(usize, ItemKey, MarkChange)>,
        report: &mut Report,
    ) -> Result<(), SyncError> {
        if group.is_empty() {
            return Ok(());
        }
        let writes: Vec<MarkWrite> = group
            .iter()
            .map(|(i, key, change)| MarkWrite {
                key: key.clone(),
                version: running[*i].version.clone().unwrap_or_default(),
                marks: marks_of(change),
            })
            .collect();
        let mut results = self.items.write_marks_many(&writes).await?.into_iter();
        // The links written are remembered together, in one transaction.
        let mut rows = Vec::new();
        for (i, key, change) in group {
            let r = &mut running[i];
            let outcome = match results.next() {
                Some(Ok(v)) => {
                    r.version = Some(v.clone());
                    match change {
                        MarkChange::Link(made) => {
                            let (link, fields) = *made;
                            report.exchange_writes += 1;
                            rows.push(self.link_row(&key, &link, &fields, v));
                            Outcome::Done
                        }
                        MarkChange::Unlink { .. } => self.unlinked(&key, r.item, report).await?,
                    }
                }
                Some(Err(e)) => self.exchange_failed(&key, e, report).await?,
                None => Outcome::Deferred,
            };
            end(r, outcome, report);
        }
        db(self.store, "remembering the links", move |s| {
            s.sync_links().upsert_many(&rows)
        })
        .await
    }
}

fn marks_of(change: &MarkChange) -> Marks {
    match change {
        MarkChange::Link(made) => link_marks(made.0.clone()),
        MarkChange::Unlink { categories } => unlink_marks(categories.clone()),
    }
}

/// Record how a step ended for its pair: done goes on to the next step.
fn end(r: &mut Running<'_>, outcome: Outcome, report: &mut Report) {
    match outcome {
        Outcome::Done => {}
        Outcome::Deferred => {
            report.deferred += 1;
            r.ended = Some(Outcome::Deferred);
        }
        Outcome::Refused => r.ended = Some(Outcome::Refused),
    }
}
