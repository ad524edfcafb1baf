//! Telling the user of the sync's problems: the engine picks the notices, this shows them
//! through the notifier the app or the CLI gave, and marks what each one covers as told, so a
//! restart neither repeats nor forgets them.

use std::sync::{Arc, PoisonError};

use chrono::{Local, Utc};
use onbehalf_engine::crm::EventTime;
use onbehalf_engine::sync::model::{ExItem, ItemKey};
use onbehalf_engine::sync::notices::{notices, ItemFacts, Notifier, ProblemFacts};
use onbehalf_engine::sync::port::ItemSource;
use onbehalf_store::{ProblemRow, ITEM_SUBJECT_PREFIX};
use onbehalf_sync::{problem_view, Context};

use crate::blocking::blocking;
use crate::error::ServiceError;
use crate::Onbehalf;

impl Onbehalf {
    /// Show the sync's problems through `notifier` from now on (the CLI's `--quiet` and tests
    /// leave it unset: nothing is shown, nothing is marked told).
    pub fn set_notifier(&self, notifier: Arc<dyn Notifier>) {
        *self.notifier.lock().unwrap_or_else(PoisonError::into_inner) = Some(notifier);
    }

    fn notifier(&self) -> Option<Arc<dyn Notifier>> {
        self.notifier
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Tell what there is to tell after a cycle; returns how many notices were shown.
    pub(crate) async fn tell(
        &self,
        ctx: &Context,
        items: &impl ItemSource,
    ) -> Result<usize, ServiceError> {
        let Some(notifier) = self.notifier() else {
            return Ok(0);
        };
        let store = self.store.clone();
        let account = ctx.account_id.clone();
        let rows = blocking("reading the problems to tell", move || {
            Ok(store.sync_problems().to_tell(&account)?)
        })
        .await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let mut facts = Vec::with_capacity(rows.len());
        for row in &rows {
            facts.push(facts_of(row, ctx, items).await);
        }
        let mut shown = 0;
        let mut told: Vec<(String, String)> = Vec::new();
        for notice in notices(&facts) {
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
            facts
                .iter()
                .filter(|f| f.resolved)
                .map(|f| (f.subject.clone(), f.cause.clone())),
        );
        let store = self.store.clone();
        let account = ctx.account_id.clone();
        let now = Utc::now();
        blocking("noting what the user was told", move || {
            Ok(store.sync_problems().mark_told(&account, &told, now)?)
        })
        .await?;
        Ok(shown)
    }
}

/// A kept problem with its words and, for an item, what names it.
pub(crate) async fn facts_of(
    row: &ProblemRow,
    ctx: &Context,
    items: &impl ItemSource,
) -> ProblemFacts {
    let key = row
        .subject
        .strip_prefix(ITEM_SUBJECT_PREFIX)
        .and_then(|rest| rest.split_once('/'))
        .map(|(owner, id)| ItemKey {
            owner: owner.to_string(),
            id: id.to_string(),
        });
    let owner_name = key
        .as_ref()
        .and_then(|k| ctx.calendar(&k.owner))
        .map(|c| c.owner_name.clone())
        .or_else(|| key.as_ref().map(|k| k.owner.clone()))
        .unwrap_or_default();
    let item = match &key {
        // Gone or unreadable, the item is still named by its owner.
        Some(k) => Some(item_facts(
            k,
            &owner_name,
            items.item(k).await.ok().flatten(),
        )),
        None => None,
    };
    ProblemFacts {
        subject: row.subject.clone(),
        cause: row.cause.clone(),
        message: problem_view(row, &owner_name).message,
        item,
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
