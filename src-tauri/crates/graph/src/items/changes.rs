//! What changed in the user's own calendar: a round of the calendar view's delta query
//! (`/me/calendarView/delta`) to its delta link, which is the cursor. Delta entries come
//! without extended properties (`$expand` is not supported there) and, for occurrences, with
//! only a few properties (reference §11.5), so the changed ones are read again by id, twenty
//! to a `$batch`. A first round (no cursor) reads the whole window with one listing instead.
//!
//! An `@removed` entry is not always a deletion: the view also reports items moved out of the
//! window, and items outside it that changed, as removed. Each is read again: only "not
//! found" counts as proof of removal; an item still there is reported as changed.

use std::collections::HashMap;

use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::model::ExItem;
use onbehalf_engine::sync::port::{ItemChanges, Window};
use reqwest::Method;

use super::map::to_item;
use super::query::{item_query, window_query, DELTA_PAGE, PREFER};
use super::GraphItems;
use crate::client::{BatchRequest, BatchResponse, GraphPath, Page, Pager};
use crate::models::{DeltaEntry, Event};
use crate::{codes, source_error, GraphError};

const OPERATION: &str = "track changes to your calendar";

/// A delta failure in the port's terms: an expired or unknown state (410, `syncStateNotFound`,
/// `resyncRequired`) means "start again without a cursor".
fn delta_error(e: GraphError) -> SourceError {
    let expired = e.status() == Some(410)
        || e.code().is_some_and(|c| {
            c.eq_ignore_ascii_case("syncStateNotFound") || c.eq_ignore_ascii_case("resyncRequired")
        });
    match (expired, e) {
        (true, GraphError::Api { message, .. }) => SourceError::Other {
            code: codes::SYNC_STATE_NOT_FOUND.to_string(),
            message,
        },
        (_, e) => source_error(e),
    }
}

fn delta_prefer() -> String {
    format!("odata.maxpagesize={DELTA_PAGE}, {PREFER}")
}

/// The ids a round reported, each once (the same entity may come more than once), in order,
/// and whether its last report was a removal.
#[derive(Default)]
struct Reported {
    order: Vec<String>,
    removed: HashMap<String, bool>,
}

impl Reported {
    fn add(&mut self, id: String, removed: bool) {
        if id.is_empty() {
            return;
        }
        if self.removed.insert(id.clone(), removed).is_none() {
            self.order.push(id);
        }
    }
}

impl GraphItems {
    #[tracing::instrument(skip_all, fields(resumed = cursor.is_some()), err)]
    pub(super) async fn changes(
        &self,
        window: Window,
        cursor: Option<&str>,
    ) -> Result<ItemChanges, SourceError> {
        let pager: Pager<DeltaEntry> = match cursor {
            None => {
                let path = GraphPath::new().lit("me").lit("calendarView").lit("delta");
                let req = self
                    .client
                    .request(OPERATION, Method::GET, &path, &window_query(window))
                    .with_header("Prefer", delta_prefer());
                Pager::new(self.client.clone(), req)
            }
            Some(link) => Pager::resume(
                self.client.clone(),
                OPERATION,
                link,
                vec![("Prefer".to_string(), delta_prefer())],
            )
            .map_err(source_error)?,
        };
        self.round(window, cursor, None, Some(pager)).await
    }

    /// The batch member that asks for the first page of a round resumed at `cursor`.
    pub(super) fn delta_member(&self, id: &str, cursor: &str) -> Result<BatchRequest, SourceError> {
        let mut member =
            BatchRequest::from_link(id, &self.client, OPERATION, cursor).map_err(source_error)?;
        member.headers.insert("Prefer".to_string(), delta_prefer());
        Ok(member)
    }

    /// A round resumed at `cursor` whose first page came back in a batch.
    pub(super) async fn changes_from(
        &self,
        window: Window,
        cursor: &str,
        first: &BatchResponse,
    ) -> Result<ItemChanges, SourceError> {
        let page: Page<DeltaEntry> = first.json(OPERATION).map_err(delta_error)?;
        let rest = match &page.next_link {
            Some(link) => Some(
                Pager::resume(
                    self.client.clone(),
                    OPERATION,
                    link,
                    vec![("Prefer".to_string(), delta_prefer())],
                )
                .map_err(source_error)?,
            ),
            None => None,
        };
        self.round(window, Some(cursor), Some(page), rest).await
    }

    /// The rest of a round: `first` (a page already read, if any), then the pages of `pager`.
    async fn round(
        &self,
        window: Window,
        cursor: Option<&str>,
        first: Option<Page<DeltaEntry>>,
        pager: Option<Pager<DeltaEntry>>,
    ) -> Result<ItemChanges, SourceError> {
        let mut reported = Reported::default();
        let mut delta_link = None;
        let mut take = |page: Page<DeltaEntry>| {
            for entry in page.value {
                match entry {
                    DeltaEntry::Removed { id, .. } => reported.add(id, true),
                    DeltaEntry::Changed(e) => reported.add(e.id, false),
                }
            }
            delta_link = page.delta_link.or(delta_link.take());
        };
        if let Some(page) = first {
            take(page);
        }
        if let Some(mut pager) = pager {
            while let Some(page) = pager.next_page().await.map_err(delta_error)? {
                take(page);
            }
        }
        let next = delta_link.ok_or_else(|| SourceError::Other {
            code: "InvalidResponse".to_string(),
            message: "the calendar's change tracking ended without a delta link".to_string(),
        })?;
        let (changed, removed) = match cursor {
            // The whole window, with the marks, in a few listing pages.
            None => (self.list_items(&self.me, window).await?, Vec::new()),
            Some(_) => self.read_again(&reported).await?,
        };
        Ok(ItemChanges {
            changed,
            removed,
            cursor: next,
        })
    }

    /// Read every reported id again, twenty to a batch: what is there changed, what is not
    /// found was removed.
    async fn read_again(
        &self,
        reported: &Reported,
    ) -> Result<(Vec<ExItem>, Vec<String>), SourceError> {
        let requests: Vec<BatchRequest> = reported
            .order
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let path = GraphPath::new().lit("me").lit("events").id(id);
                let mut r = BatchRequest::new(i.to_string(), Method::GET, &path, &item_query());
                r.headers.insert("Prefer".to_string(), PREFER.to_string());
                r
            })
            .collect();
        if requests.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let answers = self.client.batch(requests).await.map_err(source_error)?;
        let mut changed = Vec::new();
        let mut removed = Vec::new();
        for (id, answer) in reported.order.iter().zip(answers) {
            if answer.status == 404 {
                removed.push(id.clone());
                continue;
            }
            let event: Event = answer.json("read a changed item").map_err(source_error)?;
            if reported.removed.get(id).copied().unwrap_or(false) {
                tracing::debug!(item = %id, "reported removed but still there: moved or outside the window");
            }
            changed.push(to_item(&self.me, event)?);
        }
        Ok((changed, removed))
    }
}
