//! SOQL results, which come in batches linked by `nextRecordsUrl`.

use std::marker::PhantomData;

use futures_util::stream::{self, Stream};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::request::{Request, Target};
use super::{SalesforceClient, SalesforceError};

/// One batch of a query's records.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// Records matching the query in all batches.
    #[serde(default)]
    pub total_size: u64,
    /// Whether this is the last batch.
    #[serde(default = "yes")]
    pub done: bool,
    /// The next batch's path on the instance, followed as given.
    #[serde(default)]
    pub next_records_url: Option<String>,
    #[serde(default = "Vec::new")]
    pub records: Vec<T>,
}

fn yes() -> bool {
    true
}

/// Walks a query batch by batch. Ends with [`Pager::all`], [`Pager::next_page`] or
/// [`Pager::into_stream`].
pub struct Pager<T> {
    client: SalesforceClient,
    operation: &'static str,
    next: Option<Request>,
    last_path: Option<String>,
    _item: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Pager<T> {
    pub(crate) fn new(client: SalesforceClient, first: Request) -> Pager<T> {
        Pager {
            client,
            operation: first.operation,
            next: Some(first),
            last_path: None,
            _item: PhantomData,
        }
    }

    /// The batches from `next_records_url` on (a query answered elsewhere, e.g. inside a
    /// Composite call, that has more).
    pub(crate) fn continue_from(
        client: SalesforceClient,
        operation: &'static str,
        next_records_url: &str,
    ) -> Pager<T> {
        let first = Request::new(
            operation,
            Method::GET,
            Target::ServerPath(next_records_url.to_string()),
        );
        Pager::new(client, first)
    }

    /// The next batch, or `None` after the last one.
    pub async fn next_page(&mut self) -> Result<Option<Page<T>>, SalesforceError> {
        let Some(request) = self.next.take() else {
            return Ok(None);
        };
        let page: Page<T> = self.client.send_json(&request).await?;
        if let (false, Some(path)) = (page.done, &page.next_records_url) {
            if self.last_path.as_deref() == Some(path.as_str()) {
                return Err(SalesforceError::Invalid {
                    operation: self.operation,
                    detail: "the next batch link points to the same batch".to_string(),
                });
            }
            self.last_path = Some(path.clone());
            let mut next = Request::new(
                self.operation,
                Method::GET,
                Target::ServerPath(path.clone()),
            );
            // A later batch is read with the same options as the first.
            next.headers = request.headers.clone();
            self.next = Some(next);
        }
        Ok(Some(page))
    }

    /// Every record of every batch.
    pub async fn all(mut self) -> Result<Vec<T>, SalesforceError> {
        let mut records = Vec::new();
        while let Some(page) = self.next_page().await? {
            records.extend(page.records);
        }
        Ok(records)
    }

    /// The batches as a stream; it ends after the last batch or the first error.
    pub fn into_stream(self) -> impl Stream<Item = Result<Page<T>, SalesforceError>> {
        stream::try_unfold(self, |mut pager| async move {
            Ok(pager.next_page().await?.map(|page| (page, pager)))
        })
    }
}
