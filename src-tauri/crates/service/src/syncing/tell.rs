//! Telling the user of the sync's problems: the engine picks the notices, this shows them
//! through the notifier the app or the CLI gave, and marks what each one covers as told, so a
//! restart neither repeats nor forgets them.

use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError};

use chrono::{Local, Utc};
use onbehalf_engine::crm::EventTime;
use onbehalf_engine::sync::account::OWNER_PREFIX;
use onbehalf_engine::sync::model::{ExItem, ItemKey};
use onbehalf_engine::sync::notice_kinds::NoticeKind;
use onbehalf_engine::sync::notices::{notices, ItemFacts, Notifier, ProblemFacts};
use onbehalf_engine::sync::port::ItemSource;
use onbehalf_store::{Account, ProblemRow, ITEM_SUBJECT_PREFIX};
use onbehalf_sync::problem_view;

use crate::blocking::blocking;
use crate::error::ServiceError;
use crate::syncing::run::Work;
use crate::Onbehalf;

impl Onbehalf {
    /// Show the sync's problems through `notifier` from now on (the CLI's `--quiet` and tests
    /// leave it unset: nothing is shown, nothing is marked told).
    pub fn set_notifier(&self, notifier: Arc<dyn Notifier>) {
        *self.notifier.lock().unwrap_or_else(PoisonError::into_inner) = Some(notifier);
    }

    pub(crate) fn current_notifier(&self) -> Option<Arc<dyn Notifier>> {
        self.notifier
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Tell what there is to tell after a cycle (`work`: what it worked with, when it got that
    /// far); returns how many notices were shown.
    pub(crate) async fn tell(
        &self,
        account: &Account,
        work: Option<&Work>,
    ) -> Result<usize, ServiceError> {
        let Some(notifier) = self.current_notifier() else {
            return Ok(0);
        };
        let store = self.store.clone();
        let id = account.id.clone();
        let rows = blocking("reading the problems to tell", move || {
            Ok(store.sync_problems().to_tell(&id)?)
        })
        .await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let quiet = self.settings_view_of(account).await?.settings.quiet_kinds;
        let names = self.owner_names(account, work).await;
        let mut facts = Vec::with_capacity(rows.len());
        for row in &rows {
            facts.push(facts_of(row, &names, work.map(|w| &w.items)).await);
        }
        // A kind the user silenced is done with unseen; it is still listed as a problem.
        let (silenced, heard): (Vec<ProblemFacts>, Vec<ProblemFacts>) = facts
            .into_iter()
            .partition(|f| quiet.contains(&NoticeKind::of(&f.cause)));
        let mut told: Vec<(String, String)> = silenced
            .iter()
            .map(|f| (f.subject.clone(), f.cause.clone()))
            .collect();
        let mut shown = 0;
        for notice in notices(&heard) {
            // The desktop's service is called synchronously: off the async workers.
            let (n, shown_by) = (notice.clone(), Arc::clone(&notifier));
            let result = tokio::task::spawn_blocking(move || shown_by.show(&n))
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
            match result {
                Ok(()) => {
                    shown += 1;
                    told.extend(notice.covers);
                }
                // Not marked: tried again after the next cycle.
                Err(e) => tracing::warn!(error = %e, "a notification could not be shown"),
            }
        }
        // What needs no word (the end of a problem that never blocked) is done with too.
        told.extend(
            heard
                .iter()
                .filter(|f| f.resolved)
                .map(|f| (f.subject.clone(), f.cause.clone())),
        );
        let store = self.store.clone();
        let id = account.id.clone();
        let now = Utc::now();
        blocking("noting what the user was told", move || {
            Ok(store.sync_problems().mark_told(&id, &told, now)?)
        })
        .await?;
        Ok(shown)
    }

    /// Each owner's name by address (lowercase): from the cycle's context, else from the
    /// calendars the last refresh kept.
    pub(crate) async fn owner_names(
        &self,
        account: &Account,
        work: Option<&Work>,
    ) -> BTreeMap<String, String> {
        if let Some(w) = work {
            return w
                .ctx
                .calendars
                .iter()
                .map(|c| (c.owner.to_lowercase(), c.owner_name.clone()))
                .collect();
        }
        let calendars = self.stored_calendars(account).await.unwrap_or_default();
        calendars
            .iter()
            .map(|c| (c.owner.to_lowercase(), c.owner_name.clone()))
            .collect()
    }
}

/// A kept problem with its words and, for an item, what names it (the item itself is read
/// only when `items` is given).
pub(crate) async fn facts_of<S: ItemSource>(
    row: &ProblemRow,
    names: &BTreeMap<String, String>,
    items: Option<&S>,
) -> ProblemFacts {
    let key = row
        .subject
        .strip_prefix(ITEM_SUBJECT_PREFIX)
        .and_then(|rest| rest.split_once('/'))
        .map(|(owner, id)| ItemKey {
            owner: owner.to_string(),
            id: id.to_string(),
        });
    let name_of = |owner: &str| {
        names
            .get(&owner.to_lowercase())
            .cloned()
            .unwrap_or_else(|| owner.to_string())
    };
    let about = row.subject.strip_prefix(OWNER_PREFIX).map(name_of);
    let owner_name = key
        .as_ref()
        .map(|k| name_of(&k.owner))
        .or_else(|| about.clone())
        .unwrap_or_default();
    let item = match &key {
        // Gone, unreadable or not read, the item is still named by its owner.
        Some(k) => {
            let read = match items {
                Some(items) => items.item(k).await.ok().flatten(),
                None => None,
            };
            Some(item_facts(k, &owner_name, read))
        }
        None => None,
    };
    ProblemFacts {
        subject: row.subject.clone(),
        cause: row.cause.clone(),
        message: problem_view(row, &owner_name).message,
        item,
        about,
        told: row.notified_at.is_some(),
        resolved: row.resolved_at.is_some(),
    }
}

fn item_facts(key: &ItemKey, owner_name: &str, item: Option<ExItem>) -> ItemFacts {
    ItemFacts {
        owner: key.owner.clone(),
        owner_name: owner_name.to_string(),
        id: key.id.clone(),
        subject: item
            .as_ref()
            .map(|i| i.fields.subject.clone())
            .unwrap_or_default(),
        when: item
            .as_ref()
            .map(|i| when(&i.fields.time))
            .unwrap_or_default(),
        web_link: item.and_then(|i| i.web_link),
    }
}

/// When an item happens, in this computer's time zone.
fn when(time: &EventTime) -> String {
    match time {
        EventTime::Timed { start, .. } => start
            .with_timezone(&Local)
            .format("%a %-d %b, %H:%M")
            .to_string(),
        EventTime::AllDay { first, .. } => first.format("%a %-d %b").to_string(),
    }
}
