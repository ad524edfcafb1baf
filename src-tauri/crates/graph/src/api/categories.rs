//! The signed-in user's master list of categories (`/me/outlook/masterCategories`). Graph has
//! no `.Shared` permission for it: another mailbox's list is refused to a delegate.

use reqwest::Method;
use serde_json::json;

use crate::client::{GraphPath, Pager};
use crate::models::OutlookCategory;
use crate::{GraphClient, GraphError};

pub struct CategoriesApi<'a> {
    client: &'a GraphClient,
}

fn path() -> GraphPath {
    GraphPath::new()
        .lit("me")
        .lit("outlook")
        .lit("masterCategories")
}

impl<'a> CategoriesApi<'a> {
    pub(crate) fn new(client: &'a GraphClient) -> Self {
        CategoriesApi { client }
    }

    /// `GET /me/outlook/masterCategories` (`MailboxSettings.Read`).
    pub fn list(&self) -> Pager<OutlookCategory> {
        let req = self
            .client
            .request("list your categories", Method::GET, &path(), &[]);
        Pager::new(self.client.clone(), req)
    }

    /// `POST /me/outlook/masterCategories` (`MailboxSettings.ReadWrite`); `color` is `none`
    /// or `preset0`..`preset24`.
    pub async fn create(&self, name: &str, color: &str) -> Result<OutlookCategory, GraphError> {
        let req = self
            .client
            .request("create a category", Method::POST, &path(), &[])
            .with_body(json!({ "displayName": name, "color": color }));
        self.client.send_json(&req).await
    }
}
