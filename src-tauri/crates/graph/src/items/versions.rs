//! A cheap poll of several owners' calendars: one calendar view per owner, with only ids and
//! change keys, twenty owners to a `$batch` (⌈owners/20⌉ round trips). A view longer than one
//! page continues by its next link; private items are left out where the user may not see
//! them, as `items` leaves them out.

use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::port::{Versions, Window};
use reqwest::Method;

use super::query::{mailbox, window_query, SELECT_VERSIONS};
use super::GraphItems;
use crate::client::{BatchRequest, BatchResponse, Page, Pager};
use crate::models::{Calendar, Event};
use crate::{source_error, GraphError};

const OPERATION: &str = "poll calendar versions";

/// The largest page a calendar view gives.
const TOP: u32 = 1000;

impl GraphItems {
    #[tracing::instrument(skip_all, fields(owners = owners.len()), err)]
    pub(super) async fn poll_versions(
        &self,
        owners: &[String],
        window: Window,
    ) -> Result<Vec<Result<Versions, SourceError>>, SourceError> {
        let requests = self.version_members(owners, window);
        if requests.is_empty() {
            return Ok(Vec::new());
        }
        let answers = self.client.batch(requests).await.map_err(source_error)?;
        self.versions_from(owners, &answers).await
    }

    /// One batch member per owner, with the owner's index as its id.
    pub(super) fn version_members(&self, owners: &[String], window: Window) -> Vec<BatchRequest> {
        let mut q = window_query(window);
        q.push(("$select", SELECT_VERSIONS.to_string()));
        q.push(("$top", TOP.to_string()));
        owners
            .iter()
            .enumerate()
            .map(|(i, owner)| {
                let path = mailbox(owner, &self.me).lit("calendar").lit("calendarView");
                BatchRequest::new(i.to_string(), Method::GET, &path, &q)
            })
            .collect()
    }

    /// The owners' versions from their members' answers (one per owner, in order).
    pub(super) async fn versions_from(
        &self,
        owners: &[String],
        answers: &[BatchResponse],
    ) -> Result<Vec<Result<Versions, SourceError>>, SourceError> {
        let mut views: Vec<Result<Vec<Event>, SourceError>> = Vec::new();
        for answer in answers {
            let page = match answer.json::<Page<Event>>(OPERATION) {
                Ok(p) => p,
                Err(e) => {
                    views.push(Err(source_error(e)));
                    continue;
                }
            };
            views.push(self.rest_of(page).await);
        }
        self.learn_private_access(owners, &views).await?;
        Ok(owners
            .iter()
            .zip(views)
            .map(|(owner, view)| {
                let events = view?;
                let hide = !self.is_me(owner) && self.known_private_access(owner) == Some(false);
                let items = events
                    .into_iter()
                    .filter(|e| !(hide && e.is_private()))
                    .filter_map(|e| {
                        let version = e.version()?.to_string();
                        Some((e.id, version))
                    })
                    .collect();
                Ok(Versions { items })
            })
            .collect())
    }

    /// A batch member's first page and, when there is more, the pages its next link leads to.
    async fn rest_of(&self, page: Page<Event>) -> Result<Vec<Event>, SourceError> {
        let mut events = page.value;
        if let Some(link) = page.next_link {
            let more: Vec<Event> = Pager::resume(self.client.clone(), OPERATION, &link, Vec::new())
                .map_err(source_error)?
                .all()
                .await
                .map_err(source_error)?;
            events.extend(more);
        }
        Ok(events)
    }

    /// Ask, in one more batch, the owners whose view has private items and whose private
    /// access is not yet known.
    async fn learn_private_access(
        &self,
        owners: &[String],
        views: &[Result<Vec<Event>, SourceError>],
    ) -> Result<(), SourceError> {
        let unknown: Vec<&String> = owners
            .iter()
            .zip(views)
            .filter(|(owner, view)| {
                !self.is_me(owner)
                    && self.known_private_access(owner).is_none()
                    && view
                        .as_ref()
                        .is_ok_and(|events| events.iter().any(Event::is_private))
            })
            .map(|(owner, _)| owner)
            .collect();
        if unknown.is_empty() {
            return Ok(());
        }
        let requests: Vec<BatchRequest> = unknown
            .iter()
            .enumerate()
            .map(|(i, owner)| {
                let path = mailbox(owner, &self.me).lit("calendar");
                BatchRequest::new(
                    i.to_string(),
                    Method::GET,
                    &path,
                    &[("$select", "canViewPrivateItems".to_string())],
                )
            })
            .collect();
        let answers = self.client.batch(requests).await.map_err(source_error)?;
        for (owner, answer) in unknown.into_iter().zip(answers) {
            match answer.json::<Calendar>("read a calendar") {
                Ok(c) => self.remember_private_access(owner, c.can_view_private_items),
                // Not knowing, hide them: a version the user cannot read is no use.
                Err(GraphError::Api { .. }) => self.remember_private_access(owner, false),
                Err(e) => return Err(source_error(e)),
            }
        }
        Ok(())
    }
}
