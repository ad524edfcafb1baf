//! Collections that come in pages linked by `@odata.nextLink`.

use std::marker::PhantomData;

use futures_util::stream::{self, Stream};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use url::Url;

use super::{GraphClient, GraphError, Request};

/// One page of a collection.
#[derive(Debug, Clone, Deserialize)]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The next page's URL, to be followed exactly as given (rebuilding it from its parts
    /// breaks some Graph collections).
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
    /// On the last page of a delta round: where the next round starts.
    #[serde(rename = "@odata.deltaLink", default)]
    pub delta_link: Option<String>,
}

/// Walks a collection page by page. Ends with [`Pager::all`], [`Pager::next_page`] or
/// [`Pager::into_stream`]. Each page is asked for with the first request's own headers (a
/// `Prefer` applies only to the request it is sent with).
pub struct Pager<T> {
    client: GraphClient,
    operation: &'static str,
    headers: Vec<(String, String)>,
    next: Option<Request>,
    last_url: Option<Url>,
    _item: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Pager<T> {
    pub(crate) fn new(client: GraphClient, first: Request) -> Self {
        Pager {
            client,
            operation: first.operation,
            headers: first.headers.clone(),
            next: Some(first),
            last_url: None,
            _item: PhantomData,
        }
    }

    /// Pick a collection up again at a link Graph gave earlier (a stored `@odata.deltaLink`),
    /// sent with `headers`; only a link on the Graph origin is followed.
    pub(crate) fn resume(
        client: GraphClient,
        operation: &'static str,
        link: &str,
        headers: Vec<(String, String)>,
    ) -> Result<Self, GraphError> {
        let mut pager = Pager {
            client,
            operation,
            headers,
            next: None,
            last_url: None,
            _item: PhantomData,
        };
        pager.next = Some(pager.follow(link)?);
        Ok(pager)
    }

    /// The next page, or `None` after the last one.
    pub async fn next_page(&mut self) -> Result<Option<Page<T>>, GraphError> {
        let Some(request) = self.next.take() else {
            return Ok(None);
        };
        let page: Page<T> = self.client.send_json(&request).await?;
        self.last_url = Some(request.url.clone());
        if let Some(link) = &page.next_link {
            self.next = Some(self.follow(link)?);
        }
        Ok(Some(page))
    }

    /// Every item of every page.
    pub async fn all(mut self) -> Result<Vec<T>, GraphError> {
        let mut items = Vec::new();
        while let Some(page) = self.next_page().await? {
            items.extend(page.value);
        }
        Ok(items)
    }

    /// The pages as a stream; it ends after the last page or the first error.
    pub fn into_stream(self) -> impl Stream<Item = Result<Page<T>, GraphError>> {
        stream::try_unfold(self, |mut pager| async move {
            Ok(pager.next_page().await?.map(|page| (page, pager)))
        })
    }

    fn follow(&self, link: &str) -> Result<Request, GraphError> {
        let invalid = |detail: String| GraphError::Invalid {
            operation: self.operation,
            detail,
        };
        let url =
            Url::parse(link).map_err(|e| invalid(format!("the page link is not a URL: {e}")))?;
        // The bearer token goes with the request, so only Graph's own origin is followed.
        if url.origin() != self.client.graph_url().origin() {
            return Err(invalid(format!(
                "the page link leaves Microsoft Graph ({})",
                url.origin().ascii_serialization()
            )));
        }
        if self.last_url.as_ref() == Some(&url) {
            return Err(invalid(
                "the next page link points to the same page".to_string(),
            ));
        }
        let mut next = Request::new(self.operation, Method::GET, url);
        next.headers = self.headers.clone();
        Ok(next)
    }
}
